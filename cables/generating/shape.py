"""The release's shape, and the plans that follow it.

The release's shape: dates weighted by year as in the release (``YEAR_COUNTS``), 274
senders with the real heavy tail (``SENDERS``), the six classifications in the release's
proportions (``CLASSIFICATION_COUNTS``) and a Zipf-like vocabulary of about 1,000 TAGS
codes (``TAG_VOCABULARY``). These tables are built once per process, on import.

Planning, the cheap sequential part: :func:`plan_cables` decides, in order and with one
random stream, every cable's date, sender, serial, classification and references, in
constant memory. Rendering (:mod:`.rendering`) draws everything else.
"""

from __future__ import annotations

import bisect
import calendar
import collections
import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..parsing.references import reference_post
from ..reference.tag_descriptions import COUNTRY_TAGS, ORGANIZATION_TAGS, SUBJECT_TAGS

RELEASE_TOTAL = 251_287


def _words(text: str) -> list[str]:
    return text.split()


# --- the release's shape ----------------------------------------------------------------

# Cables per year in the release. 2005–2010 and the pre-2000 total (1,031) are the
# release's; the pre-2000 years and 2000–2004 are spread plausibly so the sum is 251,287.
YEAR_COUNTS: dict[int, int] = {
    1966: 3,
    **dict.fromkeys(range(1967, 1973), 2),
    1973: 20,
    1974: 10,
    1975: 15,
    **dict.fromkeys(range(1976, 1985), 4),
    1985: 30,
    1986: 40,
    1987: 25,
    1988: 40,
    1989: 55,
    1990: 70,
    1991: 45,
    1992: 35,
    1993: 40,
    1994: 45,
    1995: 55,
    1996: 60,
    1997: 70,
    1998: 90,
    1999: 235,
    2000: 1_200,
    2001: 1_800,
    2002: 2_800,
    2003: 6_900,
    2004: 11_124,
    2005: 24_131,
    2006: 42_385,
    2007: 44_688,
    2008: 49_427,
    2009: 56_797,
    2010: 9_004,
}
FIRST_DAY = datetime(1966, 12, 28, tzinfo=UTC)
LAST_DAY = datetime(2010, 2, 28, tzinfo=UTC)  # the last day that has cables

# The six labels, with the release's counts (133,887 / 101,748 / 15,652 by level).
CLASSIFICATION_COUNTS: dict[str, int] = {
    "UNCLASSIFIED": 75_792,
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": 58_095,
    "CONFIDENTIAL": 97_070,
    "CONFIDENTIAL//NOFORN": 4_678,
    "SECRET": 11_322,
    "SECRET//NOFORN": 4_330,
}
CLASSIFICATIONS = tuple(CLASSIFICATION_COUNTS)

