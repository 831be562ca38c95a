"""Read the field lines under the classification line: E.O. 12958 and DECL, TAGS,
SUBJECT, REF and Classified By."""

import re

from .cable import ParsedCable
from .lines import (
    CLASSIFYING_ORDER,
    DASH_LINE,
    FIELD_LINE,
    PAGE_BREAK_LINE,
    PARAGRAPH_MARKER,
    STRAIGHT_QUOTES,
    dangling,
    join_lines,
)
from .tags import split_tags

REFERENCE_LIST_ITEM = re.compile(r"^¶?(?:[A-Z][.)]|\([A-Z]\))\s+\S")

# Some renderings run the classification, E.O., TAGS, SUBJECT, REF and Classified By
# lines into one, in any case (``E.o. 12958: decl: … Tags: prel, tu Subject: …``).
# Keywords in capitals may be glued to the word before (``TO EGYPTREF: CAIRO 493``).
# A glued ``REF:`` (``EGYPTREF:``) only before what a REF list starts with, so that
# ``TRADE PREFS: NEXT STEPS`` stays a subject.
RUN_TOGETHER_FIELDS = re.compile(
    r"\s*(?=" + CLASSIFYING_ORDER + r"|TAGS:|SUBJECT:|SUBJ:|REF\(S\):|CLASSIFIED BY:"
    r"|Classified By:|REFS?:(?=\s*(?:\(?[A-Z][.)]|\d\d\s|[A-Z][A-Z ]{1,30}\s\d))"
    r"|(?<![A-Za-z])(?i:tags:|subject:|subj:|refs?:|reftels?:|ref\(s\):|classified by:)"
    r"|(?<![A-Za-z])UBJECT:)|(?<=T\d\d:\d\d:\d\d)"
)
# A field's value runs on into a handling line, a rule, or the classification line of
# a leaked copy of the header.
# The handling line is written in mixed case after a subject in capitals, or ends the
# value; a subject may be about handling (``HANDLING SENSITIVE BUT UNCLASSIFIED DATA``).
VALUE_END = re.compile(
    r"\s+(?:Sensitive\s+[Bb]ut\s+[Uu]nclassified\b|(?i:SENSITIVE BUT UNCLASSIFIED\W*$)"
    r"|(?i:(?:SUMMARY\s*:?\s*)?-{3,})"
    r"|(?i:(?:\d\d:\d\d\s+)?(?:UNCLAS|CONFIDENTIAL|SECRET)\s+SECTION\s+\d+\s+OF\s+\d+"
    r"\s+[A-Z][A-Z .'-]{1,30}?\s+0*\d{1,6}\b))"
)
# A page's header run into a field's value: ``… OF JULY TRIPOLI 00000564 001.2 OF 002``.
PAGE_NUMBER = r"\s+\d{5,}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}\b"
# The subject's own classification: ``(S)``, ``(C/NF)``, ``(SBU)``, ``(s)``.
SUBJECT_MARKING = re.compile(
    r"^\(\s*(?P<marking>(?:U|C|S|TS|SBU|LOU|FOUO)"
    r"(?:\s*(?://?|-)\s*[A-Z]{2,8}(?:\s[A-Z]{2,8})?)*)\s*\)\s*",
    re.IGNORECASE,
)
# The text's first paragraph, run into the Classified By line: `` 1. (C) Summary: …``.
PARAGRAPH_START = re.compile(r"\s+¶?\d{1,2}\s?\.\s?\([A-Z/]{1,8}\)")


def may_run_together(line: str) -> bool:
    """A cheap test before RUN_TOGETHER_FIELDS: could this line hold several fields?"""
    if len(line) <= 20:
        return False
    upper = line.upper()
    return any(
        key in upper for key in ("E.O", "EO ", "TAGS", "UBJ", "REF", "CLASSIFIED", "T0", "T1", "T2")
    )


def value_before_end(value: str, post: str) -> str:
    """The value without what ran on into it; ``post`` names the page headers' post."""
    value = VALUE_END.split(value, maxsplit=1)[0]
    # Without the post, the header's first word is taken for it.
    post_words = re.escape(post) if post else r"\S+"
    return re.sub(rf"\s+{post_words}{PAGE_NUMBER}", " ", value, flags=re.IGNORECASE).strip()


def split_subject_marking(subject: str) -> tuple[str, str]:
    """``(C/NF) WHO WOULD …`` -> ``C/NF``, ``WHO WOULD …``: the marking, normalised as
    paragraph markings are, and the subject's words."""
    match = SUBJECT_MARKING.match(subject)
    if not match:
        return "", subject
    marking = re.sub(r"\s*/\s*", "/", match.group("marking")).upper()
    return marking, subject[match.end() :]


