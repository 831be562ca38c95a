"""Which country each originating post is in, so senders can be grouped by country.

A sender is stored under the name the Cablegate release gives it (``Embassy Mexico``,
``Consulate Sao Paulo``, ``US Interests Section Havana``, ``Secretary of State``,
``USEU Brussels``; see ``cables/parsing/senders.py`` for how those names are made from
telegraphic addresses). The name is an office word followed by the *post*, the place
as the release writes it (``Mexico``, ``Sao Paulo``, ``Tel Aviv``, ``Vatican``).
``POSTS`` maps each known post to the FIPS 10-4 code of the country it is in: the
geographic codes the State Department uses in TAGS, named by
``cables.reference.tag_descriptions.COUNTRY_TAGS`` so that the senders page and the tag glossary
agree (``AU`` is Austria, ``AS`` Australia, ``VT`` the Holy See).

Rules, and the decisions behind them:

* Embassies, consulates, interests sections, offices and liaison offices are in the
  country where they are: consulates in their host country (Sao Paulo, Rio De Janeiro
  -> BR; Istanbul -> TU; Hong Kong -> HK, which has its own FIPS code), ``US Interests
  Section Havana`` -> CU, ``US Office Pristina`` -> KV, ``American Institute Taiwan,
  Taipei`` (``AIT TAIPEI``) -> TW, ``REO Basrah`` -> IZ, the embassy to the Holy See
  (``Embassy Vatican``) -> VT.
* An office set up outside a country to report on it is filed under the country it
  reports on, as the missions below are kept out of their hosts: ``Iran RPO Dubai`` (the
  Iran Regional Presence Office, in the UAE, in place of an embassy in Tehran) -> IR,
  while ``Consulate Dubai`` is AE.
* The Secretary of State (the Department in Washington) and US missions to
  international organisations are in no country for this purpose: a mission to NATO,
  the EU, the UN in New York, Geneva or Vienna, or the OSCE reports on the organisation,
  not on its host. Every name that starts ``US Mission``/``USMISSION``/``Mission`` or
  with a mission acronym (``USEU``, ``USNATO``, ``UNVIE``, ``USUN``, ``USOSCE``,
  ``USOECD``, ``USDEL``...) is such a mission. ``country_of`` returns ``None`` for them
  and ``group_of`` files them under ``WASHINGTON_AND_MISSIONS``.
* One code per post, whatever the date: Belgrade is RI (Serbia) even for cables sent
  when it was the capital of Yugoslavia, and the Consulate General in Jerusalem, which
  reported independently of the embassy, is filed under IS where it sits (as the
  synthetic generator does); a filing choice, not a statement about the city's status.
* Older or alternative names of the same post are listed too (Kiev, Bombay, Bonn...).
* Anything else (unknown posts, military commands, empty names) is ``None`` and goes to
  the ``OTHER`` group. Nothing here raises.

Matching ignores case, accents, spaces, hyphens, apostrophes and full stops (``PORT-AU-
PRINCE``, ``N'Djamena``, ``St. Petersburg``, ``SAOPAULO``) and the office prefixes of the
release and of telegraphic addresses (``Embassy``, ``Consulate``, ``US Interests
Section``, ``AMEMBASSY``, ``AMCONSUL``, ``USINT``...). Pure Python; no Django.
"""

import re
import unicodedata

from cables.reference.tag_descriptions import COUNTRY_TAGS

WASHINGTON_AND_MISSIONS = "Washington and missions to international organisations"
OTHER = "Other"

