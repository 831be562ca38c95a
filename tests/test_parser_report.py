"""The parser measured against what the Cablegate release published, both ways."""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cables.measuring import parser_report
from cables.measuring.evidence import reference_text, reference_text_problem
from cables.measuring.parser_report import (
    DIRECTIONS,
    THRESHOLDS,
    Report,
    compare_paragraphs,
    compare_references,
    compare_subject,
    measure,
)
from cables.parsing import SourceText, parse_cable
from cables.parsing.cable import ParsedCable, ParsedParagraph


@pytest.fixture(scope="module")
def report(corpus):
    return measure(corpus)


def test_every_file_of_the_corpus_parses_without_a_crash(report):
    assert report.files == 751
    assert report.cables == 752  # the CSV sample holds two
    assert report.crashes == []
    assert report.failures == []


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("field", list(THRESHOLDS))
def test_each_field_meets_its_threshold_both_ways(report, field, direction):
    rate = getattr(report.scores[field], direction)
    assert rate.compared > 0
    listed = [
        item for item in report.disagreements if (item.field, item.direction) == (field, direction)
    ]
    assert rate.compared - rate.confirmed == len(listed)  # every exception is listed
    assert rate.rate >= THRESHOLDS[field], "\n".join(map(str, listed))


def test_reference_id_disagreements_are_the_releases_own_errors(report):
    disagreements = [item for item in report.disagreements if item.field == "reference_id"]
    reasons = {item.reference_id: item.reason for item in disagreements}
    assert reasons["7575LIBREVILLE1895"] == "the release's malformed id"
    assert reasons["88BAGHDAD28"] == "the page's text is another cable"
    assert all(item.source_error for item in disagreements), disagreements


def test_dates_come_from_the_text_where_it_has_one(report):
    # Partial extracts carry no date line; everything else dates itself.
    assert report.date_sources["dtg"] >= 640
    assert report.date_sources["metadata"] <= report.partial


def test_two_renderings_mostly_agree_and_every_difference_is_listed(report):
    assert report.renderings_compared == 28
    assert len(report.renderings_differing) <= 6
    listing = report.listing()
    for reference in report.renderings_differing:
        assert reference in listing


def test_report_command_prints_both_directions_of_every_field(corpus, capsys):
    call_command("parser_report", str(corpus))
    out = capsys.readouterr().out
    assert "| field | counted | recall |" in out and "| precision |" in out
    for field in THRESHOLDS:
        assert f"| {field} |" in out
    assert "Disagreements:" in out


# --- a parser below the thresholds is reported -------------------------------------------