# Telegraphic addresses (the FM line) with the FIPS code of the post's country, roughly
# from the busiest down. The first five carry the release's own counts; the rest share
# the remainder on a Zipf-Mandelbrot curve (see ``sender_weights``).
TOP_SENDERS = (
    ("SECSTATE WASHDC", "", 8_000),
    ("AMEMBASSY ANKARA", "TU", 7_900),
    ("AMEMBASSY BAGHDAD", "IZ", 6_700),
    ("AMEMBASSY TOKYO", "JA", 5_700),
    ("AMEMBASSY AMMAN", "JO", 4_300),
)
OTHER_SENDERS = """
AMEMBASSY BEIJING CH; AMEMBASSY KABUL AF; AMEMBASSY PARIS FR; AMEMBASSY CAIRO EG;
AMEMBASSY SEOUL KS; AMEMBASSY MOSCOW RS; AMEMBASSY BRASILIA BR; AMEMBASSY TEL AVIV IS;
AMEMBASSY CARACAS VE; USMISSION GENEVA SZ; AMEMBASSY MADRID SP; AMEMBASSY BUENOS AIRES AR;
AMEMBASSY MEXICO MX; AMEMBASSY BOGOTA CO; AMEMBASSY LONDON UK; AMEMBASSY BERLIN GM;
AMEMBASSY ROME IT; AMEMBASSY ISLAMABAD PK; AMEMBASSY NEW DELHI IN; USEU BRUSSELS BE;
AMEMBASSY ABU DHABI AE; AMEMBASSY RIYADH SA; AMEMBASSY KYIV UP; AMEMBASSY OTTAWA CA;
USMISSION USNATO BE; AMEMBASSY JAKARTA ID; AMEMBASSY MANILA RP; AMEMBASSY BANGKOK TH;
AMEMBASSY SANTIAGO CI; AMEMBASSY LIMA PE; AMEMBASSY NAIROBI KE; AMEMBASSY PRETORIA SF;
AMEMBASSY ABUJA NI; AMEMBASSY KUWAIT KU; AMEMBASSY DOHA QA; AMEMBASSY MANAMA BA;
AMEMBASSY MUSCAT MU; AMEMBASSY SANAA YM; AMEMBASSY BEIRUT LE; AMEMBASSY DAMASCUS SY;
AMEMBASSY TRIPOLI LY; AMEMBASSY TUNIS TS; AMEMBASSY RABAT MO; AMEMBASSY ALGIERS AG;
AMEMBASSY ATHENS GR; AMEMBASSY VIENNA AU; AMEMBASSY WARSAW PL; AMEMBASSY PRAGUE EZ;
AMEMBASSY BUDAPEST HU; AMEMBASSY BUCHAREST RO; AMEMBASSY SOFIA BU; AMEMBASSY BELGRADE RI;
AMEMBASSY ZAGREB HR; AMEMBASSY SARAJEVO BK; USOFFICE PRISTINA KV; AMEMBASSY SKOPJE MK;
AMEMBASSY TIRANA AL; AMEMBASSY THE HAGUE NL; AMEMBASSY BRUSSELS BE; AMEMBASSY STOCKHOLM SW;
AMEMBASSY OSLO NO; AMEMBASSY COPENHAGEN DA; AMEMBASSY HELSINKI FI; AMEMBASSY DUBLIN EI;
AMEMBASSY LISBON PO; AMEMBASSY BERN SZ; USMISSION UNVIE VIENNA AU; USMISSION USUN NEW YORK US;
USINT HAVANA CU; AMEMBASSY TASHKENT UZ; AMEMBASSY ASTANA KZ; AMEMBASSY BAKU AJ;
AMEMBASSY TBILISI GG; AMEMBASSY YEREVAN AM; AMEMBASSY ASHGABAT TX; AMEMBASSY BISHKEK KG;
AMEMBASSY DUSHANBE TI; AMEMBASSY MINSK BO; AMEMBASSY CHISINAU MD; AMEMBASSY RIGA LG;
AMEMBASSY VILNIUS LH; AMEMBASSY TALLINN EN; AMEMBASSY REYKJAVIK IC; AMEMBASSY CANBERRA AS;
AMEMBASSY WELLINGTON NZ; AMEMBASSY SINGAPORE SN; AMEMBASSY KUALA LUMPUR MY; AMEMBASSY HANOI VM;
AMEMBASSY PHNOM PENH CB; AMEMBASSY VIENTIANE LA; AMEMBASSY RANGOON BM; AMEMBASSY DHAKA BG;
AMEMBASSY COLOMBO CE; AMEMBASSY KATHMANDU NP; AMEMBASSY ULAANBAATAR MG; AMEMBASSY DILI TT;
AMEMBASSY ADDIS ABABA ET; AMEMBASSY KHARTOUM SU; AMEMBASSY KAMPALA UG; AMEMBASSY KIGALI RW;
AMEMBASSY DAR ES SALAAM TZ; AMEMBASSY LUSAKA ZA; AMEMBASSY HARARE ZI; AMEMBASSY MAPUTO MZ;
AMEMBASSY LUANDA AO; AMEMBASSY KINSHASA CG; AMEMBASSY ACCRA GH; AMEMBASSY DAKAR SG;
AMEMBASSY BAMAKO ML; AMEMBASSY NIAMEY NG; AMEMBASSY OUAGADOUGOU UV; AMEMBASSY ABIDJAN IV;
AMEMBASSY MONROVIA LI; AMEMBASSY FREETOWN SL; AMEMBASSY CONAKRY GV; AMEMBASSY NOUAKCHOTT MR;
AMEMBASSY NDJAMENA CD; AMEMBASSY YAOUNDE CM; AMEMBASSY LIBREVILLE GB; AMEMBASSY COTONOU BN;
AMEMBASSY LOME TO; AMEMBASSY ASMARA ER; AMEMBASSY DJIBOUTI DJ; AMEMBASSY ANTANANARIVO MA;
AMEMBASSY GABORONE BC; AMEMBASSY WINDHOEK WA; AMEMBASSY MASERU LT; AMEMBASSY MBABANE WZ;
AMEMBASSY LILONGWE MI; AMEMBASSY BUJUMBURA BY; AMEMBASSY BANGUI CT; AMEMBASSY BRAZZAVILLE CF;
AMEMBASSY MALABO EK; AMEMBASSY PORT LOUIS MP; AMEMBASSY BANJUL GA; AMEMBASSY PRAIA CV;
AMEMBASSY QUITO EC; AMEMBASSY LA PAZ BL; AMEMBASSY ASUNCION PA; AMEMBASSY MONTEVIDEO UY;
AMEMBASSY PANAMA PM; AMEMBASSY SAN JOSE CS; AMEMBASSY MANAGUA NU; AMEMBASSY TEGUCIGALPA HO;
AMEMBASSY SAN SALVADOR ES; AMEMBASSY GUATEMALA GT; AMEMBASSY BELMOPAN BH;
AMEMBASSY SANTO DOMINGO DR;
AMEMBASSY PORT AU PRINCE HA; AMEMBASSY KINGSTON JM; AMEMBASSY NASSAU BF; AMEMBASSY BRIDGETOWN BB;
AMEMBASSY PORT OF SPAIN TD; AMEMBASSY GEORGETOWN GY; AMEMBASSY PARAMARIBO NS; AMEMBASSY NICOSIA CY;
AMEMBASSY VALLETTA MT; AMEMBASSY LUXEMBOURG LU; AMEMBASSY LJUBLJANA SI; AMEMBASSY BRATISLAVA LO;
AMEMBASSY PODGORICA MJ; AMEMBASSY VATICAN VT; AMEMBASSY SUVA FJ; AMEMBASSY PORT MORESBY PP;
AMEMBASSY KOLONIA FM; AMEMBASSY MAJURO RM; AMEMBASSY KOROR PS; AMEMBASSY APIA WS;
AMEMBASSY BANDAR SERI BEGAWAN BX; USMISSION USOSCE AU;
AMCONSUL ISTANBUL TU; AMCONSUL SAO PAULO BR; AMCONSUL HONG KONG HK; AMCONSUL SHANGHAI CH;
AMCONSUL JERUSALEM IS; AMCONSUL DUBAI AE; AMCONSUL MUMBAI IN; AMCONSUL KARACHI PK;
AMCONSUL LAGOS NI; AMCONSUL JEDDAH SA; AMCONSUL DHAHRAN SA; AMCONSUL LAHORE PK;
AMCONSUL PESHAWAR PK; AMCONSUL CHENNAI IN; AMCONSUL KOLKATA IN; AMCONSUL GUANGZHOU CH;
AMCONSUL SHENYANG CH; AMCONSUL CHENGDU CH; AMCONSUL OSAKA KOBE JA; AMCONSUL NAHA JA;
AMCONSUL SAPPORO JA; AMCONSUL FUKUOKA JA; AMCONSUL NAGOYA JA; AMCONSUL FRANKFURT GM;
AMCONSUL MUNICH GM; AMCONSUL HAMBURG GM; AMCONSUL DUSSELDORF GM; AMCONSUL LEIPZIG GM;
AMCONSUL MILAN IT; AMCONSUL NAPLES IT; AMCONSUL FLORENCE IT; AMCONSUL BARCELONA SP;
AMCONSUL MARSEILLE FR; AMCONSUL STRASBOURG FR; AMCONSUL CASABLANCA MO; AMCONSUL RIO DE JANEIRO BR;
AMCONSUL RECIFE BR; AMCONSUL MONTERREY MX; AMCONSUL GUADALAJARA MX; AMCONSUL TIJUANA MX;
AMCONSUL CIUDAD JUAREZ MX; AMCONSUL NUEVO LAREDO MX; AMCONSUL MATAMOROS MX; AMCONSUL NOGALES MX;
AMCONSUL HERMOSILLO MX; AMCONSUL MERIDA MX; AMCONSUL TORONTO CA; AMCONSUL MONTREAL CA;
AMCONSUL VANCOUVER CA; AMCONSUL CALGARY CA; AMCONSUL HALIFAX CA; AMCONSUL QUEBEC CA;
AMCONSUL CAPE TOWN SF; AMCONSUL DURBAN SF; AMCONSUL JOHANNESBURG SF; AMCONSUL ADANA TU;
AMCONSUL HO CHI MINH CITY VM; AMCONSUL CHIANG MAI TH; AMCONSUL SURABAYA ID; AMCONSUL MELBOURNE AS;
AMCONSUL SYDNEY AS; AMCONSUL PERTH AS; AMCONSUL AUCKLAND NZ; AMCONSUL BELFAST UK;
AMCONSUL EDINBURGH UK; AMCONSUL ST PETERSBURG RS; AMCONSUL YEKATERINBURG RS;
AMCONSUL VLADIVOSTOK RS; AMCONSUL GUAYAQUIL EC; AMCONSUL KRAKOW PL; AMCONSUL THESSALONIKI GR;
AMCONSUL PONTA DELGADA PO; AMCONSUL HYDERABAD IN; AMCONSUL HAMILTON BD; AMCONSUL CURACAO NT
"""
SENDER_COUNT = 274