# FIPS code: the posts in that country, as the release writes them.
_TABLE = """
AE: Abu Dhabi, Dubai
AF: Kabul
AG: Algiers
AJ: Baku
AL: Tirana
AM: Yerevan
AO: Luanda
AR: Buenos Aires
AS: Canberra, Sydney, Melbourne, Perth
AU: Vienna
BA: Manama
BB: Bridgetown
BC: Gaborone
BD: Hamilton
BE: Brussels
BF: Nassau
BG: Dhaka
BH: Belmopan, Belize
BK: Sarajevo
BL: La Paz
BM: Rangoon
BN: Cotonou
BO: Minsk
BR: Brasilia, Sao Paulo, Rio De Janeiro, Recife
BU: Sofia
BX: Bandar Seri Begawan
BY: Bujumbura
CA: Ottawa, Toronto, Montreal, Vancouver, Calgary, Halifax, Quebec
CB: Phnom Penh
CD: Ndjamena
CE: Colombo
CF: Brazzaville
CG: Kinshasa
CH: Beijing, Shanghai, Guangzhou, Shenyang, Chengdu, Wuhan
CI: Santiago
CM: Yaounde
CO: Bogota
CS: San Jose
CT: Bangui
CU: Havana
CV: Praia
CY: Nicosia
DA: Copenhagen
DJ: Djibouti
DR: Santo Domingo
EC: Quito, Guayaquil
EG: Cairo, Alexandria
EI: Dublin
EK: Malabo
EN: Tallinn
ER: Asmara
ES: San Salvador
ET: Addis Ababa
EZ: Prague
FI: Helsinki
FJ: Suva
FM: Kolonia
FR: Paris, Marseille, Strasbourg
GA: Banjul
GB: Libreville
GG: Tbilisi
GH: Accra
GJ: Grenada, St Georges
GM: Berlin, Frankfurt, Munich, Hamburg, Dusseldorf, Leipzig, Bonn
GR: Athens, Thessaloniki
GT: Guatemala
GV: Conakry
GY: Georgetown
HA: Port Au Prince
HK: Hong Kong
HO: Tegucigalpa
HR: Zagreb
HU: Budapest
IC: Reykjavik
ID: Jakarta, Surabaya
IN: New Delhi, Mumbai, Chennai, Kolkata, Hyderabad, Bombay, Madras, Calcutta
IR: Tehran, Iran RPO Dubai, RPO Dubai
IS: Tel Aviv, Jerusalem
IT: Rome, Milan, Naples, Florence
IV: Abidjan
IZ: Baghdad, Basrah, Hillah, Kirkuk, Mosul, Erbil
JA: Tokyo, Osaka Kobe, Osaka, Naha, Sapporo, Fukuoka, Nagoya
JM: Kingston
JO: Amman
KE: Nairobi
KG: Bishkek
KS: Seoul
KU: Kuwait
KV: Pristina
KZ: Astana, Almaty
LA: Vientiane
LE: Beirut
LG: Riga
LH: Vilnius
LI: Monrovia
LO: Bratislava
LT: Maseru
LU: Luxembourg
LY: Tripoli
MA: Antananarivo
MD: Chisinau
MG: Ulaanbaatar
MI: Lilongwe
MJ: Podgorica
MK: Skopje
ML: Bamako
MO: Rabat, Casablanca
MP: Port Louis
MR: Nouakchott
MT: Valletta
MU: Muscat
MX: Mexico, Monterrey, Guadalajara, Tijuana, Ciudad Juarez, Nuevo Laredo, Matamoros,
    Nogales, Hermosillo, Merida
MY: Kuala Lumpur
MZ: Maputo
NG: Niamey
NI: Abuja, Lagos
NL: The Hague, Amsterdam
NO: Oslo
NP: Kathmandu
NS: Paramaribo
NT: Curacao
NU: Managua
NZ: Wellington, Auckland
PA: Asuncion
PE: Lima
PK: Islamabad, Karachi, Lahore, Peshawar
PL: Warsaw, Krakow
PM: Panama
PO: Lisbon, Ponta Delgada
PP: Port Moresby
PS: Koror
PU: Bissau
QA: Doha
RI: Belgrade
RM: Majuro
RO: Bucharest
RP: Manila
RS: Moscow, St Petersburg, Yekaterinburg, Vladivostok
RW: Kigali
SA: Riyadh, Jeddah, Dhahran
SF: Pretoria, Cape Town, Durban, Johannesburg
SG: Dakar
SI: Ljubljana
SL: Freetown
SN: Singapore
SO: Mogadishu
SP: Madrid, Barcelona
SU: Khartoum
SW: Stockholm
SY: Damascus
SZ: Bern
TD: Port Of Spain
TH: Bangkok, Chiang Mai
TI: Dushanbe
TO: Lome
TS: Tunis
TT: Dili
TU: Ankara, Istanbul, Adana
TW: Taipei, Taiwan
TX: Ashgabat
TZ: Dar Es Salaam
UG: Kampala
UK: London, Belfast, Edinburgh
UP: Kyiv, Kiev
UV: Ouagadougou
UY: Montevideo
UZ: Tashkent
VE: Caracas
VM: Hanoi, Ho Chi Minh City, Ho Chi Minh
VT: Vatican, Holy See
WA: Windhoek
WS: Apia
WZ: Mbabane
YM: Sanaa
ZA: Lusaka
ZI: Harare
"""

