"""Synthetic Cablegate cables at any size, in the release's real formats and shape.

``generate_cables --count N --seed S --out DIR`` (the management command) is a thin
wrapper around :func:`write_corpus`. Everything here is pure Python (no Django), so
the generator can run in worker processes and be tested without a database.

**What is generated.** Cables in the plain-text format of ``seeds/08MEXICO2160.txt``
(one file per cable, ``DIR/YYYY/MM/REFID.txt``) or as one ``cables.csv`` (the release's
8 columns, no header, ``\\"`` quotes, hard-wrapped text), with the release's shape:
dates weighted by year as in the release (``YEAR_COUNTS``), 274 senders with the real
heavy tail (``SENDERS``), the six classifications in the release's proportions
(``CLASSIFICATION_COUNTS``), 1–8 TAGS from a Zipf-like vocabulary of about 1,000 codes,
2–30 numbered paragraphs averaging about 6,700 characters of text, with markings,
headings, bullets, REF lines naming earlier generated cables, page-break lines,
``&…8`` quote artifacts and ``XXXXXXXXXXXX`` redactions.

**Labelled synthetic everywhere.** Every subject begins ``SYNTHETIC:``, every first
paragraph begins ``(U) SYNTHETIC CABLE generated for testing; not a real cable.``, and
every transmission id begins ``VZCZCSYN``.

**Text.** A Markov chain over the paragraph text of the real corpus (``$CABLE_CORPUS``
or ``../shared/corpus``), built at run time and never stored, writes a pool of 30,000
synthetic sentences; paragraphs are drawn from the pool (see :class:`WordModel`). Without
the corpus a small built-in vocabulary is used, with a warning (``WordModel.warning``).

**Determinism and speed.** The cables are planned in order by one random stream
(dates, senders, serials, classifications, references: cheap, constant memory), then
rendered in units of ``UNIT_SIZE`` cables, each unit with its own random stream seeded by
(seed, unit number). The output is therefore identical for a given seed and count
whatever the number of worker processes, and units render in parallel.

**Round trip.** Every :class:`SyntheticCable` knows what the parser
(``cables.parsing.parse_cable``) should derive from its text: reference id, date,
sender name, classification, caveats, tags, subject, references, paragraph count.
"""

from __future__ import annotations

import bisect
import calendar
import collections
import itertools
import math
import multiprocessing
import os
import random
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .tag_descriptions import COUNTRY_TAGS, ORGANIZATION_TAGS, SUBJECT_TAGS

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

UNIT_SIZE = 500  # cables rendered together with one random stream
TEXT_MEAN = 6_700  # characters of paragraph text per cable, on average
PAGE_SIZE = 3_000  # characters of text per printed page (page-break lines)

NOTICE = "SYNTHETIC CABLE generated for testing; not a real cable."
SUBJECT_PREFIX = "SYNTHETIC: "
TRANSMISSION_PREFIX = "VZCZCSYN"

MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
SURNAMES = _words(
    "HARLOW MENDEZ OKAFOR LINDQVIST BRANDT CALLOWAY DUBOIS FERRIS GALLAGHER HOLLIS IVERSON "
    "JANSEN KOWALSKI LOCKHART MARLOWE NAKAMURA OSTROM PRESCOTT QUINLAN ROWAN SANTORO "
    "THACKERAY UPTON VANCE WHITLOCK YARDLEY ZIEGLER ABERNATHY BECKETT CRANSTON"
)
OFFICER_TITLES = (
    "Ambassador",
    "Charge d'Affaires",
    "Deputy Chief of Mission",
    "Political Counselor",
    "Economic Counselor",
    "Pol/Econ Chief",
    "Consul General",
)
ADDRESSEE_LINES = (
    "DEPARTMENT FOR INL",
    "STATE FOR EUR/SE AND EEB",
    "DEPT FOR WHA/MEX",
    "NSC FOR SENIOR DIRECTOR",
    "STATE FOR NEA/ARP AND S/CT",
    "DEPT FOR AF/E AND DRL",
    "TREASURY FOR OASIA",
    "STATE PASS USTR",
    "DEPT FOR EAP/J AND EAP/CM",
)
MARKINGS = {
    "UNCLASSIFIED": (("U", 1.0),),
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": (("SBU", 0.8), ("U", 0.2)),
    "CONFIDENTIAL": (("C", 0.75), ("U", 0.15), ("SBU", 0.1)),
    "CONFIDENTIAL//NOFORN": (("C/NF", 0.45), ("C", 0.4), ("U", 0.15)),
    "SECRET": (("S", 0.5), ("C", 0.35), ("U", 0.15)),
    "SECRET//NOFORN": (("S/NF", 0.5), ("S", 0.2), ("C", 0.2), ("U", 0.1)),
}
BUILTIN_TEXT = """
The Ambassador met with the Foreign Minister on Tuesday to discuss the upcoming elections
and the government's plans for economic reform. The Minister said that the ruling party
remained committed to an open and transparent process, but he acknowledged that the
opposition had raised serious concerns about the voter registry. Embassy contacts report
that the security situation in the northern provinces has improved in recent weeks,
although sporadic violence continues along the border. Post will continue to monitor the
situation closely and report any significant developments. The government has asked for
additional assistance to strengthen its customs and border controls. Comment: The
Minister's remarks reflect a growing recognition within the government that cooperation
with the United States serves its long term interests. End comment. Local press coverage
of the visit was largely positive, focusing on the new trade agreement and the expansion
of the exchange program. Several senior officials privately expressed frustration with
the slow pace of the judicial reform, which they attribute to resistance within the
courts. The central bank governor told Econoff that inflation would likely remain high
through the end of the year because of rising food and fuel prices. The opposition
leader said his party would not participate in the dialogue unless the government
released the detained activists. Post recommends that the Department raise the issue in
the next round of bilateral consultations.
"""


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


