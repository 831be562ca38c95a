"""Read who classified a cable, under which reasons of E.O. 12958, and until when.

``Acting Deputy Chief of Mission Marc Wall for Reasons 1.4 (b) and (d)`` gives the
person (Marc Wall), the title (Acting Deputy Chief of Mission) and the reasons in
one form (``1.4 (b), (d)``). The line itself is kept as written; these are derived.
"""

import re
from dataclasses import dataclass
from datetime import date

from cables.reference.posts import POSTS

from .lines import expand_year

# ``(U) CLASSIFIED BY:``, ``Classified by``, ``CLASSIFIED CONFIDENTIAL BY``, ``Confidential by``.
LEADING_LABEL = re.compile(
    r"^(?:\(U\)\s*)?(?:(?:CLASSIFIED|CONFIDENTIAL|SECRET)(?:\s+(?:CONFIDENTIAL|SECRET))?"
    r"\s+BY\b\s*:?\s*)?",
    re.IGNORECASE,
)
# Hard-wrapped lines split words anywhere: ``rea sons``, ``FO R``, ``1. 4``.
REASON_WORD = r"R\s?E\s?A\s?S\s?O\s?N(?:\s?S)?\b"
REASONS_START = re.compile(
    r"(?:E\.\s?O\.\s*12958\s*[,;:.]?\s*)?(?:\b(?:F\s?O\s?R?|P\s?E\s?R)\s+)?"
    rf"(?:\b{REASON_WORD}\.?\s*[:,]?\s*)?(?:\(\s*)?(?:Section\s+)?(?:(?:E\.\s?O\.\s*)?12958\s*[:,]?\s*)?"
    r"(?<![\d.])(?P<section>1\s?\.?\s?[45])(?!\d)\.?",
    re.IGNORECASE,
)
REASON_WORD_ONLY = re.compile(rf"(?:\b(?:FOR|PER)\s+)?\b{REASON_WORD}", re.IGNORECASE)
# One piece of a list of reasons: a letter, a bracket, a separator or a range dash.
REASON_TOKEN = re.compile(
    r"\s*(?:(?P<separator>a\s?n\s?d\b|or\b|[,&/()])|(?P<letter>[a-h])(?![a-z])|(?P<range>-))",
    re.IGNORECASE,
)
SEGMENT_SEPARATOR = re.compile(r"\s*[,;:](?:\s+|$)\s*")
NAME_SUFFIX = re.compile(r",\s*((?:Jr|Sr|JR|SR)\.?|II|III|IV)(?=[\s,;:]|$)")
AD_INTERIM = re.compile(r"\b[Aa]\.\s?[Ii]\.(?=[\s,;:]|$)")
INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}$")
NAME_WORD = re.compile(r"^[A-Z][A-Za-z'’,-]*[A-Za-z]$")
REDACTION = re.compile(r"^[Xx]{3,}")
PARTICLES = {"van", "von", "de", "del", "della", "da", "di", "du", "der", "den", "bin", "al", "el"}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# Words of ranks and offices, and the abbreviations the posts write them with.
TITLE_WORDS = {
    *("ambassador", "amb", "charge", "chargé", "charg", "d'affaires", "d’affaires", "d,affaires"),
    *("affaires", "affairs", "a.i", "ad", "interim", "cda", "dcm", "deputy", "chief", "mission"),
    *("principal", "officer", "office", "counselor", "counsellor", "couns", "minister", "minster"),
    *("mincouns", "mincons", "political", "politcal", "economic", "econ", "eco", "pol", "min"),
    *("polcouns", "polcounselor", "polchief", "polecon", "poloff", "econoff", "econcouns"),
    *("emboff", "director", "dir", "acting", "assistant", "secretary", "under", "das", "pdas"),
    *("consul", "general", "cg", "com", "head", "unit", "section", "embassy", "consulate"),
    *("coordinator", "advisor", "adviser", "special", "representative", "envoy", "attache"),
    *("legal", "regional", "security", "rso", "administrator", "commander", "permanent"),
    *("state", "department", "dept", "dos", "exec", "staff", "delegation", "counsel", "team"),
    *("leader", "interagency", "provincial", "governance", "spokesman", "resident", "senior"),
    *("econpol", "ecopol", "minister-counselor", "polmincouns", "polmincons"),
}
# ``Embassy Rome``, ``Interests Section Havana``: the words after these name a post.
OFFICE_WORDS = {"embassy", "consulate", "mission", "section"}


def place_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


POST_KEYS = {place_key(post) for post in POSTS}