# Office words before the post, in the release's names and in telegraphic addresses,
# longest first so that ``US Consulate General`` is stripped whole.
_OFFICE_PREFIXES = sorted(
    (
        "embassy", "us embassy", "american embassy", "amembassy", "usembassy",
        "consulate", "consulate general", "us consulate", "us consulate general",
        "american consulate", "american consulate general", "amconsul", "amcongen",
        "usconsul", "congen", "us interests section", "interests section", "usint",
        "us office", "usoffice", "us liaison office", "uslo", "american institute in",
        "american institute taiwan", "american institute", "ait", "regional embassy office", "reo",
    ),
    key=len,
    reverse=True,
)  # fmt: skip

# The Department in Washington.
_WASHINGTON = {"secretary of state", "secstate", "secstate washdc", "department of state"}
# First word (or two) of the name of a mission to an international organisation.
_MISSION_WORDS = {
    "usmission", "mission", "useu", "usnato", "unvie", "usun", "usosce", "usoecd",
    "usunesco", "usdel", "usau",
}  # fmt: skip
_MISSION_PAIRS = {("us", "mission"), ("us", "delegation")}


def _words(text: str) -> list[str]:
    """Lower-case words without accents; apostrophes and full stops join (``N'Djamena``)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"['’.]", "", text.lower())
    return re.findall(r"[a-z0-9]+", text)


def _key(text: str) -> str:
    """The matching key of a post: its letters and digits, so ``Port-au-Prince``,
    ``PORT AU PRINCE`` and ``PORTAUPRINCE`` are one post."""
    return "".join(_words(text))


def _parse(table: str) -> dict[str, str]:
    posts: dict[str, str] = {}
    for entry in re.split(r"\n(?=[A-Z]{2}:)", table.strip()):
        code, _, places = entry.partition(":")
        for place in places.split(","):
            place = " ".join(place.split())
            assert code in COUNTRY_TAGS and place not in posts, (code, place)
            posts[place] = code
    return posts


# Post (as the release writes it) -> FIPS 10-4 code of the country it is in.
POSTS: dict[str, str] = _parse(_TABLE)
_BY_KEY: dict[str, str] = {_key(place): code for place, code in POSTS.items()}
assert len(_BY_KEY) == len(POSTS), "two posts share a matching key"
_PREFIX_WORDS = [prefix.split() for prefix in _OFFICE_PREFIXES]


def is_washington_or_mission(sender_name: str) -> bool:
    """Whether a sender is the Department in Washington or a US mission to an
    international organisation (``USEU Brussels``, ``Mission USNATO``, ``UNVIE``,
    ``US Mission Geneva``, ``USUN New York``, ``Mission USOSCE``, ``US Delegation,
    Secretary``)."""
    words = _words(sender_name) if isinstance(sender_name, str) else []
    if not words:
        return False
    if " ".join(words) in _WASHINGTON:
        return True
    return words[0] in _MISSION_WORDS or tuple(words[:2]) in _MISSION_PAIRS


def post_of(sender_name: str) -> str:
    """The post of a sender's name, the office words removed (``Consulate Sao Paulo`` ->
    ``Sao Paulo``); ``""`` for a name that is only an office word or not a string."""
    words = _words(sender_name) if isinstance(sender_name, str) else []
    for prefix in _PREFIX_WORDS:
        if words[: len(prefix)] == prefix:
            return " ".join(words[len(prefix) :])
    return " ".join(words)


def country_of(sender_name: str) -> tuple[str, str] | None:
    """``(FIPS code, country name)`` of the country a sender's post is in
    (``Embassy Mexico`` -> ``("MX", "Mexico")``), or ``None`` for the Secretary of State,
    missions to international organisations and posts not in ``POSTS``."""
    if not isinstance(sender_name, str) or is_washington_or_mission(sender_name):
        return None
    code = _BY_KEY.get(_key(post_of(sender_name))) or _BY_KEY.get(_key(sender_name))
    if code is None:
        return None
    return code, COUNTRY_TAGS[code]


def group_of(sender_name: str) -> str:
    """The heading a sender is listed under on the senders page: its country's name,
    ``WASHINGTON_AND_MISSIONS``, or ``OTHER``."""
    country = country_of(sender_name)
    if country is not None:
        return country[1]
    return WASHINGTON_AND_MISSIONS if is_washington_or_mission(sender_name) else OTHER
