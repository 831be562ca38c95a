"""The cables of one list page worked out once (cables/results.py): the same counts and
pages as asking the filters each time, and bounded work on huge lists."""

import pytest
from django.db import connection
from django.http import QueryDict

from cables import facets, results
from cables.facets import facets_for
from cables.filters import CableFilter, ListState
from cables.models import Cable
from cables.search import parse_query
from tests.corpus_helpers import imported_archive_fixture

archive = imported_archive_fixture()
pytestmark = pytest.mark.django_db

QUERIES = [
    "tag=PREL&tag=PGOV",
    "tag=PREL&classification=SECRET&classification=CONFIDENTIAL",
    "q=embassy&sender=embassy-baghdad",
    "q=minister+OR+president&tag=PREL&date_after=2008-01-01",
    'q="prime minister"&classification=SECRET',
    "date_after=2009-01-01&date_before=2009-06-30&classification=UNCLASSIFIED",
    "references=08MEXICO2160",
]


def listed(query: str, materialize: bool, sort: str = "newest") -> dict:
    params = QueryDict(query)
    filterset = CableFilter(params, queryset=Cable.objects.all())
    assert not filterset.problems(), query
    search = parse_query(filterset.cleaned("q", ""))
    if materialize:
        sets = results.result_set(filterset, search, sort, stored=False)
    else:
        plain = CableFilter(params, queryset=Cable.objects.all())
        plain.problems()
        sets = results.ResultSet(
            plain.qs, plain.qs_without("sender"), plain.qs_without("classification")
        )
    count = sets.results.count()
    found = facets_for(filterset, ListState.from_query(params), "/cables/", None, sets, count)
    return {
        "count": count,
        "page": list(sets.ordered_ids(sort, search, count)[:50]),
        "facets": {
            name: [(v.value, v.count, v.selected) for v in facet.values]
            for name, facet in (
                ("tag", found["tag"]),
                ("sender", found["sender"]),
                ("classification", found["classification"]),
                ("year", found["date"].years),
            )
        },
    }


def test_the_requests_table_gives_the_same_counts_and_pages_as_the_filters(archive):
    if connection.vendor != "sqlite":
        pytest.skip("the request's table is SQLite's; PostgreSQL asks the filters")
    for query in QUERIES:
        for sort in ("newest", "oldest"):
            assert listed(query, True, sort) == listed(query, False, sort), (query, sort)


def test_relevance_from_the_requests_table_orders_as_the_filters_do(archive):
    if connection.vendor != "sqlite":
        pytest.skip("the request's table is SQLite's; PostgreSQL asks the filters")
    for query in ("q=embassy", "q=minister+OR+president&tag=PREL"):
        assert listed(query, True, "relevance") == listed(query, False, "relevance"), query


def test_a_search_matching_too_many_paragraphs_ranks_by_subject_and_says_so(
    client, archive, monkeypatch
):
    monkeypatch.setattr(results, "RANK_PARAGRAPHS_UP_TO", 3)
    page = client.get("/cables/?q=embassy").content.decode()
    assert "too many to rank by their text" in page
    data = client.get("/cables/?q=embassy&format=json").json()
    ids = [result["reference_id"] for result in data["results"]]
    subjects = {
        cable.reference_id: "EMBASSY" in cable.subject.upper()
        for cable in Cable.objects.filter(reference_id__in=ids)
    }
    ranks = [subjects[reference_id] for reference_id in ids]
    assert ranks == sorted(ranks, reverse=True)  # subject matches first
    monkeypatch.setattr(results, "RANK_PARAGRAPHS_UP_TO", 10**6)
    assert "too many to rank" not in client.get("/cables/?q=embassy").content.decode()


def test_tags_of_a_huge_list_are_counted_over_its_newest_cables_and_it_says_so(
    client, archive, monkeypatch
):
    monkeypatch.setattr(facets, "TAG_COUNT_CAP", 20)
    data = client.get("/cables/?q=embassy&sort=newest").content.decode()
    total = Cable.objects.matching(parse_query("embassy")).count()
    assert total > 20
    assert f"Counted over the newest 20 of these {total:,} cables." in data
    newest = Cable.objects.matching(parse_query("embassy")).newest_first()[:20]
    expected = {}
    for cable in newest.prefetch_related("tags"):
        for tag in cable.tags.all():
            expected[tag.code] = expected.get(tag.code, 0) + 1
    shown = client.get("/cables/?q=embassy&format=json").json()["facets"]["tag"]
    assert shown and all(expected[value["value"]] == value["count"] for value in shown)
