"""Read a cable's TAGS line into its tags: codes (``PREL``, ``IT``, ``UNGA/C-6``), person
tags (``CLINTON, HILLARY``) and the few multi-word tags the release uses."""

import re

from ..reference.tag_descriptions import COUNTRY_TAGS, ORGANIZATION_TAGS, SUBJECT_TAGS

KNOWN_TAGS = frozenset(SUBJECT_TAGS) | frozenset(COUNTRY_TAGS) | frozenset(ORGANIZATION_TAGS)
# Countries written out (``AFGHANISTAN, PAKISTAN``) are no person's names.
COUNTRY_WORDS = frozenset(
    word.upper() for name in COUNTRY_TAGS.values() for word in name.split() if len(word) > 3
)
TAG_LINK = re.compile(r"\[([^\]]+)\]\(#\)")
MOST_TAGS = 30

# A code: 2-6 letters, maybe with digits, a hyphen or a slash (``AU-1``, ``UNGA/C-6``).
CODE_TAG = re.compile(r"^[A-Z][A-Z0-9]{1,5}(?:[-/][A-Z0-9]{1,6}){0,2}$")
# A person tag: ``CLINTON, HILLARY``, ``STEINBERG, B.``, ``STEINBERG, JAMES B.``.
GIVEN_NAME = r"[A-Z](?:[A-Z'-]+|\.)"
PERSON_TAG = re.compile(rf"^[A-Z][A-Z'-]+, {GIVEN_NAME}(?: {GIVEN_NAME})?$")
PERSON_IN_PARENTHESES = re.compile(rf"^\(([A-Z][A-Z'-]+), ?({GIVEN_NAME}(?: {GIVEN_NAME})?)\)$")
# Tags written as words, where no rule can tell one tag from several or from prose.
KNOWN_WORD_TAGS = frozenset(
    {
        "COUNTER TERRORISM",
        "COUNTERTERRORISM",
        "COUNTRY CLEARANCE",
        "GAZA DISENGAGEMENT",
        "GOI EXTERNAL",
        "GOI INTERNAL",
        "HUMAN RIGHTS",
        "INTERPOL",
        "IRAQI FREEDOM",
        "ISRAELI PALESTINIAN AFFAIRS",
        "ITALIAN POLITICS",
        "ITALY NATIONAL ELECTIONS",
        "MEDIA REACTION",
        "ORGANIZED CRIME",
        "TIP IN TURKEY",
    }
)
LONGEST_WORD_TAG = max(len(tag.split()) for tag in KNOWN_WORD_TAGS)
# Short English words and header words: code-shaped, but never a tag.
COMMON_WORDS = """
    A ABOUT AFTER ALL ALSO AN AND ANY ARE AS AT BE BEEN BEFORE BUT BY CAN COULD DID
    DOES FOR FROM HAD HAS HAVE HE HER HIS HOW IF INTO ITS MAY MORE MOST NOT NOW OF ON
    ONE ONLY OR OTHER OUR OUT OVER SAID SHE SHOULD SINCE SOME SUCH THAN THAT THE THEIR
    THEM THEN THERE THESE THEY THIS THOSE TO UNDER UPON VERY WAS WE WERE WHAT WHEN
    WHERE WHICH WHILE WHO WILL WITH WOULD YOU YOUR PAGE SECRET UNCLAS NOFORN SIPDIS
    SUBJ REF REFS SUBJECT SUMMARY
"""
NOT_TAGS = frozenset(COMMON_WORDS.split()) - KNOWN_TAGS
# Where a TAGS value ends though the line goes on: a page's header run into it
# (``IT      SECRET       PAGE 02        ROME  03067  211833Z``).
PAGE_HEADER = re.compile(
    r"\s(?:(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)\s+)?PAGE\s+\d{1,3}\b",
    re.IGNORECASE,
)
# The visits tag names its visitor next, without the comma the site dropped.
VISIT_TAG = "OVIP"


def looks_like_tag(tag: str) -> bool:
    """Is this string, upper-cased as a TAGS line gives it, shaped like a tag: a code,
    a person tag or a known multi-word tag?"""
    if tag in KNOWN_TAGS or tag in KNOWN_WORD_TAGS or PERSON_TAG.match(tag):
        return True
    return bool(CODE_TAG.match(tag)) and tag not in NOT_TAGS


