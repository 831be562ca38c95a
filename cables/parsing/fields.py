"""Read the field lines under the classification line: E.O. 12958 and DECL, TAGS,
SUBJECT, REF and Classified By."""

import re

from .cable import ParsedCable
from .lines import (
    DASH_LINE,
    FIELD_LINE,
    PAGE_BREAK_LINE,
    PARAGRAPH_MARKER,
    STRAIGHT_QUOTES,
    dangling,
    join_lines,
)
from .tags import split_tags

REFERENCE_LIST_ITEM = re.compile(r"^¶?[A-Z][.)]\s+\S")

# Some renderings run the classification, E.O., TAGS and SUBJECT lines into one.
RUN_TOGETHER_FIELDS = re.compile(
    r"\s*(?=E\.\s?O\.\s?\d|TAGS:|SUBJECT:|SUBJ:|REF:|Classified By:)|(?<=T\d\d:\d\d:\d\d)"
)


def may_run_together(line: str) -> bool:
    """A cheap test before RUN_TOGETHER_FIELDS: could this line hold several fields?"""
    return len(line) > 20 and any(
        key in line
        for key in ("E.O", "EO ", "TAGS", "SUBJ", "REF:", "Classified", "T0", "T1", "T2")
    )


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
        while index < len(lines) and index < start + 200:
            line = lines[index].strip()
            if PARAGRAPH_MARKER.match(line) and not FIELD_LINE.match(line):
                break
            match = FIELD_LINE.match(line)
            if not match:
                free_text = line and not DASH_LINE.match(line) and not PAGE_BREAK_LINE.match(line)
                if free_text and self.fields_seen(cable):
                    break  # the cable's text has begun
                index += 1
                continue
            name = match.group("name").upper().replace(" ", "")
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
            elif name.startswith("SUBJ"):
                cable.subject = cable.subject or value.strip().translate(STRAIGHT_QUOTES)
            elif name.startswith("REF"):
                reference_lines.append(join_lines(value_lines))
            elif name == "CLASSIFIEDBY":
                cable.classified_by = value.strip()
            text_start = index
        if not cable.subject and self.forwarded_subject:
            cable.subject = self.forwarded_subject
        cable.reference_lines = "\n".join(reference_lines)
        # The year of references without one comes with the cable's date (settle_date).
        return max(text_start, index if index >= len(lines) else text_start)

    @staticmethod
    def fields_seen(cable: ParsedCable) -> bool:
        return bool(cable.subject or cable.tags)