# --- the word model -----------------------------------------------------------------------

QUOTE_ARTIFACT = re.compile(r"(?<![\w&])&(?=[^\s&])([^&\n]{0,400}?[^\s&])8(?![\w])")
PARAGRAPH_START = re.compile(r"^\s*¶?\s*\d{1,2}\s*\.\s*(?:\([A-Za-z/ ]{1,10}\)\s*)?")
PAGE_BREAK = re.compile(r"^[A-Z][A-Z .'()-]*\s+\d{5,}\s+\d{3}\s+OF\s+\d{3}\s*$", re.MULTILINE)
SENTENCE_END_CHARS = (".", "?", "!")
UPPER = re.compile("[A-Z]")
# Page-break lines run into the text, e-mail addresses, web links, rules of dashes and
# overlong tokens: not for the pool.
INLINE_JUNK = re.compile(
    r"\b[A-Z][A-Z .'-]*\s\d{5,}\s+\d{3}\s+OF\s+\d{3}\b|\S+@\S+|<?https?://\S+|\bwww\.\S+"
    r"|(?<!\S)[-=_*.]{3,}(?!\S)|\S{40,}"
)
LOWER = re.compile("[a-z]")


class WordModel:
    """Synthetic sentences from a Markov chain over the real corpus's words, for text that
    reads like cable prose without being any real cable's text.

    The chain: the training text is one flat list of words; a step jumps to a random
    occurrence of the current word and copies the 2–6 words that follow it there (an
    order-1 chain whose joins fall on shared words; verbatim runs are at most six words).
    The chain writes a pool of ``POOL`` sentences once, when the model is built (with a
    fixed seed, so the pool depends only on the corpus); cables are then made of
    sentences drawn from the pool, which costs one random draw per sentence rather than
    per word, and keeps 251,287 cables within minutes on two cores.
    """

    RUN = 6  # the longest run copied in one step
    POOL = 30_000  # sentences in the pool
    LONGEST = 70  # words in a sentence, at most

    def __init__(self, paragraphs: list[str], source: str, warning: str = "", pool: int = POOL):
        self.pool = pool
        self.source = source
        self.warning = warning
        tokens: list[str] = []  # the whole training text, word by word
        for paragraph in paragraphs:
            tokens += paragraph.split()
        if len(tokens) < 4 * self.RUN:
            raise ValueError("no text to build a word model from")
        ids: dict[str, int] = {}
        token_ids = [ids.setdefault(word, len(ids)) for word in tokens]
        occurrences: list[list[int]] = [[] for _ in ids]
        # A run copied from near the end of a paragraph goes on into the next one: still
        # text. Only the last few words of all have no full run after them.
        for position, number in enumerate(token_ids[: -self.RUN - 1]):
            occurrences[number].append(position)
        ends = [
            position for position, word in enumerate(tokens) if word.endswith(SENTENCE_END_CHARS)
        ]
        starts = [
            position + 1
            for position in ends[:-1]
            if tokens[position + 1][:1].isupper() and position + 1 < len(tokens) - self.RUN - 1
        ]
        if not starts:
            raise ValueError("no sentences to build a word model from")
        self.token_count = len(tokens)
        self.vocabulary = len(ids)
        self.sentences = self.write_sentences(tokens, token_ids, occurrences, starts, ends)
        self.mean_sentence = sum(map(len, self.sentences)) / len(self.sentences) + 1

    def write_sentences(self, tokens, token_ids, occurrences, starts, ends) -> list[str]:
        """The pool: ``pool`` sentences walked on the chain with a fixed seed."""
        rand = random.Random("synthetic-sentences").random
        last = len(tokens) - 1
        sentences: list[str] = []
        seen: set[str] = set()
        misses = 0
        while len(sentences) < self.pool and misses < 2_000:
            position = starts[int(rand() * len(starts))]
            out = [tokens[position]]
            finished = tokens[position].endswith(SENTENCE_END_CHARS)
            while not finished and len(out) < self.LONGEST:
                options = occurrences[token_ids[position]]
                if not options:
                    break
                found = options[int(rand() * len(options))] + 1
                stop = found + 2 + int(rand() * (self.RUN - 1))
                # The first sentence end in the run, if any, ends the sentence.
                end = ends[min(bisect.bisect_left(ends, found), len(ends) - 1)]
                if found <= end < stop:
                    stop, finished = end + 1, True
                stop = min(stop, last)
                out += tokens[found:stop]
                position = stop - 1
            if len(out) < 4:
                misses += 1
                continue
            if not out[-1].endswith(SENTENCE_END_CHARS):
                out[-1] = out[-1].rstrip(",;:-") + "."
            sentence = " ".join(out)
            if sentence in seen:
                misses += 1
            else:
                misses = 0
                seen.add(sentence)
                sentences.append(sentence)
        return sentences

    @classmethod
    def from_texts(cls, texts: list[str], source: str) -> WordModel:
        return cls([paragraph for text in texts for paragraph in paragraph_texts(text)], source)

    @classmethod
    def builtin(cls, warning: str = "") -> WordModel:
        text = " ".join(BUILTIN_TEXT.split())
        return cls([text, text], "built-in vocabulary", warning, pool=3_000)

    def text(self, rand: Callable[[], float], length: int) -> str:
        """About ``length`` characters of whole sentences (never fewer than one)."""
        pool = self.sentences
        size = len(pool)
        count = max(1, int(length / self.mean_sentence + rand()))
        return " ".join([pool[int(rand() * size)] for _ in range(count)])

    def phrase(self, rand: Callable[[], float], words: int) -> list[str]:
        """``words`` consecutive words of one sentence, punctuation stripped."""
        sentence = self.sentences[int(rand() * len(self.sentences))]
        cleaned = PHRASE_JUNK.sub(" ", sentence).split()
        start = int(rand() * max(1, len(cleaned) - words))
        return cleaned[start : start + words] or ["Overview"]


