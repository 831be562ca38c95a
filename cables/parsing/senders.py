"""Name the originating post the way the Cablegate release names it.

The ``FM`` line of a cable gives the post's telegraphic address (``AMEMBASSY
MEXICO``, ``AMCONSUL SAO PAULO``, ``SECSTATE WASHDC``, ``USMISSION GENEVA``); the
release shows it as ``Embassy Mexico``, ``Consulate Sao Paulo``, ``Secretary of
State``, ``US Mission Geneva``. The rule is: a known office prefix becomes its
English word, and the place is title-cased, keeping the acronyms that the release
keeps upper case (``USNATO``, ``USEU``, ``UNVIE``).
"""

import re

# Telegraphic office prefix -> the word the release uses before the place.
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
}

# Whole addresses the release names in a way no prefix rule gives.
SPECIAL_ADDRESSES = {
    "SECSTATE WASHDC": "Secretary of State",
    "SECSTATE": "Secretary of State",
    "USMISSION USNATO": "Mission USNATO",
    "USNATO": "Mission USNATO",
    "USMISSION UNVIE VIENNA": "UNVIE",
    "UNVIE VIENNA": "UNVIE",
}

# Places renamed since the cables were sent; the release uses the current names.
RENAMED_PLACES = {"KIEV": "KYIV"}

ACRONYMS = {
    "US",
    "USUN",
    "USEU",
    "USNATO",
    "UNVIE",
    "USOSCE",
    "OSCE",
    "UN",
    "EU",
    "NATO",
    "ICAO",
    "OECD",
    "UNESCO",
    "FAO",
    "DC",
    "CDR",
}


def title_case(words: str) -> str:
    """``SAO PAULO`` -> ``Sao Paulo``, keeping the acronyms the release keeps."""
    out = []
    for word in words.split():
        if word in ACRONYMS:
            out.append(word)
        else:
            out.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(out)


def normalize_address(address: str) -> str:
    """Collapse spaces and drop a trailing routing serial or precedence word."""
    address = re.sub(r"[^A-Z0-9 ()/.'-]", " ", address.upper())
    address = re.sub(r"\s+", " ", address).strip(" ./-")
    address = re.sub(r"\s+(?:IMMEDIATE|PRIORITY|ROUTINE|FLASH|NIACT)\b.*$", "", address)
    address = re.sub(r"\s+\d+$", "", address)
    return address


def sender_name(address: str) -> str:
    """The release's display name for a post's telegraphic address."""
    address = normalize_address(address)
    if address in SPECIAL_ADDRESSES:
        return SPECIAL_ADDRESSES[address]
    for prefix, word in OFFICE_PREFIXES.items():
        if address.startswith(prefix + " "):
            place = address[len(prefix) + 1 :]
            place = RENAMED_PLACES.get(place, place)
            return f"{word} {title_case(place)}"
    if address.startswith("USMISSION "):
        return f"US Mission {title_case(address[len('USMISSION ') :])}"
    if address.startswith("USEU "):
        return f"USEU {title_case(address[len('USEU ') :])}"
    return title_case(address)


def address_from_post(post: str, text: str) -> str:
    """The telegraphic address of a cable with no ``FM`` line, from the post on its
    classification line (``SOFIA``, ``STATE``, ``USNATO``) and what the text says of it.

    Posts are embassies unless the text names the post as a consulate
    (``AMCONSUL ISTANBUL``, ``CONGEN``) or an interests section (``USINT HAVANA``).
    """
    post = normalize_address(post)
    if post in ("STATE", "SECSTATE"):
        return "SECSTATE WASHDC"
    if post.startswith(("USNATO", "USEU", "UNVIE", "USUN", "USOSCE", "USMISSION")):
        return post if not post.startswith("USNATO") else "USMISSION USNATO"
    if re.search(rf"\bUSINT\s+{re.escape(post)}\b", text):
        return f"USINT {post}"
    consulate = rf"\b(?:AMCONSUL|AMCONGEN|CONGEN|CONSULATE(?: GENERAL)?)\s+{re.escape(post)}\b"
    if re.search(consulate, text, re.IGNORECASE):
        return f"AMCONSUL {post}"
    return f"AMEMBASSY {post}"
