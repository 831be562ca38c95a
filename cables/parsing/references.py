"""Read a cable's REF lines into the ids of the cables they name, and make ids.

A reference id is the release's: year, post and serial run together (``08MEXICO2160``,
``05SAOPAULO405``, ``09UNVIEVIENNA148``). A REF line names cables as ``[YEAR] POST
SERIAL`` (``A. 08 MEXICO 1234; B. STATE 106206``, ``2007 MANAGUA 2135``, ``ASUNCION 701
(08)``, ``09CAIRO0561``); it also names e-mails, telcons, reports and resolutions,
which are no cables and give no id. The post decides: a known post, or a damaged
spelling (``0TTAWA``, ``BRASILA``) of exactly one known post. A name no list knows
gives no id: a wrong id in the reference graph is worse than a missing one.
"""

import re

from cables.reference.posts import POSTS

from .lines import MONTHS, expand_year


def id_spelling(name: str) -> str:
    """``Port-au-Prince`` -> ``PORTAUPRINCE``, ``N'Djamena`` -> ``NDJAMENA``: a post as
    reference ids spell it, its letters alone."""
    return "".join(char for char in name.upper() if char.isalpha())


# Posts as reference ids spell them: the places of cables/reference/posts.py, and the Department
# and the missions, which are in no country.
KNOWN_POSTS = {id_spelling(place) for place in POSTS} | {
    "STATE", "GENEVA", "USNATO", "USEUBRUSSELS", "UNVIEVIENNA", "USUNNEWYORK", "USOSCE",
    "USOECD", "USUNROME", "USUNESCO", "RPODUBAI",
}  # fmt: skip

# Short or older names for a post -> the post as the release's ids spell it.
ALIASES = {
    "SECSTATE": "STATE",
    "SECSTATEWASHDC": "STATE",
    "UNVIE": "UNVIEVIENNA",
    "USUN": "USUNNEWYORK",
    "USEU": "USEUBRUSSELS",
    "HAGUE": "THEHAGUE",
    "MEXICOCITY": "MEXICO",
    "RIO": "RIODEJANEIRO",
    "VAT": "VATICAN",
    "BA": "BUENOSAIRES",
    "ADDIS": "ADDISABABA",
}

# Office words before a post (``EMBASSY VIENNA 1450``, ``USMISSION GENEVA 231``).
OFFICE_WORDS = {
    "EMBASSY", "AMEMBASSY", "USEMBASSY", "AMCONSUL", "AMCONGEN", "CONGEN", "CONSULATE",
    "GENERAL", "USMISSION", "MISSION", "USINT", "USOFFICE", "AIT",
}  # fmt: skip

MONTH_NAMES = {
    *MONTHS,
    "JANUARY", "FEBRUARY", "MARCH", "APRIL", "JUNE", "JULY", "AUGUST", "SEPT",
    "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER",
}  # fmt: skip

# Words that are no post: what else a REF line names (``LEE-GOLDSTEIN EMAIL``,
# ``CAIRO IIR 6 899``, ``7 FAM 180``, ``UNSCR 1737``, ``SECDEF 122723``), and words
# that stand before a number in dates and running text.
NOT_POSTS = {
    *MONTH_NAMES,
    "EMAIL", "EMAILS", "MAIL", "MEMO", "MEMCON", "TELCON", "TELECON", "TELECONS",
    "TELCONS", "FAX", "LETTER", "NOTE", "DIPNOTE", "REPORT", "DAILY", "POINTS", "MSG",
    "MESSAGE", "DTG", "IIR", "OSC", "FBIS", "FAM", "FAH", "UNSCR", "UNSC",
    "RESOLUTION", "RES", "SECDEF", "CIRCULAR", "SECTION", "PARA", "PARAS", "PARAGRAPH",
    "PAGE", "NUMBER", "NOTAL", "NOTALS", "EXDIS", "NODIS", "LIMDIS", "SIPDIS",
    "STADIS", "AND", "OF", "NO", "TO", "IN", "ON", "AT", "THE", "FOR", "DATED", "FROM",
    "PREVIOUS", "TOTAL", "ITEM", "ANNEX", "ACT", "LAW", "ARTICLE", "CHAPTER", "DECREE",
}  # fmt: skip