def split_run_together_tag(tag: str) -> list[str]:
    """``ETRDEINVTINTCS`` -> ``ETRD``, ``EINV``, ``TINT``, ``CS``: an unknown tag that reads
    wholly as codes, all known but perhaps one, is those codes. Anything else stays."""
    # No line holds more than MOST_TAGS codes of at most 6 letters: longer is a word.
    if tag in KNOWN_TAGS or len(tag) < 5 or len(tag) > 6 * MOST_TAGS or not tag.isalpha():
        return [tag]
    pieces = read_as_codes(tag)
    known_long = sum(len(piece) >= 4 and piece in KNOWN_TAGS for piece in pieces)
    unknown = sum(piece not in KNOWN_TAGS for piece in pieces)
    # Words are not run-together tags: POLITICS would read as PO LI TI CS.
    if len(pieces) < 2 or known_long == 0 or len(pieces) - known_long > known_long:
        return [tag]
    if unknown and (unknown > 1 or known_long < 3):
        return [tag]
    return pieces


def read_as_codes(tag: str) -> list[str]:
    """The best way to read the whole of tag as codes (fewest unknown, then fewest
    pieces; an unknown piece has 4 letters), or ``[]`` if there is none."""
    # costs[end]: (unknown pieces, pieces) of the best reading of tag[:end];
    # starts[end]: where its last piece starts.
    costs: list[tuple[int, int] | None] = [(0, 0)] + [None] * len(tag)
    starts = [0] * (len(tag) + 1)
    for end in range(1, len(tag) + 1):
        for length in (4, 2, 3, 5, 6):
            start = end - length
            if start < 0 or costs[start] is None:
                continue
            known = tag[start:end] in KNOWN_TAGS
            if not known and length != 4:
                continue
            unknown, count = costs[start]
            candidate = (unknown + (not known), count + 1)
            if costs[end] is None or candidate < costs[end]:
                costs[end], starts[end] = candidate, start
    if costs[-1] is None:
        return []
    pieces, end = [], len(tag)
    while end:
        pieces.append(tag[starts[end] : end])
        end = starts[end]
    return pieces[::-1]


def split_tags(value: str) -> list[str]:
    """The tags of a TAGS line's value, each once, in order, stopping where the
    cable's text begins."""
    value = PAGE_HEADER.split(value, maxsplit=1)[0]
    links = TAG_LINK.findall(value)
    candidates = read_linked(links) if links else []
    rest = value[value.rindex("](#)") + 4 :] if links else value
    candidates += read_written(rest.upper())
    tags: list[str] = []
    for candidate in candidates:
        for part in split_run_together_tag(candidate):
            if looks_like_tag(part) and part not in tags:
                tags.append(part)
    return tags[:MOST_TAGS]


def read_linked(links: list[str]) -> list[str]:
    """The site linked each word of a TAGS line apart: join a visitor's name after
    ``OVIP`` and the known multi-word tags again."""
    words = [re.sub(r"\s+", " ", link).strip(" .,;").upper() for link in links]
    tags: list[str] = []
    index = 0
    while index < len(words):
        phrase = known_word_tag(words, index)
        if phrase:
            tags.append(phrase)
            index += len(phrase.split())
        elif tags[-1:] == [VISIT_TAG] and is_name(words, index):
            tags.append(f"{words[index]}, {words[index + 1]}")
            index += 2
        else:
            tags.append(words[index])
            index += 1
    return tags


def is_name(words: list[str], index: int) -> bool:
    pair = words[index : index + 2]
    return len(pair) == 2 and all(word.isalpha() and word not in KNOWN_TAGS for word in pair)


def known_word_tag(words: list[str], index: int) -> str:
    """The longest known multi-word tag that starts at words[index], or ``""``."""
    for length in range(LONGEST_WORD_TAG, 0, -1):
        phrase = " ".join(word.strip(",;") for word in words[index : index + length])
        if index + length <= len(words) and phrase in KNOWN_WORD_TAGS:
            return phrase
    return ""


