"""What a parse gives: a cable's metadata and numbered paragraphs, as dataclasses."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .references import make_reference_id, split_references

CLASSIFICATIONS = (
    "UNCLASSIFIED",
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
    "CONFIDENTIAL",
    "CONFIDENTIAL//NOFORN",
    "SECRET",
    "SECRET//NOFORN",
)


@dataclass
class ParsedSender:
    code: str  # the telegraphic address: AMEMBASSY MEXICO
    name: str  # the release's name: Embassy Mexico


@dataclass
class ParsedParagraph:
    number: str  # the cable's own number ("1", "10"), or "" for unnumbered text
    anchor: str  # "p3" for ¶3; "p3-2" for a second ¶3; "t1" for unnumbered text
    marking: str  # "SBU", "C", "S/NF", … or ""
    heading: str
    text: str


@dataclass
class ParsedCable:
    reference_id: str
    date: datetime | None
    date_source: str  # "dtg", "de", "database" or "" (where ``date`` came from)
    sender: ParsedSender | None
    classification: str
    caveats: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    subject: str = ""
    # The subject's own marking (``SUBJECT: (C/NF) …`` -> ``C/NF``), kept apart from its words.
    subject_marking: str = ""
    to: list[str] = field(default_factory=list)
    info: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    reference_lines: str = ""
    signer: str = ""
    classified_by: str = ""  # the Classified By line as written
    # Read from it: ``Marc Wall``, ``Acting Deputy Chief of Mission``, ``1.4 (b), (d)``.
    classifier: str = ""
    classifier_title: str = ""
    classification_reasons: str = ""
    declassify_on: str = ""  # as written: ``11/22/2012``, ``OADR``, ``X1``
    declassify_date: date | None = None  # when ``declassify_on`` names a day
    precedence: str = ""
    transmission_id: str = ""
    summary: str = ""
    is_partial: bool = False
    # The post and serial of the classification line (``MEXICO``, ``2160``): with the
    # year, the reference id. Kept apart for texts that carry no year at all.
    post: str = ""
    serial: str = ""
    paragraphs: list[ParsedParagraph] = field(default_factory=list)


def release_date(value: str) -> datetime | None:
    """The release's timestamps: ``2008-07-15 12:12`` (pages) or ``12/28/1966 18:48`` (CSV)."""
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M"):
        try:
            return datetime.strptime(value.strip(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def complete_from_release(cable: ParsedCable, created: datetime | None) -> None:
    """Fill what a text without a date (partial extracts, mostly) cannot give by itself:
    the date from the release's metadata, and with it the year of the reference id."""
    if cable.date is None and created is not None:
        cable.date, cable.date_source = created, "metadata"
    if not cable.reference_id and cable.date:
        cable.reference_id = make_reference_id(cable.date.year, cable.post, cable.serial)
    if not cable.references and cable.reference_lines and cable.date:
        cable.references = split_references(cable.reference_lines, cable.date.year)