# ``[YEAR] POST SERIAL``: a four- or two-digit year (``2007``, ``07``, ``'07``,
# ``(07)``), up to five words (a word starts with a letter, or with a 0 or 1 standing
# for O or I), and the serial, which is no part of a date (``05/11/07``,
# ``9-18-2008``) nor of a longer number. Or all written as one word: ``09CAIRO0561``.
SERIAL_END = r"(?![\w/]|[.:-]\d|\.\.)"
REFERENCE = re.compile(
    r"(?:(?<![\w./-])(?:'?(?P<year>(?:19|20)\d\d|\d\d)|\((?P<bracketed_year>\d\d)\))\s*)?"
    r"(?<![A-Z01])(?P<words>[01]?[A-Z][A-Z01]*(?:[ -]+[01]?[A-Z][A-Z01]*){0,4})"
    r"\s+0*(?P<serial>\d{1,6})" + SERIAL_END + "|"
    r"(?<![\w./-])(?P<compact_year>\d\d)(?P<compact_words>[A-Z]{3,})0*(?P<compact_serial>\d{1,6})\b"
)
# ``ASUNCION 701 (08)``: the year after the serial.
YEAR_AFTER = re.compile(
    r"\s*\((?:19|20)?(?P<year>\d\d)\)|\s+OF\s+(?:19|20)(?P<year_of>\d\d)\b(?!\s*[-/])"
)
# A number after a serial that is not the year of a next reference (``13 09 ROME 1084``).
NUMBER_AFTER = re.compile(r"\s+\d+(?!\d|\s+'?[01]?[A-Z])")
# Words after a number, up to what may be the next reference's serial.
WORDS_AFTER = re.compile(r"(?:\s+[A-Z][A-Z]+){1,5}")
# ``BRASILIA 2799 AND 2764``: more serials of the same post, unless the number is the
# year of the next reference (``ROME 2543, 03 VAT 4859``).
MORE_SERIALS = re.compile(
    r"\s*(?:,|&|\bAND\b)\s*0*(?P<serial>\d{1,6})"
    + SERIAL_END
    + r"(?!\s+'?[01]?[A-Z][A-Z01]*(?:[ -][A-Z]+){0,3}\s+\d)"
)
# ``2 MAY 2006``: a day, not a serial.
MONTH_AFTER = re.compile(r"\s+(?:" + "|".join(sorted(MONTH_NAMES)) + r")\b")
# List labels (``A.``, ``(B)``, ``C)``, ``¶D.``) and the words REF, REFS, REFTEL: they
# separate references.
LABELS = re.compile(r"¶|\(?\b[A-Z]\)|\b[A-Z]\.(?=\s|$)|\bREF(?:S|TELS?)?\b")
# A page-break header run into the REF text: ``TRIPOLI 00000227 001.2 OF 005``.
PAGE_BREAK = re.compile(r"\b0\d{7}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}\b")
# What ends a REF list that ran on into other lines: the Classified By or Derived From
# line, or a leaked database row (``id: 112682 date: 6/19/2007``).
END_OF_REFERENCES = re.compile(r"\bCLASSIFIED\s+BY\b|\bDERIVED\s+FROM\b|\bID:\s*\d+\s+DATE:")


def _deletions(word: str) -> set[str]:
    return {word[:index] + word[index + 1 :] for index in range(len(word))}


# Every name that stands for a post, and the post (``SECSTATE`` -> ``STATE``).
_NAMES = {**{post: post for post in KNOWN_POSTS}, **ALIASES}
LONGEST_NAME = max(map(len, _NAMES))
# A name with one letter dropped -> the names it could come from.
_MISSING_LETTER: dict[str, set[str]] = {}
for _name in _NAMES:
    for _variant in _deletions(_name):
        _MISSING_LETTER.setdefault(_variant, set()).add(_name)


def _near_names(name: str) -> set[str]:
    """The names of posts one letter away from ``name`` (one missing, one extra). A last
    letter is extra only when it doubles the one before (``TRIPOLII``): ``KUWAITI`` and
    ``OMANI`` are adjectives."""
    if len(name) > LONGEST_NAME + 1:
        return set()
    extra = {variant for variant in _deletions(name) if variant in _NAMES}
    if name[-1:] != name[-2:-1]:
        extra.discard(name[:-1])
    return _MISSING_LETTER.get(name, set()) | extra


def _known(name: str) -> str:
    """The post a name stands for, as ids spell it, or ``""``."""
    name = ALIASES.get(name, name)
    return name if name in KNOWN_POSTS else ""


def _repaired(name: str) -> str:
    """A damaged spelling of exactly one known post (``0TTAWA``, ``SANTIAG0``; one letter
    missing or extra against a name of six letters or more: ``BRASILA``, ``TRIPOLII``)
    -> that post; ``""`` when it is none or several (``ANAMA``: Panama or Manama)."""
    name = name.replace("0", "O").replace("1", "I")
    if known := _known(name):
        return known
    near = {_NAMES[near] for near in _near_names(name) if len(near) >= 6}
    return near.pop() if len(near) == 1 else ""