def read_written(text: str) -> list[str]:
    """Tags written out, between commas or spaces, until the first word that cannot be
    a tag: there the cable's text has begun, and the code-shaped words just before it
    are the text's first words."""
    spaced = text.replace(",", ", ").replace(";", ", ").split()
    words = [word for word in spaced if any(character.isalnum() for character in word)]
    tags: list[str] = []
    unsure = 0  # how many of the last tags are unknown codes
    index = 0
    while index < len(words) and len(tags) < 4 * MOST_TAGS:
        tag, used = read_one(words, index, tags)
        if not tag:
            if index < len(words):
                del tags[len(tags) - unsure :]
            break
        tags.append(tag)
        unsure = 0 if is_known(tag) else unsure + 1
        index += used
    return tags


def is_known(tag: str) -> bool:
    """A known code (or known codes run together), a known word tag or a person tag."""
    if tag in KNOWN_WORD_TAGS or PERSON_TAG.match(tag):
        return True
    return all(part in KNOWN_TAGS for part in split_run_together_tag(tag))


def read_one(words: list[str], index: int, tags: list[str]) -> tuple[str, int]:
    """The tag that starts at words[index] and how many words it takes, or ``("", 0)``."""
    word = words[index]
    if word.startswith("("):
        return read_person_in_parentheses(words, index)
    phrase = known_word_tag(words, index)
    if phrase:
        return phrase, len(phrase.split())
    person = read_person(words, index, tags) or read_visitor(words, index, tags)
    if person:
        return person
    bare = word.strip(",;.")
    parts = split_run_together_tag(bare)
    if all(looks_like_tag(part) for part in parts):
        return bare, 1
    return "", 0


def read_person_in_parentheses(words: list[str], index: int) -> tuple[str, int]:
    for length in (2, 3):
        written = " ".join(words[index : index + length]).rstrip(",;")
        if match := PERSON_IN_PARENTHESES.match(written):
            return f"{match.group(1)}, {match.group(2)}", length
    return "", 0


def read_person(words: list[str], index: int, tags: list[str]) -> tuple[str, int] | None:
    """``CLINTON, HILLARY`` on a line of tags between spaces, or any ``SURNAME, B.`` or
    ``SURNAME, JAMES B.``; between commas two codes are two tags, unless ``OVIP`` names
    its visitor or the surname is too long to be a code."""
    surname, given = words[index], words[index + 1 : index + 2]
    if not (surname.endswith(",") and given and surname[:-1].isalpha()):
        return None
    given_names = read_given_names(words, index + 1)
    first_given = given_names.split()[0]
    if {surname[:-1], first_given} & (KNOWN_TAGS | COUNTRY_WORDS):
        return None
    person = f"{surname[:-1]}, {given_names}"
    if not PERSON_TAG.match(person):
        return None
    between_commas = sum(word.endswith(",") for word in words) * 2 > len(words)
    initial = given_names.endswith(".")
    code_shaped = bool(CODE_TAG.match(surname[:-1]))
    if between_commas and code_shaped and not initial and tags[-1:] != [VISIT_TAG]:
        return None
    return person, 1 + len(given_names.split())


def read_given_names(words: list[str], index: int) -> str:
    """``JAMES``, or ``JAMES B.`` with its middle initial, or ``JOHN PAUL`` where a
    comma closes the two names; a second name without one may be the next tag."""
    first = words[index]
    if first.endswith((",", ";")) or index + 1 == len(words):
        return first.rstrip(",;")
    second = words[index + 1]
    name = second.rstrip(",;")
    is_initial = bool(re.fullmatch(r"[A-Z]\.", name))
    is_word = name.isalpha() and name not in KNOWN_TAGS and name not in NOT_TAGS
    is_closed_name = second.endswith(",") and is_word
    if is_initial or is_closed_name:
        return f"{first} {name}"
    return first


def read_visitor(words: list[str], index: int, tags: list[str]) -> tuple[str, int] | None:
    """The visitor ``OVIP`` names next, written without the comma the site dropped:
    ``OVIP RICE CONDOLEEZZA PREL``."""
    names = [word.strip(",;") for word in words[index : index + 2]]
    if tags[-1:] != [VISIT_TAG] or words[index].endswith(",") or not is_name(names, 0):
        return None
    if any(name in NOT_TAGS for name in names):
        return None
    return f"{names[0]}, {names[1]}", 2
