"""The serving benchmark's floor (bench/serve_queries.py): the bare SQL of each view it
compares with Datasette must answer the same questions as our page, or the ratio to it
measures nothing. Run on the real corpus, on SQLite (the benchmark's database)."""

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.http import QueryDict

from cables import results
from cables.filters import CableFilter
from cables.models import Cable
from cables.search import parse_query
from tests.corpus_helpers import imported_archive_fixture

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import serve_queries  # noqa: E402

archive = imported_archive_fixture()
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the benchmark's floor is SQLite's bare SQL"
    ),
]

# Our list's filter and the floor's WHERE for the same view (as bench/serve_benchmark.py
# writes them for the comparison with Datasette).
VIEWS = [
    ("", None),
    ("classification=SECRET", "classification = 'SECRET'"),
    (
        "classification=CONFIDENTIAL&date_after=2008-01-01&date_before=2008-12-31",
        "classification = 'CONFIDENTIAL' AND date >= '2008-01-01' AND date < '2009-01-01'",
    ),
    (
        "q=embassy",
        "id in (SELECT cables_paragraph_fts.rowid >> 12 FROM cables_paragraph_fts"
        " WHERE cables_paragraph_fts MATCH '\"embassy\"' UNION SELECT rowid"
        " FROM cables_subject_fts WHERE cables_subject_fts MATCH '\"embassy\"')",
    ),
]


def run(statements: list[str]) -> list[list[tuple]]:
    with connection.cursor() as cursor:
        found = []
        for sql in statements:
            cursor.execute(sql)
            found.append(cursor.fetchall())
        return found


def test_the_floor_counts_facets_and_pages_the_view_as_our_list_does(archive):
    for query, where in VIEWS:
        params = QueryDict(query)
        filterset = CableFilter(params, queryset=Cable.objects.all())
        assert not filterset.problems(), query
        sets = results.result_set(filterset, parse_query(filterset.cleaned("q", "")), "newest")
        count, labels, senders, years, page = run(serve_queries.view_floor_sql(where))
        assert count == [(sets.count,)] and sets.count > 0, query
        # Within the view, as Datasette counts (our facets widen a facet's own selection).
        cables = filterset.qs.order_by()
        by_label = cables.values_list("classification").annotate(n=Count("id"))
        assert dict(labels) == dict(by_label), query
        by_sender = cables.values_list("sender_id").annotate(n=Count("id")).order_by("-n")
        assert [n for _, n in senders] == [n for _, n in by_sender[:31]], query
        assert {int(year): n for year, n in years} == sets.date_counts("year"), query
        assert [row[0] for row in page] == list(sets.ordered_ids("newest")[:50]), query


def test_the_floor_of_a_cable_page_reads_its_row_and_every_paragraph(archive):
    cable = Cable.objects.filter(paragraphs__isnull=False).distinct().first()
    row, paragraphs = run(serve_queries.cable_floor_sql(cable.id))
    assert len(row) == 1
    assert len(paragraphs) == cable.paragraphs.count() > 0