# Prefixes of the FM line, and the word the release puts before the place.
OFFICE_WORDS = {
    "AMEMBASSY": "Embassy",
    "AMCONSUL": "Consulate",
    "USINT": "US Interests Section",
    "USOFFICE": "US Office",
}
# Words the release keeps upper case in names.
NAME_ACRONYMS = {"US", "USUN", "USEU", "USNATO", "UNVIE", "USOSCE", "UN", "EU", "NATO"}
# Words a REF line cannot name a post with (the parser reads them as ordinary words).
NOT_POST_WORDS = {
    *_words("OF PARA PARAS PARAGRAPH UNSCR RESOLUTION SECTION PAGE REF REFS AND NO NUMBER"),
    *_words("TO IN ON AT THE FOR DATED CIRCULAR JANUARY FEBRUARY MARCH APRIL JUNE JULY"),
    *_words("AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER"),
}

# Subject tags in roughly the release's order of frequency; the rest follow.
COMMON_TAGS = _words(
    "PREL PGOV ECON PHUM ETRD MARR PTER EFIN KDEM EINV ENRG EAID PINR SNAR KCRM MOPS ELAB "
    "SOCI KPAO ASEC CASC CVIS KJUS KNNP PARM EAGR EPET TRGY KTFN SENV KIRF KWMN SMIG KFRD "
    "OVIP OEXC AMGT APER ABUD TBIO KHIV SCUL PINS KPAL"
)
TAG_VOCABULARY_SIZE = 1_000
TAGS_PER_CABLE_WEIGHTS = (6, 14, 20, 20, 16, 11, 8, 5)  # 1 … 8 tags