@dataclass(frozen=True)
class Authority:
    """What a Classified By line says: who, in which office, under which reasons."""

    who: str  # the words before the reasons, as written: ``Ambassador Anne W. Patterson``
    person: str  # ``Anne W. Patterson``, or "" when no name can be told apart
    title: str  # ``Ambassador``
    reasons: str  # ``1.4 (b), (d)``, or "" when the line gives none (or cuts them off)
    letters: tuple[str, ...]  # ``("b", "d")``


def read_authority(line: str) -> Authority:
    """Split a Classified By line into the person, the title and the reasons."""
    text = LEADING_LABEL.sub("", " ".join(line.split()))
    who, rest = split_at_reasons(text)
    reasons, letters = normalize_reasons(rest)
    who, cut = cut_off(who)
    who = clean_who(who)
    person, title = split_person(who)
    if cut and person and who.endswith(person):
        person = ""  # the release cut the line inside the name
    return Authority(who=who, person=person, title=title, reasons=reasons, letters=letters)


def split_at_reasons(text: str) -> tuple[str, str]:
    """The words before the reasons, and the reasons from their section number on."""
    match = REASONS_START.search(text)
    if match:
        return text[: match.start()], text[match.start("section") :]
    match = REASON_WORD_ONLY.search(text)
    if match:
        return text[: match.start()], ""
    return text, ""


def normalize_reasons(text: str) -> tuple[str, tuple[str, ...]]:
    """``1.4(B)(D )``, ``1.4 b/d``, ``1.5 (b)-(d)`` -> ``1.4 (b), (d)`` and its letters.

    The letters of E.O. 12958 are always listed in order, so a letter that does not
    follow the last one (the ``(C)`` marking of the next paragraph) ends the list."""
    match = re.match(r"1\s?\.?\s?([45])\.?", text)
    if not match:
        return "", ()
    section = f"1.{match.group(1)}"
    letters: list[str] = []
    pending_range = False
    position = match.end()
    while token := REASON_TOKEN.match(text, position):
        if token.group("letter"):
            letter = token.group("letter").lower()
            if letters and letter <= letters[-1]:
                break
            if pending_range and letters:
                letters += [chr(code) for code in range(ord(letters[-1]) + 1, ord(letter))]
            letters.append(letter)
            pending_range = False
        elif token.group("range"):
            pending_range = True
        position = token.end()
    if text[position:].lstrip(" ,;").startswith(("...", "…")):
        return "", ()  # the release cut the line inside the reasons
    if not letters:
        return section, ()
    return f"{section} " + ", ".join(f"({letter})" for letter in letters), tuple(letters)


def cut_off(who: str) -> tuple[str, bool]:
    """``Ambassador Cl...`` -> (``Ambassador``, True): drop the word the release cut
    off, and tell whether the cut fell inside a word (not after ``,`` or a space)."""
    text = who.rstrip()
    for ellipsis in ("...", "…"):
        if text.endswith(ellipsis):
            text = text[: -len(ellipsis)]
            break
    else:
        return who, False
    if not text[-1:].isalnum():
        return text, False
    kept = text.rsplit(" ", 1)[0] if " " in text else ""
    return kept, not kept.endswith((",", ";", ":"))


def clean_who(who: str) -> str:
    """Drop what closes the words before the reasons: a dangling ``for``, punctuation."""
    who = re.sub(r"\s+(?:for|per)$", "", who.strip(" ,;:."), flags=re.IGNORECASE)
    who = who.strip(" ,;:.")
    return f"{who}." if re.search(r"\b(?:Jr|Sr|JR|SR)$", who) else who


def split_person(who: str) -> tuple[str, str]:
    """``Acting DCM Marc Wall`` -> (``Marc Wall``, ``Acting DCM``); ``Rose E. Gottemoeller,
    Assistant Secretary`` -> (``Rose E. Gottemoeller``, ``Assistant Secretary``).

    A name is a run of capitalised words and initials that ends a part of the line,
    with a title word (or nothing) before it; the rest of the line is the title."""
    all_capitals = who.upper() == who
    who = AD_INTERIM.sub("a.i.", NAME_SUFFIX.sub(r" \1", who))
    segments = [segment for segment in SEGMENT_SEPARATOR.split(who) if segment]
    for position, segment in enumerate(segments):
        words = segment.split()
        start = name_start(words, all_capitals)
        if start is None:
            continue
        title_parts = [*segments[:position], " ".join(words[:start]), *segments[position + 1 :]]
        title = ", ".join(part for part in title_parts if part)
        return " ".join(words[start:]), strip_closing_period(title.strip(" ,;:"))
    if who and all(is_office(segment.split(), all_capitals) for segment in segments):
        return "", who
    return "", ""