def split_run_together_fields(lines: list[str]) -> list[str]:
    """Some renderings run the classification, E.O., TAGS and SUBJECT lines into one:
    give each field its own line."""
    return [
        part
        for line in lines
        for part in (RUN_TOGETHER_FIELDS.split(line) if may_run_together(line) else (line,))
    ]


class FieldLines:
    """The field lines' part of the cable reader (cables/parsing/reader.py)."""

    def read_fields(self, start: int) -> int:
        """Read E.O., TAGS, SUBJECT, REF and Classified By; return where the text starts."""
        cable, lines = self.cable, self.lines
        index = start
        text_start = start
        reference_lines: list[str] = []
        name = ""
        while index < len(lines) and index < start + 200:
            line = lines[index].strip()
            if PARAGRAPH_MARKER.match(line) and not FIELD_LINE.match(line):
                break
            match = FIELD_LINE.match(line)
            if not match:
                free_text = line and not DASH_LINE.match(line) and not PAGE_BREAK_LINE.match(line)
                if free_text and self.fields_seen(cable):
                    if not self.field_follows(index):
                        break  # the cable's text has begun
                    if name.startswith("SUBJ") and len(line) <= 80:
                        # ``SUBJECT: … FINNISH`` / blank / ``EMBASSY OFFICIAL …`` / blank /
                        # ``REF: …``: a line of the subject, set apart by a blank line.
                        cable.subject = f"{cable.subject} {line}".strip()
                index += 1
                continue
            name = match.group("name").upper().replace(" ", "")
            name = "SUBJECT" if name == "UBJECT" else name  # the keyword's S lost
            value_lines = [match.group("value")]
            index += 1
            if name.startswith("SUBJ") and not match.group("value").strip():
                # ``SUBJECT:`` alone on its line, the subject under it after a blank line.
                while index < len(lines) and not lines[index].strip():
                    index += 1
            while index < len(lines):
                following = lines[index].strip()
                if not following and name.startswith("SUBJ") and dangling(value_lines[-1]):
                    # ``SUBJECT: … VISIT TO`` / blank / ``LIBYA``: the subject goes on.
                    later = next(
                        (line.strip() for line in lines[index : index + 3] if line.strip()), ""
                    )
                    if later.isupper() and len(later) <= 80 and not FIELD_LINE.match(later):
                        index += 1
                        continue
                if not following and name.startswith("REF"):
                    # A REF list may go on after a blank line: ``¶B. BOGOTA 3422``.
                    later = next(
                        (line.strip() for line in lines[index : index + 4] if line.strip()), ""
                    )
                    if REFERENCE_LIST_ITEM.match(later):
                        index += 1
                        continue
                if (
                    not following
                    or FIELD_LINE.match(following)
                    or PARAGRAPH_MARKER.match(following)
                    or (name.startswith("SUBJ") and following.startswith("¶"))
                ):
                    break
                if not PAGE_BREAK_LINE.match(following):
                    value_lines.append(following)
                index += 1
            value = join_lines(value_lines).replace("\n", " ")
            if name in ("E.O.", "EO", "DECL"):
                if decl := re.search(
                    r"DECL(?:ASSIFY)?\s*(?:ON)?\s*:?\s*(.+)$", value, re.IGNORECASE
                ):
                    cable.declassify_on = decl.group(1).strip()
            elif name == "TAGS":
                cable.tags = cable.tags or split_tags(value)
            elif name.startswith("SUBJ") and not cable.subject:
                subject = value_before_end(value, self.page_post()).translate(STRAIGHT_QUOTES)
                cable.subject_marking, cable.subject = split_subject_marking(subject)
            elif name.startswith("REF"):
                reference_lines.append(value_before_end(join_lines(value_lines), self.page_post()))
            elif name == "CLASSIFIEDBY":
                cable.classified_by = PARAGRAPH_START.split(value, maxsplit=1)[0].strip()
            text_start = index
        if not cable.subject and self.forwarded_subject:
            cable.subject = self.forwarded_subject
        cable.reference_lines = "\n".join(reference_lines)
        # The year of references without one comes with the cable's date (settle_date).
        return max(text_start, index if index >= len(lines) else text_start)

    def field_follows(self, index: int) -> bool:
        """Whether a field line (``REF:``, ``Classified By:``) follows the short free line
        at ``index`` within a few lines, before any numbered paragraph: then the line is
        no text yet."""
        if len(self.lines[index].strip()) > 80:
            return False
        following = [line.strip() for line in self.lines[index + 1 : index + 6] if line.strip()]
        for line in following[:2]:
            if FIELD_LINE.match(line):
                return True
            if PARAGRAPH_MARKER.match(line):
                return False
        return False

    def page_post(self) -> str:
        """The post that the page headers name, as the classification line gives it."""
        return self.post_and_serial[0] if self.post_and_serial else ""

    @staticmethod
    def fields_seen(cable: ParsedCable) -> bool:
        return bool(cable.subject or cable.tags)
