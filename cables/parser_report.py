"""Measure the parser against the metadata the Cablegate release published (MANIFEST.tsv).

Only what the parser derives from the cable's own text is measured: the page's
metadata table is set aside, since comparing it with itself would measure nothing.
For HTML pages the expected paragraphs are the page's own ``<a id='parN'>`` anchors
and the expected tags are the links on the TAGS line of its body.

Pure Python, no Django: ``python manage.py parser_report FOLDER`` prints it.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .parsing import ParseError, SourceText, parse_cable, read_path
from .parsing.cable import ParsedCable, complete_from_release, release_date

FIELDS = ("reference_id", "classification", "sender", "date", "paragraphs", "tags", "subject")
THRESHOLDS = {
    "reference_id": 0.995,
    "classification": 0.995,
    "sender": 0.99,
    "date": 0.99,
    "paragraphs": 0.99,
    "tags": 0.97,
    "subject": 1.0,
}
# The release's own malformed ids: the text gives the right id, the manifest does not.
KNOWN_MALFORMED_IDS = {"7575LIBREVILLE1895", "09SECTION01OF03SANJOSE525"}

PAGE_ANCHOR = re.compile(r"<a id=['\"]par(\d+)['\"]")
BODY_TAGS_LINE = re.compile(r"^TAGS\b.*$", re.MULTILINE)
TAG_LINK_TEXT = re.compile(r"<a href=['\"]/tag/[^'\"]*['\"][^>]*>(.*?)</a>", re.DOTALL)
SUBJECT_LINE = re.compile(r"^\s*SUBJ(?:ECT)?\s*:", re.MULTILINE | re.IGNORECASE)


@dataclass
class Disagreement:
    path: str
    reference_id: str
    field: str
    expected: str
    got: str
    reason: str = ""


@dataclass
class FieldScore:
    compared: int = 0
    agreed: int = 0

    @property
    def rate(self) -> float:
        return self.agreed / self.compared if self.compared else 1.0


@dataclass
class Report:
    files: int = 0
    cables: int = 0
    crashes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    scores: dict[str, FieldScore] = field(
        default_factory=lambda: {name: FieldScore() for name in FIELDS}
    )
    disagreements: list[Disagreement] = field(default_factory=list)
    date_sources: Counter = field(default_factory=Counter)
    partial: int = 0
    renderings_compared: int = 0
    renderings_differing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def score(self, name, path, reference_id, expected, got, reason="") -> None:
        self.scores[name].compared += 1
        if expected == got:
            self.scores[name].agreed += 1
        else:
            self.disagreements.append(
                Disagreement(path, reference_id, name, str(expected), str(got), reason)
            )

    def below_threshold(self) -> list[str]:
        return [
            f"{name}: {self.scores[name].rate:.2%} < {THRESHOLDS[name]:.1%}"
            for name in FIELDS
            if self.scores[name].rate < THRESHOLDS[name]
        ]

    def table(self) -> str:
        lines = [
            f"files {self.files}, cables {self.cables}, partial {self.partial}, "
            f"parse failures {len(self.failures)}, crashes {len(self.crashes)}",
            "",
            "| field | agree | compared | rate | threshold |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in FIELDS:
            score = self.scores[name]
            lines.append(
                f"| {name} | {score.agreed} | {score.compared} | {score.rate:.2%} "
                f"| {THRESHOLDS[name]:.1%} |"
            )
        sources = ", ".join(
            f"{source} {count}" for source, count in self.date_sources.most_common()
        )
        lines += ["", f"date taken from: {sources}"]
        lines.append(
            f"two renderings compared: {self.renderings_compared}, "
            f"differing in metadata or anchors: {len(self.renderings_differing)}"
        )
        return "\n".join(lines)

    def listing(self) -> str:
        lines = ["| reference id | field | expected | got | reason |", "|---|---|---|---|---|"]
        for item in self.disagreements:
            lines.append(
                f"| {item.reference_id} | {item.field} | {item.expected} "
                f"| {item.got} | {item.reason} |"
            )
        for failure in self.failures + self.crashes:
            lines.append(f"| | failure | | | {failure} |")
        for skipped in self.skipped:
            lines.append(f"| | not compared | | | {skipped} |")
        for reference in self.renderings_differing:
            lines.append(f"| {reference} | renderings | | | the two renderings differ |")
        return "\n".join(lines)


def expected_tags(page: str) -> list[str] | None:
    """The tags the page links on the TAGS line of its body (not the site's navigation)."""
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", page, re.DOTALL)
    for block in blocks[1:] or blocks:
        text = block.replace("&#x000A;", "\n")
        lines = [line for line in text.split("\n") if line.strip().upper().startswith("TAGS")]
        # A leaked copy of the header carries its own TAGS line first: the body's is the last.
        for line in reversed(lines):
            links = TAG_LINK_TEXT.findall(line)
            if links:
                return [normalize_tag(re.sub(r"<[^>]+>", "", link)) for link in links]
    return None


def normalize_tag(tag: str) -> str:
    return re.sub(r"\s+", " ", tag.replace("&amp;", "&")).strip(" ,.;").upper()


def summarize(cable: ParsedCable) -> tuple:
    return (
        cable.reference_id,
        cable.classification,
        cable.sender.name if cable.sender else "",
        cable.date.date() if cable.date else None,
        tuple(paragraph.anchor for paragraph in cable.paragraphs),
        tuple(cable.tags),
        cable.subject,
    )


def read_manifest(folder: Path) -> dict[str, dict]:
    with open(folder / "MANIFEST.tsv", encoding="utf-8", newline="") as stream:
        return {row["path"]: row for row in csv.DictReader(stream, delimiter="\t")}


def measure(folder: str | Path) -> Report:
    """Parse every file under ``folder`` and compare it with ``MANIFEST.tsv``."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    report = Report()
    by_reference: dict[str, dict[str, tuple]] = {}
    for relative, row in sorted(manifest.items()):
        path = folder / relative
        report.files += 1
        references = row["reference_id"].split(";")
        for position, item in enumerate(read_path(path)):
            if isinstance(item, ParseError):
                report.failures.append(str(item))
                continue
            expected_id = references[position] if position < len(references) else references[-1]
            try:
                cable = parse_cable(item.text)
            except ParseError as error:
                report.failures.append(f"{relative}: {error.reason}")
                continue
            except Exception as error:  # noqa: BLE001 - a crash is what the report is for
                report.crashes.append(f"{relative}: {error!r}")
                continue
            created = release_date(item.metadata.get("created", "")) or release_date(row["created"])
            complete_from_release(cable, created)
            report.cables += 1
            report.partial += cable.is_partial
            page = (
                path.read_text(encoding="utf-8", errors="replace") if item.format == "html" else ""
            )
            compare(report, relative, expected_id, row, item, cable, page, created)
            if item.format == "html":
                rendering = relative.split("/", 1)[0]
                by_reference.setdefault(expected_id, {})[rendering] = summarize(cable)
    for reference, renderings in sorted(by_reference.items()):
        if {"cablegate-2010-12", "cablegate-2011-04"} <= renderings.keys():
            report.renderings_compared += 1
            if renderings["cablegate-2010-12"] != renderings["cablegate-2011-04"]:
                report.renderings_differing.append(reference)
    return report


def is_another_cable(expected_id: str, cable: ParsedCable) -> bool:
    """The text names a different post and serial than the id the release gave it."""
    if expected_id in KNOWN_MALFORMED_IDS or not (cable.post and cable.serial):
        return False
    return not expected_id.endswith(f"{cable.post}{cable.serial}")


def compare(
    report: Report,
    path: str,
    expected_id: str,
    row: dict,
    item: SourceText,
    cable: ParsedCable,
    page: str,
    created: datetime | None,
) -> None:
    reason = "the release's malformed id" if expected_id in KNOWN_MALFORMED_IDS else ""
    if is_another_cable(expected_id, cable):
        # The release put another cable's text on this page (88BAGHDAD28 carries
        # STATE 068250): its fields describe that cable, not the page's metadata.
        reason = "the page's text is another cable"
        report.score("reference_id", path, expected_id, expected_id, cable.reference_id, reason)
        report.skipped.append(f"{expected_id}: {reason} ({cable.reference_id})")
        return
    report.score("reference_id", path, expected_id, expected_id, cable.reference_id, reason)
    # The CSV's row in MANIFEST.tsv stands for two cables: its own columns say more.
    expected = item.metadata.get("classification") or row["classification"]
    report.score("classification", path, expected_id, expected, cable.classification)
    expected = item.metadata.get("origin") or row["origin"]
    got = cable.sender.name if cable.sender else ""
    report.score("sender", path, expected_id, expected, got)
    report.date_sources[cable.date_source or "none"] += 1
    got_day = cable.date.date().isoformat() if cable.date else ""
    reason = f"date from {cable.date_source or 'nothing'}"
    expected_day = created.date().isoformat() if created else ""
    report.score("date", path, expected_id, expected_day, got_day, reason)
    if page:
        anchors = PAGE_ANCHOR.findall(page)
        if anchors:
            numbered = [paragraph.number for paragraph in cable.paragraphs if paragraph.number]
            report.score("paragraphs", path, expected_id, anchors, numbered)
        tags = expected_tags(page)
        if tags is not None:
            report.score("tags", path, expected_id, tags, cable.tags)
    if SUBJECT_LINE.search(item.text):
        present = "present" if cable.subject else "missing"
        report.score("subject", path, expected_id, "present", present)