def is_office(words: list[str], all_capitals: bool) -> bool:
    """``Political Section``, ``Embassy Rome``: words of ranks and offices, which may end
    with the post they are at."""
    end = len(words)
    for length in (3, 2, 1):
        if len(words) > length and place_key(" ".join(words[-length:])) in POST_KEYS:
            end = len(words) - length
            break
    return all(is_title_word(word, all_capitals) for word in words[:end])


def strip_closing_period(text: str) -> str:
    """``Ambassador.`` -> ``Ambassador``, but ``Charge d'Affaires a.i.`` keeps its period."""
    last_word = text.split()[-1] if text.split() else ""
    return text if last_word.count(".") > 1 else text.rstrip(".")


def name_start(words: list[str], all_capitals: bool) -> int | None:
    """Where the name that ends these words starts, or None if they do not end in one."""
    start = len(words)
    while start > 0 and is_name_word(words[start - 1], all_capitals):
        start -= 1
    name = words[start:]
    if not name or name[0].lower() in SUFFIXES:
        return None
    full_words = [word for word in name if NAME_WORD.match(word)]
    if not full_words or len(full_words) > 3:
        return None
    last = name[-1]
    if INITIALS.match(last) or last.lower() in PARTICLES:
        return None
    if start > 0 and not is_title_word(words[start - 1], all_capitals):
        return None  # ``Derived from Multiple Sources``: not a name after a title
    if names_a_post(words[:start]):
        return None  # ``Embassy Rome``: a post, not a person
    if place_key(" ".join(name)) in POST_KEYS:
        return None
    return start


def names_a_post(words: list[str]) -> bool:
    """Whether the words end with an office whose post follows: ``Embassy``, ``Political
    Section``, but not ``Chief of Mission`` (whose holder follows)."""
    if not words or words[-1].strip(".,").lower() not in OFFICE_WORDS:
        return False
    return len(words) < 2 or words[-2].lower() != "of"


def is_name_word(word: str, all_capitals: bool) -> bool:
    if INITIALS.match(word) or word.lower() in SUFFIXES:
        return True
    if REDACTION.match(word) or is_title_word(word, all_capitals):
        return False
    return bool(NAME_WORD.match(word) or word.lower() in PARTICLES)


def is_title_word(word: str, all_capitals: bool) -> bool:
    """A word of a rank or an office: ``Ambassador``, ``Amb.``, ``POL/C``, ``DCM`` (in a
    line not all in capitals), ``Minister-Counselor``, ``PolMinCouns``."""
    bare = word.strip(".,;:'’")
    if bare.lower() in TITLE_WORDS or "/" in bare:
        return True
    if not all_capitals and len(bare) >= 2 and bare.isupper():
        return True
    parts = [*bare.split("-"), *re.findall(r"[A-Z][a-z]+", bare)]
    return len(parts) > 1 and any(part.lower() in TITLE_WORDS for part in parts)


# Where a cable's text opens with its Classified By line: ``1. CLASSIFIED BY …``.
CLASSIFIED_BY_TEXT = re.compile(r"^(?:\(U\)\s*)?CLASSIFIED\s+BY\b\s*:?\s*", re.IGNORECASE)


def classified_by_in_text(text: str) -> str:
    """The Classified By line that opens a paragraph, up to the end of its reasons."""
    opening = CLASSIFIED_BY_TEXT.match(text)
    if not opening:
        return ""
    line = text[opening.end() :].split("\n", 1)[0]
    match = REASONS_START.search(line)
    if not match:
        return line[:200].strip()
    position = match.end()
    while token := REASON_TOKEN.match(line, position):
        position = token.end()
    return line[:position].strip()


# ``11/22/2012``, ``4/24/05``, ``12-29-13``, ``011/2/2019`` (month, day, year) or
# ``2020/02/23``, ``2019-02-12`` (year, month, day), at the start of the DECL value.
US_DATE = re.compile(
    r"^(?:DECL\w*(?:\s+ON)?\s*:?\s*)?(\d{1,3})([/-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)"
)
ISO_DATE = re.compile(r"^(?:DECL\w*(?:\s+ON)?\s*:?\s*)?(\d{4})([/-])(\d{1,2})\2(\d{1,2})(?!\d)")


def declassify_date(value: str) -> date | None:
    """The date a DECL value names, read as a US date; None for what is not a date
    (``OADR``, ``X1``, ``25X1``, ``N/A``) or not a real day (``02/30/2015``)."""
    value = value.strip()
    if match := ISO_DATE.match(value):
        year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
    elif match := US_DATE.match(value):
        month, day = int(match.group(1)), int(match.group(3))
        year = expand_year(match.group(4))
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
