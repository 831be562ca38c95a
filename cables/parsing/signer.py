"""Find the name of the signer that closes a cable's text: on a line of its own, after
the last sentence of the last paragraph, or above the post's website notice.

A wrong signer also cuts a word off the text, so a word counts as a name only when
nothing else explains it: not a code, an acronym, a place or a common word."""

import re

from cables.reference.posts import POSTS
from cables.reference.tag_descriptions import COUNTRY_TAGS, ORGANIZATION_TAGS, SUBJECT_TAGS

from .lines import PARAGRAPH_MARKER

# ``"Visit Ankara's Classified Web Site at …"``: a post's notice under the signer's name.
WEBSITE_NOTICE = re.compile(r"^[\"“]?Visit .{0,40}Classified Web ?site", re.IGNORECASE)
PARTICLE = r"(?:van|von|de|del|da|di|le|la)\s"
NAME_WORD = r"[A-Z][A-Za-z'’-]*[A-Za-z]"
SIGNER_NAME = (
    rf"(?:[A-Z]\.\s?){{0,2}}(?:{PARTICLE})?{NAME_WORD}(?:\s(?:{PARTICLE})?{NAME_WORD}){{0,2}}"
    r"(?:,?\s(?:Jr|JR|jr|Sr|SR)\.?|\s(?:II|III|IV))?"
)
# What the release leaves after a name: ``SUSMAN.``, ``Susman , ...``, ``STEVENS 0 02/14/2008``.
NAME_TAIL = r"(?P<tail>(?:\s*[.,\"”'…])*)(?:\s+(?:0\s+)?\d{1,2}/\d{1,2}/\d{4}|\s+\d{4}-\d\d-\d\d)?"
SIGNER_LINE = re.compile(rf"^(?P<name>{SIGNER_NAME}){NAME_TAIL}$")
CAPITALS_WORD = r"[A-Z][A-Z'’-]*[A-Z]"
# ``… the Embassy should so inform the Department. ERELI``: a surname in capitals (or one
# capitalised word) after the last sentence (not an initial: ``David J. Hazarian``), a
# redaction or a row of asterisks.
SIGNER_AFTER_TEXT = re.compile(
    r"(?:(?<=[.)\]\"”'!?*])|(?<=[Xx]{4}))(?<!\s[A-Z]\.)\s+"
    rf"(?P<name>(?P<capitals>(?:[A-Z]\.\s?){{0,2}}{CAPITALS_WORD}(?:\s{CAPITALS_WORD})?)"
    r"|(?:Mc|Mac|Le|De|Di|O')?[A-Z][a-z'’]+)"
    rf"{NAME_TAIL}$"
)
# ``2. (C) Details``: the marking of a paragraph, which no sentence ends with.
MARKING_END = re.compile(r"\([A-Z]{1,5}(?:\s*/+\s*[A-Z]{1,5})*\)$")
# ``… End Comment. LU``: the text's own close, after which even a short surname is one.
END_MARK_END = re.compile(
    r"\bEND\s+(?:OF\s+)?(?:COMMENTS?|TEXT|NOTE|QUOTE|TALKING\s+POINTS|ACTION\s+REQUEST)"
    r"\s*[.:]?$",
    re.IGNORECASE,
)
VOWEL = re.compile(r"[AEIOUY]")
REDACTION = re.compile(r"^[Xx]{3,}")
# A line that closes a text: a sentence's end, a redaction, asterisks, a web address.
TEXT_CLOSE = re.compile(r"(?:[.:;!?)\]\"”'/*]|[Xx]{4})$|https?://|www\.")
# Words that close a cable's text but are no one's name.
NOT_NAMES = {
    *("END", "ENDS", "TEXT", "COMMENT", "COMMENTS", "SUMMARY", "NOTE", "NOTES", "QUOTE"),
    *("UNQUOTE", "MINIMIZE", "CONSIDERED", "ACTION", "REQUEST", "INFO", "CABLE", "MESSAGE"),
    *("PARA", "PARAGRAPH", "SECTION", "PAGE", "REF", "REFTEL", "SEPTEL", "SIPDIS", "NOFORN"),
    *("NODIS", "EXDIS", "LIMDIS", "STADIS", "NOCONTRACT", "ORCON", "PROPIN", "REL", "FGI"),
    *("UNCLASSIFIED", "UNCLAS", "CONFIDENTIAL", "SECRET", "SENSITIVE", "CLASSIFIED", "LIMITED"),
    *("OFFICIAL", "USE", "ONLY", "GDS", "XGDS", "OADR", "DECL", "TAGS", "SUBJECT", "BT"),
    *("NNNN", "AND", "THE", "OF", "FOR", "TO", "IN", "ON", "AT", "BY", "WITH", "BIO"),
    *("BACKGROUND", "CONCLUSION", "INTRODUCTION", "POINTS", "TALKING", "ENTIRE", "PLEASE"),
    *("THANKS", "THANK", "REGARDS", "SIGNED", "DRAFTED", "CLEARED", "APPROVED", "SENT"),
    *("PASS", "PASSED", "REASON", "REASONS", "FYI", "TBD", "NA", "NONE", "STATE"),
    *("WHY", "WHAT", "WHO", "WHEN", "WHERE", "HOW", "YES", "NO", "NOT", "OK", "ALL", "IT"),
    *("US", "USA", "UK", "UN", "EU", "OTHER", "OTHERS", "DETAILS", "DETAIL", "NEXT", "MORE"),
    *("CHEERS", "BEST", "SINCERELY", "RESPECTFULLY", "TODAY", "TOMORROW", "OVERVIEW"),
    *("ANALYSIS", "DISCUSSION", "ISSUES", "PURPOSE", "PARTICIPANTS", "RECOMMENDATION"),
    *("RECOMMENDATIONS", "CONTEXT", "COMMENTARY", "CONCLUSIONS", "ATTACHMENT", "ENCLOSURE"),
    *("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"),
    *("JANUARY", "FEBRUARY", "MARCH", "APRIL", "JUNE", "JULY", "AUGUST", "SEPTEMBER"),
    *("OCTOBER", "NOVEMBER", "DECEMBER", "EMBASSY", "CONSULATE", "MISSION", "POST"),
}
CODES = {*SUBJECT_TAGS, *COUNTRY_TAGS, *ORGANIZATION_TAGS}


