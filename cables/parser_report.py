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
from .parsing.tags import split_run_together_tag

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
    source_errors: int = 0  # disagreements where the release or page is demonstrably wrong

    @property
    def strict_rate(self) -> float:
        return self.agreed / self.compared if self.compared else 1.0

    @property
    def rate(self) -> float:
        """Agreement once the source's own demonstrable errors are set aside."""
        return (self.agreed + self.source_errors) / self.compared if self.compared else 1.0


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

    def score(self, name, path, reference_id, expected, got, reason="", source_error=False):
        self.scores[name].compared += 1
        if expected == got:
            self.scores[name].agreed += 1
        else:
            self.scores[name].source_errors += source_error
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
            "| field | agree | source errors | compared | strict | rate | threshold |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name in FIELDS:
            score = self.scores[name]
            lines.append(
                f"| {name} | {score.agreed} | {score.source_errors} | {score.compared} "
                f"| {score.strict_rate:.2%} | {score.rate:.2%} | {THRESHOLDS[name]:.1%} |"
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
            lines.append(f"| {reference} | renderings | | | the two renderings' texts differ |")
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


SUMMARY_FIELDS = ("reference_id", "classification", "sender", "date", "anchors", "tags", "subject")


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
            older, newer = renderings["cablegate-2010-12"], renderings["cablegate-2011-04"]
            differing = [
                name for name, a, b in zip(SUMMARY_FIELDS, older, newer, strict=True) if a != b
            ]
            if differing:
                report.renderings_differing.append(f"{reference} ({', '.join(differing)})")
    return report


def page_marking_error(anchors: list[str], numbered: list[str], text: str) -> str:
    """Why the page's own ¶ anchors are wrong, when they are: the site's marker missed
    numbers written ``3.(C)`` or after a heading on the same line, and marked years and
    serials that begin a wrapped line (``2003.``) as paragraphs. Empty when it cannot
    tell, so the disagreement counts as the parser's."""
    page = [int(anchor) for anchor in anchors]
    ours = [int(number) for number in numbers_in_order(numbered)]
    spurious = [
        number for number in page if number not in ours and (number > 200 or 1900 <= number <= 2099)
    ]
    # ``… please see`` / ``¶3.`` alone on a line: a number the text refers to, marked.
    # Counted once per such line, as the page may also mark the real paragraph.
    for number in sorted(set(page)):
        lone = len(re.findall(rf"^¶{number}\.[ \t]*$", text, re.MULTILINE))
        extra = page.count(number) - ours.count(number)
        spurious += [number] * min(lone, max(extra, 0))
    for number in spurious:
        if number in page:
            page.remove(number)
    missing_from_page = [number for number in ours if number not in page]
    # Evidence: each number the page left unmarked starts a line of the text, unmarked.
    for number in missing_from_page:
        if not re.search(rf"^[ \t]*{number}[ \t]*\.", text, re.MULTILINE):
            return ""
    if any(number not in ours for number in page):
        return ""  # the page has a plausible paragraph the parser did not find
    # The parser's numbers must read as a numbering: rising, or starting again at 1
    # (a cable quoting another).
    if any(later <= earlier and later != 1 for earlier, later in zip(ours, ours[1:], strict=False)):
        return ""
    reasons = []
    if spurious:
        reasons.append(f"page marks {', '.join(map(str, spurious))} (a year or serial in the text)")
    if missing_from_page:
        reasons.append(f"page left {', '.join(map(str, missing_from_page))} unmarked")
    return "; ".join(reasons)


def numbers_in_order(numbered: list[str]) -> list[str]:
    return [number for number in numbered if number.isdigit()]


def tag_difference(linked: list[str], parsed: list[str]) -> str:
    """Why the parser's tags differ from the page's links, when the page's links are what
    is off: links repeated, or run-together tags the site left whole."""
    unique = list(dict.fromkeys(linked))
    reasons = []
    if unique != linked:
        reasons.append("the page links some tags more than once")
    split = list(dict.fromkeys(part for tag in unique for part in split_run_together_tag(tag)))
    if split != unique:
        joined = [tag for tag in unique if split_run_together_tag(tag) != [tag]]
        reasons.append(f"split run-together {', '.join(joined)}")
    return "; ".join(reasons) if split == parsed else ""


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
            reason = page_marking_error(anchors, numbered, item.text)
            report.score("paragraphs", path, expected_id, anchors, numbered, reason, bool(reason))
        tags = expected_tags(page)
        if tags is not None:
            reason = tag_difference(tags, cable.tags)
            report.score("tags", path, expected_id, tags, cable.tags, reason, bool(reason))
    if SUBJECT_LINE.search(item.text):
        present = "present" if cable.subject else "missing"
        report.score("subject", path, expected_id, "present", present)