@pytest.fixture
def small_corpus(corpus, tmp_path):
    """Forty of the corpus's pages, linked (not copied) under a manifest of their own."""
    with open(corpus / "MANIFEST.tsv", encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.DictReader(stream, delimiter="\t")]
    rows = [row for row in rows if row["path"].startswith("cablegate-2011-04/2009/")][:40]
    with open(tmp_path / "MANIFEST.tsv", "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)
    for row in rows:
        (tmp_path / row["path"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / row["path"]).symlink_to(corpus / row["path"])
    return tmp_path


def test_a_parser_that_loses_tags_fails_the_check_on_tag_recall(small_corpus, monkeypatch):
    def losing_tags(text):
        cable = parse_cable(text)
        cable.tags = cable.tags[:1]
        return cable

    monkeypatch.setattr(parser_report, "parse_cable", losing_tags)
    below = measure(small_corpus).below_threshold()
    assert any(line.startswith("tags recall:") for line in below), below
    assert not any(line.startswith("tags precision:") for line in below), below
    with pytest.raises(CommandError, match="tags recall"):
        call_command("parser_report", str(small_corpus), "--check")


def test_a_tag_the_page_does_not_link_counts_against_precision(small_corpus, monkeypatch):
    def inventing_a_tag(text):
        cable = parse_cable(text)
        cable.tags.append("KQQQ")
        return cable

    monkeypatch.setattr(parser_report, "parse_cable", inventing_a_tag)
    report = measure(small_corpus)
    assert report.scores["tags"].recall.rate == 1.0
    assert report.scores["tags"].precision.rate < THRESHOLDS["tags"]
    assert "| tags | precision | KQQQ | the page does not link it | parser |" in report.listing()


# --- each direction of each field, on made-up fragments ----------------------------------


def cable_with(**values) -> ParsedCable:
    cable = ParsedCable(reference_id="08EXAMPLE100", date=None, date_source="", sender=None,
                        classification="")  # fmt: skip
    for name, value in values.items():
        setattr(cable, name, value)
    return cable


def numbered(*numbers) -> list[ParsedParagraph]:
    return [ParsedParagraph(number, f"p{number}", "", "", "text") for number in numbers]


def test_a_numbered_paragraph_the_page_does_not_mark_and_that_starts_no_line_is_unconfirmed():
    text = "¶1. (C) The minister said.\n¶2. (C) He added that on\n3. May he will go."
    report = Report()
    compare_paragraphs(
        report, "08EXAMPLE100", ["1", "2"], cable_with(paragraphs=numbered("1", "2", "3")), text
    )
    precision = report.scores["paragraphs"].precision
    assert (precision.compared, precision.confirmed, precision.source_errors) == (3, 2, 1)
    # Nothing starts a line with 4: a paragraph the text does not number.
    report = Report()
    compare_paragraphs(
        report, "08EXAMPLE100", ["1", "2"], cable_with(paragraphs=numbered("1", "2", "4")), text
    )
    precision = report.scores["paragraphs"].precision
    assert (precision.compared, precision.confirmed, precision.source_errors) == (3, 2, 0)
    assert report.disagreements[0].reason == "the page does not mark it; it starts no line"


def test_a_year_the_page_marks_as_a_paragraph_is_the_pages_error_in_recall():
    text = "¶1. (C) Elections were held in\n¶2003. and again later.\n¶2. (C) Comment."
    report = Report()
    compare_paragraphs(
        report, "08EXAMPLE100", ["1", "2003", "2"], cable_with(paragraphs=numbered("1", "2")), text
    )
    recall = report.scores["paragraphs"].recall
    assert (recall.compared, recall.confirmed, recall.source_errors) == (3, 2, 1)
    assert report.scores["paragraphs"].precision.rate == 1.0


def references_report(ref_lines: str, references: list[str]) -> Report:
    text = f"SUBJECT: A VISIT\n\nREF: {ref_lines}\n\nClassified By: someone\n\n1. (C) Text."
    item = SourceText(name="made-up", text=text, format="txt")
    cable = cable_with(references=references, date=parse_cable_date(2008))
    report = Report()
    compare_references(report, "08EXAMPLE100", item, cable)
    return report


def parse_cable_date(year):
    from datetime import UTC, datetime

    return datetime(year, 6, 1, tzinfo=UTC)


def test_references_that_are_not_cable_ids_count_against_precision():
    report = references_report("A. STATE 106206 B. PARA 4 OF SEE", ["08STATE106206", "08PARA4"])
    precision = report.scores["references"].precision
    assert (precision.compared, precision.confirmed) == (2, 1)
    assert [(item.item, item.reason) for item in report.disagreements] == [
        ("08PARA4", "PARA is no post")
    ]


def test_references_the_ref_text_cites_and_we_miss_count_against_recall():
    report = references_report("A. 07 MEXICO 1234 ¶B. SAN JOSE 0987", ["07MEXICO1234"])
    recall = report.scores["references"].recall
    assert (recall.compared, recall.confirmed) == (2, 1)
    assert report.disagreements[0].item == "08SANJOSE987"


def test_a_reference_is_confirmed_by_its_post_serial_and_year_in_the_ref_text():
    ref_text = reference_text(
        "REF: A. 07 MEXICO 1234 B. STATE 41252 AND 44603\n\n¶C. SECSTATE 5555 (07)\n\n1. Text"
    )
    assert reference_text_problem("07MEXICO1234", ref_text, 2008) == ""
    assert reference_text_problem("08MEXICO1234", ref_text, 2008) == "the REF text cites it of 07"
    assert reference_text_problem("08STATE44603", ref_text, 2008) == ""
    assert reference_text_problem("07STATE5555", ref_text, 2008) == ""
    assert reference_text_problem("08STATE9999", ref_text, 2008) == "not cited in the REF text"


def test_a_subject_that_starts_with_a_marking_counts_against_precision():
    report = Report()
    compare_subject(
        report, "08EXAMPLE100", "SUBJECT: (C/NF) A VISIT TO LIMA\n", "(C/NF) A VISIT TO LIMA"
    )
    assert report.scores["subject"].precision.rate == 0.0
    assert report.disagreements[0].reason == "starts with a marking"
    report = Report()
    compare_subject(report, "08EXAMPLE100", "SUBJECT: (C/NF) A VISIT TO LIMA\n", "A VISIT TO LIMA")
    assert report.scores["subject"].precision.rate == 1.0