def place_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


PLACES = {place_key(place) for place in [*POSTS, *COUNTRY_TAGS.values()]}


def take_signer(lines: list[str]) -> str:
    """Remove and return the signer's name that closes the text, if there is one: on a
    line of its own, after the last sentence of the last paragraph, or above the post's
    website notice."""
    last = last_text_line(lines, len(lines))
    if last > 0 and (name := signer_alone(lines[last], lines[last - 1])):
        del lines[last]
        return name
    if last >= 0 and (start := signer_after_text(lines[last])) is not None:
        name = SIGNER_AFTER_TEXT.search(lines[last]).group("name")
        lines[last] = lines[last][:start].rstrip()
        return name
    notice = last_block_start(lines)
    if notice > 0 and WEBSITE_NOTICE.match(lines[notice]):
        above = last_text_line(lines, notice)
        if above > 0 and (name := signer_alone(lines[above], lines[above - 1])):
            del lines[above]
            return name
    return ""


def last_text_line(lines: list[str], end: int) -> int:
    """The index of the last line before ``end`` that is not blank, or -1."""
    last = end - 1
    while last >= 0 and not lines[last]:
        last -= 1
    return last


def signer_alone(line: str, previous: str) -> str:
    """The name on a line of its own. A name in capitals without a full stop cannot be
    text; ``Stephens.`` may end a sentence wrapped from the line before, so it counts
    only after a line that closes the text (or a blank), and never names a place."""
    match = SIGNER_LINE.match(line) if len(line) <= 40 else None
    if not match or not is_name(match.group("name")):
        return ""
    name = match.group("name")
    if name.upper() == name and not line.endswith("."):
        return name if not is_acronym(name) else ""
    if is_place(name):
        return ""
    return name if not previous or TEXT_CLOSE.search(previous) else ""


def signer_after_text(line: str) -> int | None:
    """Where the signer written after the last sentence starts, or None: a surname in
    capitals of three letters or more (two after ``End Comment.``), or one capitalised
    word that is no one-word sentence (``Other.``). Never a paragraph's first word."""
    match = SIGNER_AFTER_TEXT.search(line)
    if not match or not is_name(match.group("name")) or is_place(match.group("name")):
        return None
    before = line[: match.start()].rstrip()
    marker = PARAGRAPH_MARKER.match(line)
    if MARKING_END.search(before) or (marker and marker.start("text") >= match.start("name")):
        return None
    if match.group("capitals"):
        surname = match.group("capitals").split()[-1]
        shortest = 2 if END_MARK_END.search(before) else 3
        return match.start() if len(surname) >= shortest and not is_acronym(surname) else None
    return match.start() if not match.group("tail").startswith(".") else None


def last_block_start(lines: list[str]) -> int:
    position = len(lines)
    while position > 0 and lines[position - 1]:
        position -= 1
    return position


def is_name(name: str) -> bool:
    """Not a heading, a caveat, an end mark or a redaction set where a name would be."""
    words = re.findall(r"[A-Za-z'’]+", name.upper())
    return not REDACTION.match(name) and not any(word in NOT_NAMES for word in words)


def is_place(name: str) -> bool:
    """``Bahrain``, ``NEW YORK``: a post or a country, not a person."""
    return place_key(name) in PLACES


def is_acronym(word: str) -> bool:
    """``IAEA``, ``PREL``, ``USG``: a code of the TAGS line, or capitals without a vowel."""
    return len(word) > 2 and (word in CODES or not VOWEL.search(word))