# Month abbreviations, as the routing header writes them (and never a post on a REF line).
MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@dataclass(frozen=True)
class Sender:
    """One originating post: its FM line, the release's name for it, and its post word."""

    code: str  # FM line: AMEMBASSY MEXICO
    name: str  # Embassy Mexico
    post: str  # on the classification line and in reference ids: MEXICO, STATE, USEU BRUSSELS
    country: str  # FIPS tag of its country ("" for the Department)
    routing: str  # RUEHxx, for the DE and INFO lines
    citable: bool  # whether a REF line can name its cables so the parser reads them


def display_name(code: str) -> str:
    """The release's name for a telegraphic address (``AMCONSUL SAO PAULO`` ->
    ``Consulate Sao Paulo``), written independently of the parser so tests compare two
    implementations of the same rule."""

    def title(words: str) -> str:
        return " ".join(
            word if word in NAME_ACRONYMS else word[:1] + word[1:].lower() for word in words.split()
        )

    special = {
        "SECSTATE WASHDC": "Secretary of State",
        "USMISSION USNATO": "Mission USNATO",
        "USMISSION UNVIE VIENNA": "UNVIE",
        "USMISSION USUN NEW YORK": "USUN New York",
        "USMISSION USOSCE": "Mission USOSCE",
    }
    if code in special:
        return special[code]
    prefix, _, place = code.partition(" ")
    if prefix in OFFICE_WORDS:
        return f"{OFFICE_WORDS[prefix]} {title(place)}"
    if prefix == "USMISSION":
        return f"US Mission {title(place)}"
    if prefix == "USEU":
        return f"USEU {title(place)}"
    return title(code)


def post_of(code: str) -> str:
    """The post written on the classification line: ``STATE``, ``USNATO``, ``MEXICO``."""
    if code == "SECSTATE WASHDC":
        return "STATE"
    prefix, _, place = code.partition(" ")
    if prefix == "USMISSION":
        return place  # USNATO, UNVIE VIENNA, USUN NEW YORK, USOSCE, GENEVA
    if prefix == "USEU":
        return code
    return place


