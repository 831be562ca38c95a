"""Parse the text of one cable into its metadata and numbered paragraphs.

A cable's text is a routing header (transmission id, precedence and date-time
group, ``FM``/``TO``/``INFO`` lines) followed by a body: the classification line,
handling caveats, ``E.O.``, ``TAGS``, ``SUBJECT``, ``REF`` and ``Classified By``
lines, then paragraphs numbered ``¶1.`` or ``1.`` with a marking such as ``(SBU)``,
and the signer's name. Page-break lines (``MEXICO 00002160  002 OF 004``) are
dropped and the sentence they split is joined again.

Every pattern here is anchored to one line, so parsing is linear in the size of
the text.
"""

import re
from datetime import datetime

from .authority import classified_by_in_text, declassify_date, read_authority
from .body import read_body
from .cable import ParsedCable
from .classification import ClassificationLine
from .errors import ParseError
from .fields import FieldLines, split_run_together_fields
from .lines import FIELD_LINE, HEADER_LINES, PARAGRAPH_MARKER
from .references import split_references
from .routing import RoutingHeader

PARTIAL_NOTICE = "This record is a partial extract of the original cable"
# A database row leaked into the text: ``id: 111659``, ``refid: 07LIMA2026``, the marker
# ``--- header ends ---``, or a cables.csv row (``19309,7/30/2004 17:29,04THEHAGUE1923``).
LEAKED_ROW = re.compile(
    r"^(?:id|refid|origin|destination|header):|header ends|^\d{1,7},\d{1,2}/\d{1,2}/\d{4} ",
    re.IGNORECASE,
)
# The fields a cut-short copy and the whole copy of a cable both give.
COPIED_FIELDS = ("subject", "subject_marking", "tags", "reference_lines", "classified_by")


class _CableReader(RoutingHeader, ClassificationLine, FieldLines):
    """One pass over one cable's lines; ``parse_cable`` is its only user. Each part of
    the text is read by the class named for it."""

    def __init__(self, text: str):
        if "\x00" in text:
            raise ParseError("binary data (NUL bytes) in the text")
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
        self.lines = [line.rstrip().rstrip("\\").rstrip() for line in text.split("\n")]
        self.lines[:HEADER_LINES] = split_run_together_fields(self.lines[:HEADER_LINES])
        if not any(line.strip() for line in self.lines):
            raise ParseError("empty text: no cable in it")
        self.cable = ParsedCable(
            reference_id="", date=None, date_source="", sender=None, classification=""
        )
        self.database_date: datetime | None = None
        self.forwarded_subject = ""
        self.de_serial = ""
        self.de_julian: tuple[int, int, int] | None = None
        self.dtg_year: int | None = None
        self.post_and_serial: tuple[str, str] | None = None

    def parse(self) -> ParsedCable:
        cable = self.cable
        cable.is_partial = any(PARTIAL_NOTICE in line for line in self.lines[:40])
        self.drop_forwarding_preamble()
        self.drop_leaked_database_lines()
        body_start = self.read_header()
        body_start = self.read_classification(body_start)
        body_start = self.read_fields(body_start)
        body_start = self.read_later_copy(body_start)
        body = read_body(self.lines[body_start:])
        cable.paragraphs, cable.signer, cable.summary = body.paragraphs, body.signer, body.summary
        if not cable.classified_by:
            # ``1. CLASSIFIED BY …``: older cables give the line as their first paragraph.
            opening = (paragraph.text for paragraph in cable.paragraphs[:2])
            cable.classified_by = next(filter(None, map(classified_by_in_text, opening)), "")
        authority = read_authority(cable.classified_by)
        cable.classifier, cable.classifier_title = authority.person, authority.title
        cable.classification_reasons = authority.reasons
        cable.declassify_date = declassify_date(cable.declassify_on)
        self.settle_date()
        year = cable.date.year if cable.date else self.dtg_year
        cable.references = split_references(cable.reference_lines, year)
        self.settle_reference_id()
        self.settle_sender()
        self.settle_classification()
        if not (cable.reference_id or cable.paragraphs or cable.subject):
            raise ParseError(
                "no cable found: no header, classification line, subject or paragraphs"
            )
        return cable

    def read_later_copy(self, start: int) -> int:
        """Some pages hold a cut-short copy of the cable's fields (a subject or REF list
        ending in ``...``) and, after a leaked database row, the whole cable again: read
        the whole copy's classification line and fields, keeping what only the first gave.
        Returns where the text starts."""
        later = self.later_copy(start)
        if later is None:
            return start
        cable = self.cable
        first = {name: getattr(cable, name) for name in COPIED_FIELDS}
        for name, value in first.items():
            setattr(cable, name, type(value)())
        text_start = self.read_fields(self.read_classification(later))
        for name, value in first.items():
            new = getattr(cable, name)
            # A copy may differ in case alone (``visas donkey`` for ``VISAS DONKEY``).
            if not new or (isinstance(new, str) and new.upper() == value.upper()):
                setattr(cable, name, value)
        return text_start

    def later_copy(self, start: int) -> int | None:
        """Where the whole copy begins, if the fields just read were a leaked copy's:
        followed, before any numbered paragraph, by a database row (or by a
        classification line when none came before them), then by a classification line
        with field lines of its own, or by the field lines alone."""
        cable, lines = self.cable, self.lines
        leaked = self.post_and_serial is None or any(
            value.endswith("...") for value in (cable.subject, cable.reference_lines)
        )
        for index in range(start, min(len(lines), start + 80)):
            line = lines[index].strip()
            if PARAGRAPH_MARKER.match(line) and not FIELD_LINE.match(line):
                return None
            leaked = leaked or bool(LEAKED_ROW.search(line))
            if not leaked:
                continue
            if named := self.post_and_serial_of(line):
                if self.post_and_serial and named != self.post_and_serial:
                    # The page's text is another cable's (the release has such pages):
                    # the cable stays the one the cut-short copy names.
                    return None
                following = lines[index + 1 : index + 25]
                if any(FIELD_LINE.match(other.strip()) for other in following):
                    return index
            # A classification line run into the leaked row, past reading: the fields.
            if (field := FIELD_LINE.match(line)) and field.group("name").upper() != "REF":
                return index
        return None


def parse_cable(text: str) -> ParsedCable:
    """Parse one cable's text. Raises :class:`ParseError` for text that holds no cable."""
    return _CableReader(text).parse()
