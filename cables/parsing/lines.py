"""The shapes of a cable's lines that more than one part of the parser reads, and the
helpers that join and mark them."""

import re

# How far down the text the routing header and field lines are looked for.
HEADER_LINES = 600

MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        start=1,
    )
}

PAGE_BREAK_LINE = re.compile(
    r"^(?:[A-Z][A-Z .'()-]*\s+\d{5,}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}|PAGE\s+\d{2,3}\s+.*)$"
)
# The level repeated at the foot and head of each page of old telegrams.
PAGE_FOOTER = re.compile(
    r"^(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)(?:\s+PTQ\d+)?$"
)
# ``------- OVERVIEW AND ACTIVITIES -------``: a heading set between dashes on one line.
DASHED_HEADING = re.compile(r"^-{3,}\s*([A-Za-z][^-]{0,78}?)\s*-{3,}$")
DASH_LINE = re.compile(r"^[-=_*]{3,}(?:\s+[-=_*]+)*$")
# The executive orders under which cables are classified: ``E.O. 12958: DECL: …``, but
# not ``E.O. 13224`` (terrorist designations), which subjects name.
CLASSIFYING_ORDER = r"(?:E\.\s?O\.|EO)(?=\s*:?\s*(?:1(?:2958|2356|1652|2065|3526)\b|DECL|N/?A\b))"
FIELD_LINE = re.compile(
    r"^(?P<name>" + CLASSIFYING_ORDER + r"|TAGS|SUBJ(?:ECT)?|UBJECT|REF(?:S|\(S\)|TELS?)?"
    r"|CLASSIFIED BY|DECL)"
    r"(?![A-Za-z])"
    r"\s*:?\s*(?P<value>.*)$",
    re.IGNORECASE,
)
PARAGRAPH_MARKER = re.compile(
    r"^(?P<pilcrow>¶\s*)?(?P<number>\d{1,3})\s*\.(?:\s+|$|(?=\())"
    r"(?:\((?P<marking>[A-Z]{1,5}(?:\s*//?\s*[A-Za-z][A-Za-z ,.]{0,40}|-[A-Z]{1,4})?)\)\s*)?"
    r"(?P<text>.*)$"
)
BULLET_LINE = re.compile(r"^(?:--|-\s|\*\s|o\s|[A-Z]\.\s|\([A-Za-z0-9]{1,3}\)\s)")
STRAIGHT_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
SENTENCE_END = re.compile(r"[.:;!?)\]\"”'/]$")
END_LINES = {"BT", "NNNN", "#"}


DANGLING_WORDS = {
    "A",
    "AN",
    "AND",
    "AT",
    "BY",
    "FOR",
    "FROM",
    "IN",
    "OF",
    "ON",
    "OR",
    "THE",
    "TO",
    "WITH",
}


def dangling(line: str) -> bool:
    """A line ending on a word that cannot end a subject: ``… VISIT TO``."""
    words = line.split()
    return bool(words) and words[-1].upper() in DANGLING_WORDS


def expand_year(year: str) -> int:
    if len(year) == 4:
        return int(year)
    value = int(year)
    return 1900 + value if value >= 60 else 2000 + value


def join_lines(lines: list[str]) -> str:
    """Join hard-wrapped lines with one space; bullets and list items keep their own line."""
    out: list[list[str]] = []
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        if out and not BULLET_LINE.match(line):
            last = out[-1][-1]
            # ``JURIS-`` / ``DICTION``: a word hyphenated at the line's end is one word.
            if last[-1:] == "-" and last[-2:-1].isalpha():
                out[-1][-1] = last + line
            else:
                out[-1].append(line)
        else:
            out.append([line])
    return "\n".join(" ".join(parts) for parts in out)
