"""Measure the parser against what the Cablegate release published, in both directions.

For every field, *recall* is the share of what the release (MANIFEST.tsv, the CSV's
columns) or the page (its ``<a id='parN'>`` anchors, its tag links) has that the parser
also has, and *precision* the share of what the parser has that the release or the page
confirms. Single-valued fields count cables; paragraphs, tags and references count items.
Each rate is shown strict, and adjusted for the source's own demonstrable errors (a
disagreement where the page is shown wrong by the text: a tag linked twice, a year
marked as a paragraph), each listed with its evidence.

The pages link no referenced cables, so a reference is confirmed by the REF text itself:
cable-id-shaped, of a post, and cited there with its serial and year. What the REF text
cites (``08 MEXICO 1234``, ``STATE 106206``) is the recall's ground truth, unless the
release lists the references (the CSV's column). Only what the parser derives from the
text is measured: the page's metadata table is not compared with itself.

Pure Python, no Django: ``python manage.py parser_report FOLDER`` prints it.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..parsing import ParseError, SourceText, parse_cable, read_path
from ..parsing.cable import ParsedCable, complete_from_release, release_date
from ..parsing.tags import split_run_together_tag
from .evidence import (
    PAGE_ANCHOR,
    cited_references,
    page_tags,
    reads_as_numbering,
    reference_text,
    reference_text_problem,
    spurious_anchors,
    starts_a_line,
    subject_in_text,
    subject_problem,
    tag_problem,
)

FIELDS = (
    "reference_id",
    "classification",
    "sender",
    "date",
    "subject",
    "paragraphs",
    "tags",
    "references",
)
ITEM_FIELDS = {"paragraphs", "tags", "references"}
THRESHOLDS = dict.fromkeys(FIELDS, 0.995)  # each direction, adjusted for source errors
DIRECTIONS = ("recall", "precision")
# The release's own malformed ids: the text gives the right id, the manifest does not.
KNOWN_MALFORMED_IDS = {"7575LIBREVILLE1895", "09SECTION01OF03SANJOSE525", "09EFTOLONDON2905"}
SUBJECT_LINE = re.compile(r"^\s*SUBJ(?:ECT)?\s*:", re.MULTILINE | re.IGNORECASE)


@dataclass
class Rate:
    compared: int = 0
    confirmed: int = 0
    source_errors: int = 0  # not confirmed, and the release or page is demonstrably wrong

    @property
    def strict_rate(self) -> float:
        return self.confirmed / self.compared if self.compared else 1.0

    @property
    def rate(self) -> float:
        """The rate once the source's own demonstrable errors are set aside."""
        return (self.confirmed + self.source_errors) / self.compared if self.compared else 1.0


@dataclass
class FieldScore:
    recall: Rate = field(default_factory=Rate)
    precision: Rate = field(default_factory=Rate)