def reference_post(words: str) -> str:
    """The post of the words before a serial, as ids spell it, or ``""`` when they name
    no cable. The post ends at the serial: ``B HAVANA`` is Havana, ``CAIRO IIR`` none.
    A name that is no known post, nor a damaged spelling of one, names no cable
    (``INCSR BRAZIL 2008``, ``DEMARCHE 12``, ``SAO 06 PAULO 1038``)."""
    names = [name for name in words.split() for name in name.split("-") if len(name) > 1]
    names = [name for name in names if name not in OFFICE_WORDS]
    if not names or names[-1] in NOT_POSTS:
        return ""
    suffixes = ["".join(names[start:]) for start in range(len(names))]
    for suffix in suffixes:
        if known := _known(suffix):
            return known
    for suffix in reversed(suffixes):
        if repaired := _repaired(suffix):
            return repaired
    return ""


def _cleaned(text: str) -> str:
    """Upper case, cut where the REF list ends, labels and page breaks made separators."""
    text = text.upper()
    if end := END_OF_REFERENCES.search(text):
        text = text[: end.start()]
    text = PAGE_BREAK.sub(" ; ", text)
    return LABELS.sub(" ; ", text)


def split_references(text: str, year: int | None) -> list[str]:
    """``A. 08 MEXICO 1234; B. STATE 106206`` -> ``08MEXICO1234``, ``66STATE106206``
    (a reference without a year takes the citing cable's).

    Without the citing cable's year, a reference that has none cannot be read: then
    nothing is returned, so that the caller reads them all once it knows the year."""
    text = _cleaned(text)
    citing_year = f"{year % 100:02d}" if year else ""
    references: list[str] = []
    position = 0
    while match := REFERENCE.search(text, position):
        written_year, words, serial = _parts(match)
        post = reference_post(words)
        if not post:
            # ``AND 08 ROME 1235``: the number after a word that is no post may be the
            # year of the next reference.
            position = match.end("words") if match.group("words") else match.end()
            continue
        position = match.end()
        if _is_day(serial, text, position) or not _is_serial(serial, text, position):
            continue
        serials = [(serial, written_year)]
        position = _year_after(text, position, serials)
        while more := MORE_SERIALS.match(text, position):
            if _is_day(more.group("serial"), text, more.end()):
                break
            serials.append((more.group("serial"), written_year))
            position = _year_after(text, more.end(), serials)
        for serial, reference_year in serials:
            reference_year = reference_year[-2:] if reference_year else citing_year
            if not reference_year:
                return []
            if year and expand_year(reference_year) > year:
                continue  # no cable cites one sent after it: the number is no year
            reference = f"{reference_year}{post}{int(serial)}"
            if int(serial) and reference not in references:
                references.append(reference)
    return references


def _year_after(text: str, position: int, serials: list[tuple[str, str]]) -> int:
    """``ASUNCION 701 (08)``, ``STATE 1234 (2008)``, ``ROME 1234 OF 2008``: a year after
    the last serial is its own. Returns where the text goes on."""
    if after := YEAR_AFTER.match(text, position):
        serial, year = serials[-1]
        serials[-1] = (serial, year or after.group("year") or after.group("year_of"))
        return after.end()
    return position


def _is_serial(serial: str, text: str, end: int) -> bool:
    """Not a number that only looks like a serial: two digits followed by another number
    (``MANAGUA 07 2135``), or a year followed by words that cite nothing (``ZAGREB 2008
    ELECTIONS REPORT``)."""
    if len(serial) <= 2 and NUMBER_AFTER.match(text, end):
        return False
    if re.fullmatch(r"19[6-9]\d|20[01]\d", serial) and (words := WORDS_AFTER.match(text, end)):
        return bool(re.match(r"\s+\d", text[words.end() :]))
    return True


def _parts(match: re.Match[str]) -> tuple[str, str, str]:
    """The year (or ``""``), the words of the post, and the serial of a reference."""
    if match.group("compact_words"):
        return (
            match.group("compact_year"),
            match.group("compact_words"),
            match.group("compact_serial"),
        )
    year = match.group("year") or match.group("bracketed_year") or ""
    return year, match.group("words"), match.group("serial")


def _is_day(serial: str, text: str, end: int) -> bool:
    """Whether a number is the day of a date (``EMAIL 2 MAY 2006``), not a serial."""
    return int(serial) <= 31 and bool(MONTH_AFTER.match(text, end))


def make_reference_id(year: int | None, post: str, serial: str) -> str:
    """``2008, MEXICO, 2160`` -> ``08MEXICO2160``; empty when a part is missing."""
    if not (year and post and serial):
        return ""
    return f"{year % 100:02d}{post}{serial}"