PHRASE_JUNK = re.compile(r"[^A-Za-z0-9' -]+|(?<![A-Za-z])['-]|['-](?![A-Za-z])")


def paragraph_texts(text: str) -> Iterator[str]:
    """The numbered paragraphs of one real cable's text, each on one line, with quote
    artifacts repaired, straight quotes, no pilcrows; mostly-upper-case (old) text skipped."""
    text = PAGE_BREAK.sub("", text.replace("\r", ""))
    for block in re.split(r"\n[ \t]*\n", text):
        match = PARAGRAPH_START.match(block)
        if not match:
            continue
        body = " ".join(block[match.end() :].split())
        if len(body) < 120:
            continue
        head = body[:300]
        if len(LOWER.findall(head)) < 2 * len(UPPER.findall(head)):
            continue
        body = INLINE_JUNK.sub(" ", body)
        body = QUOTE_ARTIFACT.sub(r'"\1"', body)
        body = body.translate(STRAIGHTEN).replace("¶", "").replace("\\", "/")
        yield body


STRAIGHTEN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\xa0": " "})


def default_corpus() -> Path:
    """``$CABLE_CORPUS``, else ``../shared/corpus`` beside the project."""
    return Path(
        os.environ.get("CABLE_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
    )


_MODELS: dict[str, WordModel] = {}


def load_model(corpus: str | os.PathLike | None = None) -> WordModel:
    """The word model of the real corpus at ``corpus`` (default :func:`default_corpus`),
    built once per process; the built-in vocabulary, with a warning, if it is absent."""
    path = Path(corpus) if corpus else default_corpus()
    key = str(path.resolve())
    if key not in _MODELS:
        from .parsing import SourceText, read_path

        texts = []
        if path.is_dir():
            texts = [item.text for item in read_path(path) if isinstance(item, SourceText)]
        if texts:
            model = WordModel.from_texts(texts, f"{len(texts)} cables of {path}")
        else:
            model = WordModel.builtin(
                f"warning: no real corpus at {path} (set CABLE_CORPUS); the text comes from "
                "a small built-in vocabulary and is repetitive"
            )
        _MODELS[key] = model
    return _MODELS[key]


# --- rendering: the expensive part, in parallel units ---------------------------------------


@dataclass
class SyntheticParagraph:
    number: int
    marking: str  # "C", "S/NF", … or "" (old cables)
    heading: str
    text: str
    bullets: list[str] = field(default_factory=list)
    # Where a page-break line falls: (block, character offset or -1 for before the block).
    breaks: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class SyntheticCable:
    """One generated cable: what the parser should derive, and how to write it out."""

    index: int
    reference_id: str
    date: datetime
    sender: Sender
    serial: int
    classification: str
    caveats: list[str]
    tags: list[str]
    subject: str
    references: list[str]
    paragraphs: list[SyntheticParagraph]
    # How it is written
    old_style: bool
    precedence: str
    transmission: int
    info: list[Sender]
    level_word: str
    caveats_on_line: bool
    addressee: str
    eo_line: str
    reference_lines: list[str]
    classified_by: str
    signer: str
    pages: int
    pilcrow_after_nine: bool
    tags_with_commas: bool
    dashed_headings: bool

    @property
    def paragraph_count(self) -> int:
        return len(self.paragraphs)

    @property
    def text_length(self) -> int:
        """Characters of paragraph text as the parser reads them (bullets are ``-- …``
        blocks joined to their paragraph by a blank line)."""
        return sum(
            len(paragraph.text) + sum(len(bullet) + 5 for bullet in paragraph.bullets)
            for paragraph in self.paragraphs
        )

    @property
    def path(self) -> str:
        return f"{self.date.year:04d}/{self.date.month:02d}/{self.reference_id}.txt"

    # -- the routing header and the body ----------------------------------------------

    def header(self) -> str:
        date, sender = self.date, self.sender
        julian = date.timetuple().tm_yday
        level = self.classification.split("//")[0][0]
        others = " ".join(info.routing for info in self.info[:3])
        lines = [
            f"{TRANSMISSION_PREFIX}{self.transmission:04d}",
            f"{self.precedence}{self.precedence} {sender.routing} {others}".rstrip(),
            f"DE {sender.routing} #{self.serial % 10000:04d}/01 {julian:03d}{date:%H%M}",
            f"ZN{'R' if level == 'U' else 'Y'} {level * 5} ZZH",
            f"{self.precedence} {date:%d%H%M}Z {MONTH_NAMES[date.month - 1]} {date:%y}",
            f"FM {sender.code}",
        ]
        number = 1000 + self.serial % 8000
        if sender.code == "SECSTATE WASHDC":
            first, *rest = self.info
            lines.append(f"TO {first.routing}/{first.code} {number:04d}")
        else:
            lines.append(f"TO RUEHC/SECSTATE WASHDC {number:04d}")
            rest = self.info
        for position, info in enumerate(rest):
            prefix = "INFO " if position == 0 else ""
            lines.append(
                f"{prefix}{info.routing}/{info.code} {(number + position * 37) % 10000:04d}"
            )
        return "\n".join(lines)

    def classification_line(self) -> str:
        parts = [self.level_word]
        if self.caveats_on_line and self.caveats[0] == "SENSITIVE":
            parts.append("SENSITIVE")
        if self.pages > 1:
            parts.append(f"SECTION 01 OF {self.pages:02d}")
        serial = str(self.serial) if self.old_style else f"{self.serial:06d}"
        parts.append(f"{self.sender.post} {serial}")
        if self.classification.endswith("NOFORN") and self.caveats_on_line:
            parts.append("NOFORN")
        return " ".join(parts)

    def caveat_lines(self) -> list[str]:
        """The caveats written on lines of their own, under the classification line."""
        return self.caveats[1:] if self.caveats_on_line else list(self.caveats)

    def page_line(self, page: int) -> str:
        if self.old_style:
            return f"PAGE {page:02d} {self.sender.post} {self.serial:05d} {self.date:%d%H%M}Z"
        return f"{self.sender.post} {self.serial:08d}  {page:03d} OF {self.pages:03d}"

    def body_lines(self, csv: bool) -> list[str]:
        """The body as lines, with blank lines between blocks; paragraphs on one line each
        (the caller hard-wraps them for the CSV format)."""
        upper = self.old_style
        lines = [self.classification_line(), ""]
        caveats = self.caveat_lines()
        if caveats:
            lines += [*caveats, ""]
        if self.addressee:
            lines += [self.addressee, ""]
        lines.append(self.eo_line)
        if csv or self.old_style:
            separator = ", " if self.tags_with_commas else " "
            lines.append("TAGS: " + separator.join(self.tags))
        else:
            lines.append("TAGS: " + " ".join(f"[{tag}](#)" for tag in self.tags))
        lines += subject_lines(self.subject)
        lines.append("")
        if self.reference_lines:
            lines += [*self.reference_lines, ""]
        if self.classified_by:
            lines += [self.classified_by, ""]
        page = 1
        for paragraph in self.paragraphs:
            if paragraph.heading:
                heading = paragraph.heading.upper() if upper else paragraph.heading
                if self.dashed_headings:
                    lines += ["-" * len(heading), heading, "-" * len(heading), ""]
                else:
                    lines += [heading, ""]
            pilcrow = "" if csv or upper else "¶"
            if paragraph.number >= 10 and not self.pilcrow_after_nine:
                pilcrow = ""
            marking = f" ({paragraph.marking})" if paragraph.marking else ""
            blocks = [
                f"{pilcrow}{paragraph.number}.{marking} {paragraph.text}",
                *(f"-- {bullet}" for bullet in paragraph.bullets),
            ]
            breaks = dict(paragraph.breaks)
            for number, block in enumerate(blocks):
                offset = breaks.get(number)
                if offset == -1:
                    page += 1
                    lines += [self.page_line(page), ""]
                elif offset is not None:
                    page += 1
                    shift = len(blocks[0]) - len(paragraph.text) if number == 0 else 3
                    cut = offset + shift
                    lines += [self.block(block[:cut].rstrip(), csv), "", self.page_line(page), ""]
                    block = block[cut:].lstrip()
                lines += [self.block(block, csv), ""]
        lines.append(self.signer)
        return lines

    def block(self, text: str, csv: bool) -> str:
        """A block of text as written: upper case in old telegrams, hard-wrapped in CSV."""
        if self.old_style:
            text = text.upper()
        return wrap_line(text) if csv else text

    def txt(self) -> str:
        """The cable as a plain-text file, like ``seeds/08MEXICO2160.txt``."""
        return "\n" + self.header() + "\n\n" + "\n".join(self.body_lines(csv=False)) + "\n"

    def csv_row(self) -> str:
        """The cable as one row of the release's ``cables.csv`` (with its line end)."""
        content = "\n".join(self.body_lines(csv=True))
        values = (
            str(self.index),
            f"{self.date:%m/%d/%Y %H:%M}",
            self.reference_id,
            self.sender.name,
            self.classification,
            ",".join(self.references),
            self.header(),
            content,
        )
        return (
            ",".join(
                '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values
            )
            + "\n"
        )


def subject_lines(subject: str) -> list[str]:
    """``SUBJECT: …``, wrapped once after 60 characters where the second line cannot be
    mistaken for a field or a paragraph."""
    line = f"SUBJECT: {subject}"
    if len(line) > 66:
        cut = line.rfind(" ", 0, 62)
        rest = line[cut + 1 :]
        if cut > 20 and not re.match(r"^(?:\d|TAGS|REF|SUBJ|DECL|EO\b|E\.|CLASSIFIED|PAGE)", rest):
            return [line[:cut], rest]
    return [line]


WRAP = re.compile(r"(.{1,64})(?: +|$)")


def wrap_line(line: str) -> str:
    """Hard-wrap one line at about 65 characters, each line ending in a space, as the
    release's ``cables.csv`` is."""
    if len(line) <= 65:
        return line + " "
    return WRAP.sub(r"\1 \n", line).rstrip("\n")


def draw(rand: Callable[[], float], weighted: tuple[tuple[str, float], ...]) -> str:
    roll = rand()
    for value, weight in weighted:
        roll -= weight
        if roll < 0:
            return value
    return weighted[-1][0]


def render(plan: Plan, model: WordModel, rng: random.Random) -> SyntheticCable:
    """Turn one plan into a full cable, drawing everything else from ``rng``."""
    rand = rng.random
    sender = SENDERS[plan.sender]
    date = plan.date
    classification = CLASSIFICATIONS[plan.classification]
    level = classification.split("//")[0]
    old_style = date.year < 1990
    noforn = classification.endswith("NOFORN")
    sensitive = classification == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"

    # Classification line and caveats.
    if old_style:
        level_word = {"UNCLASSIFIED": "UNCLASSIFIED"}.get(level, level)
        if sensitive:
            level_word = "LIMITED OFFICIAL USE"
    elif level == "UNCLASSIFIED":
        level_word = "UNCLAS"
    elif level == "CONFIDENTIAL":
        level_word = "C O N F I D E N T I A L" if rand() < 0.85 else "CONFIDENTIAL"
    else:
        level_word = "S E C R E T" if rand() < 0.85 else "SECRET"
    caveats_on_line = not old_style and (sensitive or noforn) and rand() < 0.3
    caveats: list[str] = []
    if caveats_on_line:
        caveats.append("SENSITIVE" if sensitive else "NOFORN")
    if date.year >= 2003 and not old_style:
        caveats.append("SIPDIS")
    if not caveats_on_line:
        if sensitive and not old_style:
            caveats.insert(int(rand() < 0.5), "SENSITIVE")
        if noforn:
            caveats.insert(0, "NOFORN")
    if rand() < 0.04 and level != "UNCLASSIFIED" and not old_style:
        caveats.append("EXDIS" if rand() < 0.7 else "NODIS")

    # Tags: 1–8, the post's country last when there are two or more.
    wanted = bisect.bisect(TAGS_CUMULATIVE, rand() * TAGS_CUMULATIVE[-1]) + 1
    wanted = min(wanted, 8)
    country = sender.country or COUNTRY_LIST[int(rand() * len(COUNTRY_LIST))]
    tags: list[str] = []
    tag_total = TAG_CUMULATIVE[-1]
    while len(tags) < wanted - (1 if wanted > 1 else 0):
        tag = TAG_VOCABULARY[
            min(bisect.bisect(TAG_CUMULATIVE, rand() * tag_total), len(TAG_VOCABULARY) - 1)
        ]
        if tag not in tags and tag != country:
            tags.append(tag)
    if wanted > 1:
        tags.append(country)

    # Text: a total length drawn around the mean, split into 2–30 paragraphs.
    total = int(math.exp(math.log(TEXT_MEAN) - 0.21 + 0.7 * rng.gauss(0, 1)))
    total = max(700, min(total, 60_000))
    count = max(2, min(30, round(total / (450 + 650 * rand()))))
    shares = [0.3 + rand() for _ in range(count)]
    scale = total / sum(shares)
    markings = MARKINGS[classification]
    paragraphs: list[SyntheticParagraph] = []
    headed = rand() < 0.35
    for number, share in enumerate(shares, start=1):
        length = max(60, int(share * scale) - 45)
        bullets: list[str] = []
        if number > 1 and rand() < 0.12:
            pieces = 1 + int(rand() * 4)
            bullet_length = length // (pieces + 1)
            bullets = [model.text(rand, bullet_length) for _ in range(pieces)]
            length -= bullet_length * pieces
        if number == 1:
            marking = "U"
            if rand() < 0.3:
                text = f"{NOTICE} Summary: {model.text(rand, length)} End summary."
            else:
                text = f"{NOTICE} {model.text(rand, length)}"
        else:
            marking = draw(rand, markings)
            text = model.text(rand, length)
        heading = ""
        if headed and number > 1 and rand() < 0.3:
            heading = make_heading(model.phrase(rand, 2 + int(rand() * 3)))
        paragraphs.append(
            SyntheticParagraph(
                number=number,
                marking="" if old_style else marking,
                heading=heading,
                text=text,
                bullets=bullets,
            )
        )
    if rand() < 0.08:
        add_quote_artifact(paragraphs[-1 if count < 3 else 1 + int(rand() * (count - 1))], rand)
    if rand() < 0.12:
        add_redaction(paragraphs[1 + int(rand() * (count - 1))], model, rand)
    text_length = sum(
        len(paragraph.text) + sum(len(bullet) for bullet in paragraph.bullets)
        for paragraph in paragraphs
    )
    pages = place_page_breaks(paragraphs, text_length, rand)

    subject_words = model.phrase(rand, 3 + int(rand() * 8))
    subject = SUBJECT_PREFIX + " ".join(subject_words).upper()

    # References: A. 08 MEXICO 1234; same-year ones sometimes without the year.
    references: list[str] = []
    reference_items: list[str] = []
    for year, cited_sender, serial in plan.references:
        cited = SENDERS[cited_sender]
        references.append(f"{year % 100:02d}{cited.post.replace(' ', '')}{serial}")
        written_year = "" if year == date.year and rand() < 0.4 else f"{year % 100:02d} "
        reference_items.append(f"{written_year}{cited.post} {serial:02d}")
    reference_lines: list[str] = []
    if len(reference_items) == 1:
        reference_lines = [f"REF: {reference_items[0]}"]
    elif reference_items:
        lettered = [f"{'ABCDEFGH'[i]}. {item}" for i, item in enumerate(reference_items)]
        if rand() < 0.5:
            reference_lines = ["REF: " + " ".join(lettered)]
        else:
            reference_lines = [f"REF: {lettered[0]}", *lettered[1:]]

    classified_by = ""
    if level != "UNCLASSIFIED" and not old_style:
        officer = (
            f"{OFFICER_TITLES[int(rand() * len(OFFICER_TITLES))]} {rng.choice(SURNAMES).title()}"
        )
        classified_by = f"Classified By: {officer} for reasons 1.4 (b) and (d)."
    if old_style:
        eo_line = "E.O. 11652: GDS" if level != "UNCLASSIFIED" else "E.O. 11652: N/A"
    elif level == "UNCLASSIFIED":
        eo_line = "E.O. 12958: N/A"
    else:
        eo_line = f"E.O. 12958: DECL: {date:%m/%d}/{date.year + 10}"
    info = [
        SENDERS[int(rand() * 60)]
        for _ in range(int(rand() * 5) + (sender.code == "SECSTATE WASHDC"))
    ]
    info = [other for other in dict.fromkeys(info) if other is not sender] or [
        SENDERS[1 if sender is not SENDERS[1] else 2]
    ]
    return SyntheticCable(
        index=plan.index,
        reference_id=reference_id(date.year, plan.sender, plan.serial),
        date=date,
        sender=sender,
        serial=plan.serial,
        classification=classification,
        caveats=caveats,
        tags=tags,
        subject=subject,
        references=references,
        paragraphs=paragraphs,
        old_style=old_style,
        precedence=draw(rand, (("R", 0.7), ("P", 0.2), ("O", 0.09), ("Z", 0.01))),
        transmission=int(rand() * 10000),
        info=info,
        level_word=level_word,
        caveats_on_line=caveats_on_line,
        addressee=ADDRESSEE_LINES[int(rand() * len(ADDRESSEE_LINES))] if rand() < 0.3 else "",
        eo_line=eo_line,
        reference_lines=reference_lines,
        classified_by=classified_by,
        signer=rng.choice(SURNAMES),
        pages=pages,
        pilcrow_after_nine=rand() < 0.7,
        tags_with_commas=rand() < 0.8,
        dashed_headings=rand() < 0.1,
    )


def make_heading(words: list[str]) -> str:
    """A short title-cased line that the parser reads as a heading, not a field or text."""
    words = [word for word in words if word.isalpha()] or ["Background"]
    heading = " ".join(word[:1].upper() + word[1:] for word in words)
    if re.match(r"^(?:TAGS|REFS?|SUBJ|DECL|EO|CLASSIFIED|PAGE)\b", heading.upper()):
        heading = "On " + heading
    if len(heading.split()) < 2:
        heading += " Outlook"
    return heading[:60].rstrip()


def add_quote_artifact(paragraph: SyntheticParagraph, rand: Callable[[], float]) -> None:
    """``&…8`` for a quoted phrase, as in 58 bodies of the release."""
    words = paragraph.text.split(" ")
    if len(words) < 12:
        return
    start = 4 + int(rand() * (len(words) - 10))
    end = start + 2 + int(rand() * 3)
    phrase = [word.strip('"&8') for word in words[start:end]]
    if all(phrase) and phrase[-1][-1].isalnum():
        words[start:end] = ["&" + " ".join(phrase) + "8"]
        paragraph.text = " ".join(words)


def add_redaction(
    paragraph: SyntheticParagraph, model: WordModel, rand: Callable[[], float]
) -> None:
    """A name (a capitalised word inside a sentence) written ``XXXXXXXXXXXX``."""
    words = paragraph.text.split(" ")
    candidates = [
        i
        for i in range(2, len(words))
        if words[i].isalpha()
        and words[i][:1].isupper()
        and not words[i - 1].endswith(SENTENCE_END_CHARS)
    ]
    if candidates:
        words[candidates[int(rand() * len(candidates))]] = "XXXXXXXXXXXX"
        paragraph.text = " ".join(words)


def place_page_breaks(
    paragraphs: list[SyntheticParagraph], text_length: int, rand: Callable[[], float]
) -> int:
    """A page-break line every ``PAGE_SIZE`` characters: before a block, or inside a
    paragraph's first block where a sentence goes on in lower case (the parser joins
    it again). Returns the number of pages."""
    pages = 1
    position = 0
    for paragraph in paragraphs:
        blocks = [paragraph.text, *paragraph.bullets]
        for number, block in enumerate(blocks):
            if position + len(block) >= pages * PAGE_SIZE:
                if position >= pages * PAGE_SIZE - 400 or number > 0 or rand() < 0.4:
                    if not (number == 0 and paragraph.number == 1 and pages == 1 and position == 0):
                        paragraph.breaks.append((number, -1))
                        pages += 1
                else:
                    cut = split_point(block, pages * PAGE_SIZE - position)
                    if cut > 0:
                        paragraph.breaks.append((number, cut))
                        pages += 1
            position += len(block)
    return pages


def split_point(text: str, near: int) -> int:
    """Where a page break can split ``text`` mid-sentence: a space after a word that does
    not end a sentence and before one in lower case; -1 if there is none."""
    start = max(20, min(near, len(text) - 40))
    for _ in range(40):
        space = text.find(" ", start)
        if space < 0 or space > len(text) - 20:
            return -1
        before, after = text[space - 1], text[space + 1 : space + 2]
        if after.islower() and before.isalpha():
            return space + 1
        start = space + 1
    return -1


# --- units, workers and files ---------------------------------------------------------------


def iter_units(count: int, seed: int | str) -> Iterator[tuple[int, list[Plan]]]:
    """The plans in units of ``UNIT_SIZE`` cables, numbered from 0."""
    unit: list[Plan] = []
    number = 0
    for plan in plan_cables(count, seed):
        unit.append(plan)
        if len(unit) == UNIT_SIZE:
            yield number, unit
            number += 1
            unit = []
    if unit:
        yield number, unit


def render_unit(
    seed: int | str, number: int, plans: list[Plan], model: WordModel
) -> Iterator[SyntheticCable]:
    rng = random.Random(f"synthetic-cables:unit:{seed}:{number}")
    for plan in plans:
        yield render(plan, model, rng)


def generate(
    count: int, seed: int | str = 0, model: WordModel | None = None
) -> Iterator[SyntheticCable]:
    """Every synthetic cable, in order, in this process (as :func:`write_corpus` writes them)."""
    model = model or load_model()
    for number, plans in iter_units(count, seed):
        yield from render_unit(seed, number, plans, model)


_WORKER_MODEL: WordModel | None = None


def single_threaded() -> bool:
    """Whether this process runs one thread only (counting threads Python did not start)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _init_worker(model: WordModel | None = None) -> None:
    global _WORKER_MODEL
    if model is not None:
        _WORKER_MODEL = model


def _work(job: tuple) -> tuple[int, int, str]:
    """One unit in a worker: write its .txt files, or return its CSV rows."""
    seed, number, plans, fmt, out = job
    model = _WORKER_MODEL or load_model()
    return _write_unit(seed, number, plans, fmt, out, model)


def _write_unit(seed, number, plans, fmt, out, model) -> tuple[int, int, str]:
    written = 0
    size = 0
    rows: list[str] = []
    made: set[str] = set()
    for cable in render_unit(seed, number, plans, model):
        if fmt == "csv":
            row = cable.csv_row()
            rows.append(row)
            size += len(row)
        else:
            folder = f"{cable.date.year:04d}/{cable.date.month:02d}"
            if folder not in made:
                os.makedirs(os.path.join(out, folder), exist_ok=True)
                made.add(folder)
            text = cable.txt()
            with open(os.path.join(out, cable.path), "w", encoding="utf-8") as file:
                file.write(text)
            size += len(text)
        written += 1
    return written, size, "".join(rows)


@dataclass
class Summary:
    count: int
    bytes: int
    seconds: float
    destination: str
    source: str

    def line(self) -> str:
        rate = self.count / self.seconds if self.seconds else 0.0
        return (
            f"wrote {self.count:,} synthetic cables ({self.bytes / 1e6:,.1f} MB) to "
            f"{self.destination} in {self.seconds:.1f} s: {rate:,.0f} cables/s "
            f"({self.bytes / 1e6 / max(self.seconds, 1e-9):.1f} MB/s); text model: {self.source}"
        )


def write_corpus(
    out: str | os.PathLike,
    count: int,
    seed: int | str = 0,
    fmt: str = "txt",
    workers: int = 1,
    model: WordModel | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write ``count`` cables under ``out``: ``YYYY/MM/REFID.txt`` files (``fmt="txt"``) or
    one ``cables.csv`` (``fmt="csv"``). Streamed: at most a few units are in memory."""
    global _WORKER_MODEL
    if fmt not in ("txt", "csv"):
        raise ValueError(f"unknown format {fmt!r} (txt or csv)")
    started = time.monotonic()
    model = model or load_model()
    out = os.fspath(out)
    os.makedirs(out, exist_ok=True)
    destination = os.path.join(out, "cables.csv") if fmt == "csv" else out
    csv_file = open(destination, "w", encoding="utf-8", newline="") if fmt == "csv" else None  # noqa: SIM115
    written = size = 0

    def take(result: tuple[int, int, str]) -> None:
        nonlocal written, size
        written += result[0]
        size += result[1]
        if csv_file is not None:
            csv_file.write(result[2])
        if progress:
            progress(written)

    jobs = ((seed, number, plans, fmt, out) for number, plans in iter_units(count, seed))
    try:
        if workers <= 1:
            for job in jobs:
                take(_write_unit(*job, model))
        else:
            # Forked workers inherit the model; forking a threaded process is unsafe, so
            # then (and where there is no fork) each worker gets a pickled copy instead.
            fork = single_threaded() and "fork" in multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if fork else "spawn")
            _WORKER_MODEL = model
            initargs = () if fork else (model,)
            with context.Pool(workers, _init_worker, initargs) as pool:
                pending: collections.deque = collections.deque()
                for job in jobs:
                    pending.append(pool.apply_async(_work, (job,)))
                    if len(pending) >= 2 * workers:
                        take(pending.popleft().get())
                while pending:
                    take(pending.popleft().get())
    finally:
        _WORKER_MODEL = None
        if csv_file is not None:
            csv_file.close()
    return Summary(written, size, time.monotonic() - started, destination, model.source)


def print_progress(stream=sys.stderr, total: int = 0) -> Callable[[int], None]:
    """A progress callback that redraws one line on a terminal."""

    def show(done: int) -> None:
        stream.write(f"\r{done:,}/{total:,} cables")
        stream.flush()

    return show
