"""Read a cable's REF lines into the ids of the cables they name, and make ids."""

import re

from .lines import MONTHS

REFERENCE_ITEM = re.compile(
    r"(?:\b(?P<year>\d{2})\s+)?\b(?P<post>[A-Z][A-Z]+(?: [A-Z]+){0,3})\s+0*(?P<serial>\d{2,6})\b"
)

NOT_POSTS = {
    *MONTHS,
    *(
        name.upper()
        for name in (
            "January",
            "February",
            "March",
            "April",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        )
    ),
    "OF",
    "PARA",
    "PARAS",
    "PARAGRAPH",
    "UNSCR",
    "RESOLUTION",
    "SECTION",
    "PAGE",
    "REF",
    "REFS",
    "AND",
    "NO",
    "NUMBER",
    "TO",
    "IN",
    "ON",
    "AT",
    "THE",
    "FOR",
    "DATED",
    "CIRCULAR",
    "E-MAIL",
}


def split_references(text: str, year: int | None) -> list[str]:
    """``A. 08 MEXICO 1234; B. STATE 106206`` -> ``08MEXICO1234``, ``66STATE106206``
    (a reference without a year takes the citing cable's)."""
    text = re.sub(r"¶|\b[A-Z][.)](?=\s)|\bREFS?\b|\bREFTEL\b", " ", text.upper())
    references: list[str] = []
    for match in REFERENCE_ITEM.finditer(text):
        words = [word for word in match.group("post").split() if len(word) > 1]
        if not words or any(word in NOT_POSTS for word in words):
            continue
        reference_year = match.group("year") or (f"{year % 100:02d}" if year else "")
        if not reference_year:
            continue
        reference = f"{reference_year}{''.join(words)}{int(match.group('serial'))}"
        if reference not in references:
            references.append(reference)
    return references


def make_reference_id(year: int | None, post: str, serial: str) -> str:
    """``2008, MEXICO, 2160`` -> ``08MEXICO2160``; empty when a part is missing."""
    if not (year and post and serial):
        return ""
    return f"{year % 100:02d}{post}{serial}"