def invented_posts(count: int, taken: set[str]) -> list[str]:
    """Plausible consulate names that are not real posts (fixed, not seeded)."""
    rng = random.Random("synthetic-posts")
    first = _words("KAR VEL MOR TAS LUN DRA SEL OST BRA NIM ZAR PEL KOR MAL TIR VAS")
    middle = _words("A O I E U AN OR EL")
    last = _words("NA VIK DOR BAD GRAD LIA POL STAD MAR TEA SA NO")
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(first) + rng.choice(middle) + rng.choice(last)
        if rng.random() < 0.2:
            name = rng.choice(("SAN", "NUEVA", "NORTH", "PORTO")) + " " + name
        code = f"AMCONSUL {name}"
        if name not in taken and code not in names:
            taken.add(name)
            names.append(code)
    return names


def build_senders() -> list[Sender]:
    """The 274 senders, busiest first."""
    entries = [(code, country) for code, country, _ in TOP_SENDERS]
    for item in OTHER_SENDERS.replace("\n", " ").split(";"):
        words = item.split()
        if words:
            entries.append((" ".join(words[:-1]), words[-1]))
    taken = {post_of(code).replace(" ", "") for code, _ in entries}
    countries = sorted(COUNTRY_TAGS)
    rng = random.Random("synthetic-countries")
    for code in invented_posts(SENDER_COUNT - len(entries), taken):
        entries.append((code, rng.choice(countries)))
    senders = []
    for code, country in entries[:SENDER_COUNT]:
        post = post_of(code)
        letters = re.sub(r"[^A-Z]", "", post)
        words = post.split()
        citable = (
            bool(re.fullmatch(r"[A-Z]+(?: [A-Z]+){0,3}", post))
            and all(len(word) > 1 and word not in NOT_POST_WORDS for word in words)
            and post not in MONTH_NAMES
            # The parser names no cable of a post it does not know (invented ones).
            and reference_post(post) == post.replace(" ", "")
        )
        senders.append(
            Sender(
                code=code,
                name=display_name(code),
                post=post,
                country=country if country in COUNTRY_TAGS else "",
                routing="RUEH" + (letters[:1] + letters[-1:]),
                citable=citable,
            )
        )
    assert len({sender.post.replace(" ", "") for sender in senders}) == len(senders)
    return senders


def sender_weights(senders: list[Sender]) -> list[float]:
    """Release counts for the top five; the rest on ``C / (rank + 14.5)`` (Zipf-Mandelbrot),
    scaled so the whole adds up to 251,287 and rank 6 gets about 4,000."""
    top = [count for _, _, count in TOP_SENDERS]
    rest = [1 / (rank + 14.5) for rank in range(len(top) + 1, len(senders) + 1)]
    scale = (RELEASE_TOTAL - sum(top)) / sum(rest)
    return [float(count) for count in top] + [scale * weight for weight in rest]


def build_tag_vocabulary(size: int = TAG_VOCABULARY_SIZE) -> list[str]:
    """About 1,000 tags, most frequent first: real subject codes, organisations and
    countries, then invented four-letter codes (none of them real)."""
    vocabulary: list[str] = []
    for code in (
        *COMMON_TAGS,
        *sorted(SUBJECT_TAGS),
        *sorted(ORGANIZATION_TAGS),
        *sorted(COUNTRY_TAGS),
    ):
        if code not in vocabulary:
            vocabulary.append(code)
    known = set(vocabulary)
    rng = random.Random("synthetic-tags")
    letters = "ABCDEFGHIJKLMNOPRSTUVWXYZ"
    while len(vocabulary) < size:
        code = rng.choice("ABCEKMOPST") + "".join(rng.choice(letters) for _ in range(3))
        if code not in known:
            known.add(code)
            vocabulary.append(code)
    return vocabulary


SENDERS = build_senders()
SENDER_CUMULATIVE = list(itertools.accumulate(sender_weights(SENDERS)))
TAG_VOCABULARY = build_tag_vocabulary()
TAG_CUMULATIVE = list(itertools.accumulate(1 / (rank + 1.0) for rank in range(len(TAG_VOCABULARY))))
CLASSIFICATION_CUMULATIVE = list(itertools.accumulate(CLASSIFICATION_COUNTS.values()))
TAGS_CUMULATIVE = list(itertools.accumulate(TAGS_PER_CABLE_WEIGHTS))
STATE_INDEX = 0
COUNTRY_LIST = sorted(COUNTRY_TAGS)


def allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights``, exactly (largest remainder)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    order = sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def month_counts(count: int) -> Iterator[tuple[datetime, datetime, int]]:
    """(start, end, cables) for every month with cables, in order; the year totals are
    the release's scaled to ``count``, each year spread over its months by their days."""
    years = list(YEAR_COUNTS)
    for year, year_count in zip(years, allocate(count, list(YEAR_COUNTS.values())), strict=True):
        if not year_count:
            continue
        spans = []
        for month in range(1, 13):
            start = datetime(year, month, 1, tzinfo=UTC)
            end = start + timedelta(days=calendar.monthrange(year, month)[1])
            start, end = max(start, FIRST_DAY), min(end, LAST_DAY + timedelta(days=1))
            if end > start:
                spans.append((start, end))
        days = [(end - start).total_seconds() for start, end in spans]
        for (start, end), month_count in zip(spans, allocate(year_count, days), strict=True):
            if month_count:
                yield start, end, month_count


# --- planning: the cheap sequential part ----------------------------------------------


@dataclass(slots=True)
class Plan:
    """What the sequential planning pass decides for one cable."""

    index: int  # 1-based, the CSV id column
    date: datetime
    sender: int  # index into SENDERS
    serial: int
    classification: int  # index into CLASSIFICATIONS
    references: list[tuple[int, int, int]]  # (year, sender index, serial) of earlier cables


def plan_cables(count: int, seed: int | str) -> Iterator[Plan]:
    """Every cable's date, sender, serial, classification and references, in date order.

    Memory stays constant: serial counters per sender, and a few recent cables per
    sender to cite. Reference ids are unique: a serial only grows within a post's year.
    """
    rng = random.Random(f"synthetic-cables:plan:{seed}")
    rand = rng.random
    total_weight = SENDER_CUMULATIVE[-1]
    class_total = CLASSIFICATION_CUMULATIVE[-1]
    # Serial gaps: the release holds a fraction of each post's traffic.
    gap_scale = min(1.0, RELEASE_TOTAL / max(count, 1))
    serials: dict[int, tuple[int, int]] = {}
    recent: dict[int, collections.deque] = {}
    recent_state: collections.deque = collections.deque(maxlen=40)
    recent_any: collections.deque = collections.deque(maxlen=200)
    index = 0
    for start, end, month_count in month_counts(count):
        span = (end - start).total_seconds()
        for position in range(month_count):
            index += 1
            seconds = int((position + rand()) / month_count * span) // 60 * 60
            date = start + timedelta(seconds=seconds)
            sender = bisect.bisect(SENDER_CUMULATIVE, rand() * total_weight)
            sender = min(sender, len(SENDERS) - 1)
            year, serial = serials.get(sender, (0, 0))
            if year != date.year:
                serial = int(rand() * 40)
            step = 60 if sender == STATE_INDEX else 4
            serial += 1 + int(rand() * step * gap_scale)
            if serial > 999_999:
                raise ValueError("too many cables for one post in one year (serials > 999999)")
            serials[sender] = (date.year, serial)
            classification = bisect.bisect(CLASSIFICATION_CUMULATIVE, rand() * class_total)
            classification = min(classification, len(CLASSIFICATIONS) - 1)
            references: list[tuple[int, int, int]] = []
            if rand() < 0.4 and recent_any:
                for _ in range(1 + int(rand() * rand() * 4)):
                    roll = rand()
                    pool = recent.get(sender) if roll < 0.5 else None
                    if not pool:
                        pool = recent_state if roll < 0.8 and recent_state else recent_any
                    cited = pool[int(rand() * len(pool))]
                    if cited not in references:
                        references.append(cited)
            yield Plan(index, date, sender, serial, classification, references)
            if SENDERS[sender].citable:
                item = (date.year, sender, serial)
                recent.setdefault(sender, collections.deque(maxlen=12)).append(item)
                recent_any.append(item)
                if sender == STATE_INDEX:
                    recent_state.append(item)


def reference_id(year: int, sender: int, serial: int) -> str:
    """``2008, Embassy Mexico, 2160`` -> ``08MEXICO2160``."""
    return f"{year % 100:02d}{SENDERS[sender].post.replace(' ', '')}{serial}"
