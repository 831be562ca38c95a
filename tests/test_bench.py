"""The serving benchmark's floor (bench/serve_queries.py): the bare SQL of each view it
compares with Datasette must answer the same questions as our page, or the ratio to it
measures nothing. Run on the real corpus, on SQLite (the benchmark's database)."""

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.http import QueryDict

from cables.models import Cable
from cables.reading import results
from cables.reading.filters import CableFilter
from cables.reading.search import parse_query
from tests.corpus_helpers import imported_archive_fixture

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import against_datasette  # noqa: E402
import latency_stats  # noqa: E402
import serve_queries  # noqa: E402

archive = imported_archive_fixture()
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the benchmark's floor is SQLite's bare SQL"
    ),
]


def compared_views(cable: Cable) -> list[dict]:
    """The benchmark's views compared with Datasette (bench/against_datasette.py), with
    words and a year that the corpus has."""
    subjects = {
        "rare_word": {"word": "merida"},
        "common_word": {"word": "embassy"},
        "cable": {"reference_id": cable.reference_id, "id": cable.id},
    }
    return against_datasette.comparison_views(subjects, 2008, "DATABASE")


def run(statements: list[str]) -> list[list[tuple]]:
    with connection.cursor() as cursor:
        found = []
        for sql in statements:
            cursor.execute(sql)
            found.append(cursor.fetchall())
        return found


def test_the_floor_counts_and_pages_each_view_as_our_list_does(archive):
    """The same count, years and page of rows as our list; the classification and sender
    counts within the view, as Datasette counts them (our facets leave out their own
    selection)."""
    views = [
        row
        for row in compared_views(Cable.objects.first())
        if row["name"] != "single cable" and "native" not in row["name"]
    ]
    assert len(views) == 5
    for row in views:
        path, _, query = row["ours"].partition("?")
        assert path == "/cables/", row
        params = QueryDict(query)
        filterset = CableFilter(params, queryset=Cable.objects.all())
        assert not filterset.problems(), row
        sets = results.result_set(filterset, parse_query(filterset.cleaned("q", "")), "newest")
        count, labels, senders, years, page = run(row["floor"])
        assert count == [(sets.count,)] and sets.count > 0, row["name"]
        cables = filterset.qs.order_by()
        by_label = cables.values_list("classification").annotate(n=Count("id"))
        assert dict(labels) == dict(by_label), row["name"]
        by_sender = cables.values_list("sender_id").annotate(n=Count("id")).order_by("-n")
        assert [n for _, n in senders] == [n for _, n in by_sender[:31]], row["name"]
        assert {int(year): n for year, n in years} == sets.date_counts("year"), row["name"]
        assert [line[0] for line in page] == list(sets.ordered_ids("newest")[:50]), row["name"]


def test_the_floors_filter_is_one_condition_whatever_it_holds():
    """A filter with OR still narrows every statement, the dated years' too."""
    statements = serve_queries.view_floor_sql("classification = 'A' OR classification = 'B'")
    for sql in statements:
        assert "WHERE (classification = 'A' OR classification = 'B')" in sql


def test_the_floor_of_a_cable_page_reads_its_row_and_every_paragraph(archive):
    cable = Cable.objects.filter(paragraphs__isnull=False).distinct().first()
    (single,) = [row for row in compared_views(cable) if row["name"] == "single cable"]
    assert single["ours"] == f"/cables/{cable.reference_id}/"
    row, paragraphs = run(single["floor"])
    assert len(row) == 1
    assert len(paragraphs) == cable.paragraphs.count() > 0


def test_the_p95_is_the_nearest_rank_a_time_that_was_measured():
    """Twenty times: the 19th, not the slowest (an index of 0.95 × n) nor one between
    two times (interpolated); a median of an even count is the mean of the middle two."""
    times = [float(ms) for ms in range(20, 0, -1)]
    assert latency_stats.median(times) == 10.5
    assert latency_stats.percentile(sorted(times), 0.95) == 19.0
    assert latency_stats.percentile([1.0, 2.0, 3.0], 0.95) == 3.0
    row = latency_stats.summary(times, elapsed=4, shares=(0.5, 0.95, 0.99))
    assert row == {
        "requests": 20,
        "median_ms": 10.5,
        "p50_ms": 10.0,
        "p95_ms": 19.0,
        "p99_ms": 20.0,
        "max_ms": 20.0,
        "requests_per_s": 5.0,
    }
