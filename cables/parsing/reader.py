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

from datetime import datetime

from .body import read_body
from .cable import ParsedCable
from .classification import ClassificationLine
from .errors import ParseError
from .fields import FieldLines, split_run_together_fields
from .lines import HEADER_LINES
from .references import split_references
from .routing import RoutingHeader

PARTIAL_NOTICE = "This record is a partial extract of the original cable"


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
        body = read_body(self.lines[body_start:])
        cable.paragraphs, cable.signer, cable.summary = body.paragraphs, body.signer, body.summary
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


def parse_cable(text: str) -> ParsedCable:
    """Parse one cable's text. Raises :class:`ParseError` for text that holds no cable."""
    return _CableReader(text).parse()