@dataclass
class Disagreement:
    """An item counted as not confirmed: ``reason`` says why, and when ``source_error``
    it is the evidence that the release or the page is what is wrong."""

    reference_id: str
    field: str
    direction: str  # recall: the release has it and we do not; precision: the reverse
    item: str
    reason: str = ""
    source_error: bool = False


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

    def count(self, name, direction, reference_id, compared, misses=()):
        """``compared`` items, of which ``misses`` ((item, reason, source_error)) were not
        confirmed."""
        rate = getattr(self.scores[name], direction)
        rate.compared += compared
        rate.confirmed += compared - len(misses)
        for item, reason, source_error in misses:
            rate.source_errors += source_error
            self.disagreements.append(
                Disagreement(reference_id, name, direction, item, reason, source_error)
            )

    def compare_value(self, name, reference_id, expected, got, reason="", source_error=False):
        """A single-valued field: the release's value against ours, each way."""
        for direction, present, item in (
            ("recall", expected, f"{expected} (ours: {got or 'none'})"),
            ("precision", got, f"{got} (release: {expected or 'none'})"),
        ):
            if present:
                misses = [] if expected == got else [(item, reason, source_error)]
                self.count(name, direction, reference_id, 1, misses)

    def below_threshold(self) -> list[str]:
        return [
            f"{name} {direction}: {getattr(self.scores[name], direction).rate:.2%}"
            f" < {THRESHOLDS[name]:.1%}"
            for name in FIELDS
            for direction in DIRECTIONS
            if getattr(self.scores[name], direction).rate < THRESHOLDS[name]
        ]

    def table(self) -> str:
        lines = [
            f"files {self.files}, cables {self.cables}, partial {self.partial}, "
            f"parse failures {len(self.failures)}, crashes {len(self.crashes)}",
            "",
            "recall: of what the release or page has, the share we have; precision: of what"
            " we have, the share the release or page confirms. strict / adjusted for the"
            " source's own errors (listed below with their evidence).",
            "",
            "| field | counted | recall | source errors | strict | adjusted "
            "| precision | source errors | strict | adjusted | threshold |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in FIELDS:
            cells = [name, name if name in ITEM_FIELDS else "cables"]
            for direction in DIRECTIONS:
                rate = getattr(self.scores[name], direction)
                cells += [
                    f"{rate.confirmed}/{rate.compared}",
                    str(rate.source_errors),
                    f"{rate.strict_rate:.2%}",
                    f"{rate.rate:.2%}",
                ]
            cells.append(f"{THRESHOLDS[name]:.1%}")
            lines.append("| " + " | ".join(cells) + " |")
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
        lines = [
            "| reference id | field | direction | item | why | counted as |",
            "|---|---|---|---|---|---|",
        ]
        for item in self.disagreements:
            counted = "source error" if item.source_error else "parser"
            lines.append(
                f"| {item.reference_id} | {item.field} | {item.direction} | {item.item} "
                f"| {item.reason} | {counted} |"
            )
        for failure in self.failures + self.crashes:
            lines.append(f"| | failure | | | {failure} | |")
        for skipped in self.skipped:
            lines.append(f"| | not compared | | | {skipped} | |")
        for reference in self.renderings_differing:
            lines.append(f"| {reference} | renderings | | | the two renderings' texts differ | |")
        return "\n".join(lines)


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
            compare(report, expected_id, row, item, cable, page, created)
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


def compare_paragraphs(report: Report, reference_id: str, anchors: list[str], cable, text: str):
    """The page's ¶ anchors against the parser's numbered paragraphs, as multisets. The
    site's marker missed numbers written ``3.(C)`` or after a heading on the same line:
    a number of ours that starts a line of the text is the page's omission, if ours read
    as a numbering."""
    numbers = [paragraph.number for paragraph in cable.paragraphs if paragraph.number.isdigit()]
    page, ours = Counter(anchors), Counter(numbers)
    spurious = spurious_anchors(page, ours, text)
    misses = []
    for number, count in (page - ours).items():
        misses += [(f"¶{number}", "a year or serial in the text", True)] * spurious[number]
        misses += [(f"¶{number}", "not among ours", False)] * (count - spurious[number])
    report.count("paragraphs", "recall", reference_id, len(anchors), misses)
    numbering = reads_as_numbering([int(number) for number in numbers])
    misses = []
    for number, count in (ours - page).items():
        if not starts_a_line(number, text):
            reason = "the page does not mark it; it starts no line"
        elif not numbering:
            reason = "the page does not mark it; ours do not read as a numbering"
        else:
            reason = "the page left it unmarked; it starts a line"
        misses += [(f"¶{number}", reason, reason.startswith("the page left"))] * count
    report.count("paragraphs", "precision", reference_id, len(numbers), misses)


def words_linked_apart(linked: list[str], tags: list[str]) -> dict[str, str]:
    """Our tags of several words (``IRAQI FREEDOM``, ``CLINTON, HILLARY``) whose words
    the page links one by one, in a row: each such word -> our tag."""
    apart = {}
    for tag in tags:
        words = tag.replace(",", " ").split()
        if len(words) > 1 and any(
            linked[start : start + len(words)] == words for start in range(len(linked))
        ):
            apart.update(dict.fromkeys(words, tag))
    return apart


def compare_tags(report: Report, reference_id: str, page: tuple, tags: list[str]):
    """The page's tag links against the parser's tags. The page's own errors: a link
    repeated; a run-together tag linked whole (``VTPREL``) that the parser split; the
    words of one tag linked one by one; and a TAGS line's second line, never linked."""
    linked, continued = page
    apart = words_linked_apart(linked, tags)
    misses, seen = [], set()
    for tag in linked:
        pieces = split_run_together_tag(tag)
        if tag in seen:
            misses.append((tag, "the page links it more than once", True))
        elif tag not in tags and len(pieces) > 1 and set(pieces) <= set(tags):
            misses.append((tag, f"run-together, ours split it: {' '.join(pieces)}", True))
        elif tag not in tags and tag in apart:
            misses.append((tag, f"a word of our {apart[tag]}, linked alone", True))
        elif tag not in tags:
            misses.append((tag, "not among ours", False))
        seen.add(tag)
    report.count("tags", "recall", reference_id, len(linked), misses)
    joined = {piece: tag for tag in linked for piece in split_run_together_tag(tag) if piece != tag}
    misses = []
    for tag in tags:
        if tag in seen:
            continue
        if tag in joined:
            misses.append((tag, f"the page links it run together in {joined[tag]}", True))
        elif tag in apart.values():
            misses.append((tag, "the page links its words one by one", True))
        elif tag in continued and not tag_problem(tag):
            misses.append((tag, "on the TAGS line's second line, which the page never links", True))
        else:
            misses.append((tag, tag_problem(tag) or "the page does not link it", False))
    report.count("tags", "precision", reference_id, len(tags), misses)


def compare_references(report: Report, reference_id: str, item: SourceText, cable: ParsedCable):
    """The release's references (the CSV's column) or, without them, what the REF text
    cites, against the parser's references. No cable cites itself: its own id on a
    page-break or classification line is no reference."""
    year = cable.date.year if cable.date else None
    ref_text = reference_text(item.text)
    itself = {reference_id, cable.reference_id}
    listed = item.metadata.get("references")
    if listed is not None:
        expected = [reference for reference in re.split(r"[|,;\s]+", listed) if reference]
    else:
        expected = [ref for ref in cited_references(ref_text, year) if ref not in itself]
    misses = [(ref, "not among ours", False) for ref in expected if ref not in cable.references]
    report.count("references", "recall", reference_id, len(expected), misses)
    misses = []
    for reference in cable.references:
        if reference in itself:
            misses.append((reference, "the cable itself", False))
        elif problem := (
            reference not in expected and reference_text_problem(reference, ref_text, year)
        ):
            misses.append((reference, problem, False))
    report.count("references", "precision", reference_id, len(cable.references), misses)


def compare_subject(report: Report, reference_id: str, text: str, subject: str):
    """A SUBJECT line in the text should give a subject; ours should be what follows a
    SUBJECT label, without its marking."""
    if not subject:
        problem = "missing"
    elif not (problem := subject_problem(subject)) and not subject_in_text(subject, text):
        problem = "not what a SUBJECT label of the text says"
    misses = [(subject or "none", problem, False)] if problem else []
    if SUBJECT_LINE.search(text):
        report.count("subject", "recall", reference_id, 1, misses)
    if subject:
        report.count("subject", "precision", reference_id, 1, misses)


def is_another_cable(expected_id: str, cable: ParsedCable) -> bool:
    """The text names a different post and serial than the id the release gave it."""
    if expected_id in KNOWN_MALFORMED_IDS or not (cable.post and cable.serial):
        return False
    return not expected_id.endswith(f"{cable.post}{cable.serial}")


def compare(
    report: Report,
    expected_id: str,
    row: dict,
    item: SourceText,
    cable: ParsedCable,
    page: str,
    created: datetime | None,
) -> None:
    if is_another_cable(expected_id, cable):
        # The release put another cable's text on this page (88BAGHDAD28 carries
        # STATE 068250): its fields describe that cable, not the page's metadata.
        reason = "the page's text is another cable"
        report.compare_value(
            "reference_id", expected_id, expected_id, cable.reference_id, reason, True
        )
        report.skipped.append(f"{expected_id}: {reason} ({cable.reference_id})")
        return
    malformed = expected_id in KNOWN_MALFORMED_IDS
    reason = "the release's malformed id" if malformed else ""
    report.compare_value(
        "reference_id", expected_id, expected_id, cable.reference_id, reason, malformed
    )
    # The CSV's row in MANIFEST.tsv stands for two cables: its own columns say more.
    expected = item.metadata.get("classification") or row["classification"]
    report.compare_value("classification", expected_id, expected, cable.classification)
    expected = item.metadata.get("origin") or row["origin"]
    report.compare_value("sender", expected_id, expected, cable.sender.name if cable.sender else "")
    report.date_sources[cable.date_source or "none"] += 1
    # A date filled in from the release is not the parser's: a partial extract has none.
    own_date = cable.date if cable.date_source != "metadata" else None
    got = own_date.date().isoformat() if own_date else ""
    expected = created.date().isoformat() if created and (got or not cable.is_partial) else ""
    reason = f"date from {cable.date_source or 'nothing'}"
    report.compare_value("date", expected_id, expected, got, reason)
    compare_subject(report, expected_id, item.text, cable.subject)
    compare_references(report, expected_id, item, cable)
    if page:
        compare_paragraphs(report, expected_id, PAGE_ANCHOR.findall(page), cable, item.text)
        if (tags := page_tags(page)) is not None:
            compare_tags(report, expected_id, tags, cable.tags)
