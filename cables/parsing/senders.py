"""Name the originating post the way the Cablegate release names it.

The ``FM`` line of a cable gives the post's telegraphic address (``AMEMBASSY
MEXICO``, ``AMCONSUL SAO PAULO``, ``SECSTATE WASHDC``, ``USMISSION GENEVA``); the
release shows it as ``Embassy Mexico``, ``Consulate Sao Paulo``, ``Secretary of
State``, ``US Mission Geneva``. The rules:

* a known office prefix becomes the release's words for the office, and the place is
  title-cased, keeping the acronyms the release keeps upper case (``REO Basrah``,
  ``USEU Brussels``); offices the release names with a comma keep it (``AIT TAIPEI`` ->
  ``American Institute Taiwan, Taipei``, ``USDEL SECRETARY`` -> ``US Delegation,
  Secretary``);
* ``USMISSION`` before a mission's own acronym gives way to it: alone, the mission is
  ``Mission USNATO``; with its city, the acronym names it (``USMISSION USUN NEW YORK``
  -> ``USUN New York``);
* the few names no rule gives are in ``SPECIAL_ADDRESSES``;
* a routing or office suffix after a slash is not part of the address
  (``USDEL SECRETARY//EUROPE``), nor is a precedence word or a serial.
"""

import re

# Telegraphic office prefix -> the release's words before the place.
OFFICE_PREFIXES = {
    "AMEMBASSY": "Embassy",
    "USEMBASSY": "Embassy",
    "AMCONSUL": "Consulate",
    "AMCONGEN": "Consulate",
    "USCONSUL": "Consulate",
    "USINT": "US Interests Section",
    "USOFFICE": "US Office",
    "AMERICAN EMBASSY": "Embassy",
    "AMERICAN CONSULATE": "Consulate",
    "AIT": "American Institute Taiwan,",
    "USDEL": "US Delegation,",
    "REO": "REO",
    "USMISSION": "US Mission",
}

# Whole addresses the release names in a way no prefix rule gives.
SPECIAL_ADDRESSES = {
    "SECSTATE WASHDC": "Secretary of State",
    "SECSTATE": "Secretary of State",
    "UNVIE VIENNA": "UNVIE",
    "UNVIE": "UNVIE",
    "USMISSION UNVIE VIENNA": "UNVIE",
    "USMISSION UNVIE": "UNVIE",
    "RPO DUBAI": "Iran RPO Dubai",
    "IRAN RPO DUBAI": "Iran RPO Dubai",
    "USNATO": "Mission USNATO",
}

# The acronyms that name a US mission to an international organisation.
MISSION_ACRONYMS = {"USNATO", "USOSCE", "USUN", "UNVIE", "USEU", "USOECD", "UNESCO", "USAU"}

# Places renamed since the cables were sent; the release uses the current names.
RENAMED_PLACES = {"KIEV": "KYIV"}

ACRONYMS = MISSION_ACRONYMS | {
    "US",
    "UN",
    "EU",
    "NATO",
    "OSCE",
    "ICAO",
    "OECD",
    "FAO",
    "DC",
    "CDR",
    "REO",
    "RPO",
    "AIT",
}

# Posts that were consulates through the years of nearly all the release (2000–2010),
# so never embassies: a cable with no FM line from one of them is the consulate's.
# Cities that held an embassy in those years (Almaty until 2006) are left to the text.
CONSULATE_POSTS = frozenset(
    re.split(
        r"\s*,\s*",
        """
    ADANA, AMSTERDAM, AUCKLAND, BARCELONA, BELFAST, CALGARY, CAPE TOWN, CASABLANCA,
    CHENGDU, CHENNAI, CHIANG MAI, CIUDAD JUAREZ, CURACAO, DHAHRAN, DUBAI, DURBAN,
    DUSSELDORF, EDINBURGH, FLORENCE, FRANKFURT, FUKUOKA, GUADALAJARA, GUANGZHOU,
    GUAYAQUIL, HALIFAX, HAMBURG, HAMILTON, HERMOSILLO, HO CHI MINH CITY, HONG KONG,
    HYDERABAD, ISTANBUL, JEDDAH, JERUSALEM, JOHANNESBURG, KARACHI, KOLKATA, KRAKOW, LAGOS,
    LAHORE, LEIPZIG, MARSEILLE, MATAMOROS, MELBOURNE, MERIDA, MILAN, MONTERREY, MONTREAL,
    MUMBAI, MUNICH, NAGOYA, NAHA, NAPLES, NOGALES, NUEVO LAREDO, OSAKA KOBE, PERTH,
    PESHAWAR, PONTA DELGADA, QUEBEC, RECIFE, RIO DE JANEIRO, SAO PAULO, SAPPORO, SHANGHAI,
    SHENYANG, ST PETERSBURG, STRASBOURG, SURABAYA, SYDNEY, THESSALONIKI, TIJUANA, TORONTO,
    VANCOUVER, VLADIVOSTOK, WUHAN, YEKATERINBURG
    """.strip(),
    )
)

