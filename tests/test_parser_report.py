"""The parser measured against the metadata the Cablegate release published."""

import pytest

from cables.parser_report import THRESHOLDS, measure


@pytest.fixture(scope="module")
def report(corpus):
    return measure(corpus)


def test_every_file_of_the_corpus_parses_without_a_crash(report):
    assert report.files == 751
    assert report.cables == 752  # the CSV sample holds two
    assert report.crashes == []
    assert report.failures == []


@pytest.mark.parametrize("field", list(THRESHOLDS))
def test_each_field_meets_its_threshold(report, field):
    score = report.scores[field]
    assert score.compared > 0
    assert score.rate >= THRESHOLDS[field], report.listing()


def test_reference_id_disagreements_are_the_releases_own_errors(report):
    reasons = {
        item.reference_id: item.reason
        for item in report.disagreements
        if item.field == "reference_id"
    }
    assert reasons["7575LIBREVILLE1895"] == "the release's malformed id"
    assert reasons["88BAGHDAD28"] == "the page's text is another cable"
    assert len(reasons) == 2


def test_dates_come_from_the_text_where_it_has_one(report):
    # Partial extracts carry no date line; everything else dates itself.
    assert report.date_sources["dtg"] >= 640
    assert report.date_sources["metadata"] <= report.partial


def test_two_renderings_mostly_agree_and_every_difference_is_listed(report):
    assert report.renderings_compared == 28
    assert len(report.renderings_differing) <= 5
    listing = report.listing()
    for reference in report.renderings_differing:
        assert reference in listing


def test_report_command_prints_the_table(corpus, capsys):
    from django.core.management import call_command

    call_command("parser_report", str(corpus), "--check")
    out = capsys.readouterr().out
    assert "| reference_id |" in out and "Disagreements:" in out