# Posts whose one office in those years is not an embassy, by the office's prefix.
POST_OFFICES = {
    **dict.fromkeys(CONSULATE_POSTS, "AMCONSUL"),
    "TAIPEI": "AIT",
    "HAVANA": "USINT",
    "BASRAH": "REO",
    "GENEVA": "USMISSION",
}


def title_case(words: str) -> str:
    """``SAO PAULO`` -> ``Sao Paulo``, keeping the acronyms the release keeps."""
    return " ".join(
        word if word in ACRONYMS else word[:1] + word[1:].lower() for word in words.split()
    )


def normalize_address(address: str) -> str:
    """Collapse spaces; drop a routing or office suffix after a slash (``//EUROPE``),
    a trailing precedence word and a trailing serial."""
    address = re.sub(r"[^A-Z0-9 ()/.'-]", " ", address.upper())
    head, slash, _ = address.partition("/")
    if slash and (" " in head.strip() or address[len(head) :].startswith("//")):
        address = head
    address = re.sub(r"\s+", " ", address).strip(" ./-")
    address = re.sub(r"\s+(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT)\b.*$", "", address)
    address = re.sub(r"\s+\d+$", "", address)
    return address


def mission_name(rest: str) -> str:
    """What follows ``USMISSION``: a mission's acronym alone is ``Mission USNATO``; with
    its city the acronym names it (``USUN New York``); a city alone is ``US Mission
    Geneva``."""
    first = rest.split(" ", 1)[0]
    if first not in MISSION_ACRONYMS:
        return f"US Mission {title_case(rest)}"
    if rest == first:
        return f"Mission {first}"
    return title_case(rest)


def place_name(place: str) -> str:
    """The release writes places with spaces (``Port Au Prince``) and current names."""
    place = " ".join(place.replace("-", " ").split())
    return title_case(RENAMED_PLACES.get(place, place))


def sender_name(address: str) -> str:
    """The release's display name for a post's telegraphic address."""
    address = normalize_address(address)
    if address in SPECIAL_ADDRESSES:
        return SPECIAL_ADDRESSES[address]
    if address.startswith("USMISSION "):
        return mission_name(address.removeprefix("USMISSION "))
    for prefix, words in OFFICE_PREFIXES.items():
        if address.startswith(prefix + " "):
            return f"{words} {place_name(address[len(prefix) + 1 :])}"
    return title_case(address)


def names_an_office(post: str) -> bool:
    """Whether a classification line's post is already a whole address (``USEU
    BRUSSELS``, ``AIT TAIPEI``, ``USNATO``), not a bare city."""
    first = post.split(" ", 1)[0]
    return (
        post in SPECIAL_ADDRESSES
        or first in MISSION_ACRONYMS
        or post.startswith(tuple(prefix + " " for prefix in OFFICE_PREFIXES))
    )


def address_from_post(post: str, text: str) -> str:
    """The telegraphic address of a cable with no ``FM`` line, from the post on its
    classification line (``SOFIA``, ``STATE``, ``USNATO``) and what the text says of it.

    A post that is no embassy's (a consulate's city, ``TAIPEI``, ``GENEVA``) takes its
    office; any other is an embassy unless the text names it as a consulate
    (``AMCONSUL ISTANBUL``, ``CONGEN``) or an interests section (``USINT HAVANA``).
    """
    post = normalize_address(post)
    if post in ("STATE", "SECSTATE"):
        return "SECSTATE WASHDC"
    if post == "USNATO" or post.startswith(("UNVIE", "USUN", "USOSCE")):
        return f"USMISSION {post}"
    if names_an_office(post):
        return post
    if post in POST_OFFICES:
        return f"{POST_OFFICES[post]} {post}"
    if re.search(rf"\bUSINT\s+{re.escape(post)}\b", text):
        return f"USINT {post}"
    consulate = rf"\b(?:AMCONSUL|AMCONGEN|CONGEN|CONSULATE(?: GENERAL)?)\s+{re.escape(post)}\b"
    if re.search(consulate, text, re.IGNORECASE):
        return f"AMCONSUL {post}"
    return f"AMEMBASSY {post}"
