"""Stored facet counts (cables/reading/summaries.py): equal to live counting for every scope they
cover, used only while current, and counted again by every import."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from cables.models import Cable, Classification, FacetCount, Paragraph, Sender, Tag
from cables.reading import summaries
from cables.reading.facets import facets_for, stored_scope
from cables.reading.filters import CableFilter, ListState
from cables.reading.results import result_set
from cables.reading.search import parse_query
from tests.conftest import SEED, import_paths
from tests.corpus_helpers import imported_archive_fixture

archive = imported_archive_fixture()
pytestmark = pytest.mark.django_db


def facets(query: str, stored: bool) -> dict:
    state = ListState.from_query(query_dict(query))
    filterset = CableFilter(query_dict(query), queryset=Cable.objects.all())
    assert not filterset.problems()
    if stored:
        source = stored_scope(filterset)
        assert source is not None, query
    else:
        source = result_set(filterset, parse_query(""), "newest")
    found = facets_for(filterset, state, "/cables/", source)
    return {
        "tag": [(v.value, v.count, v.selected, v.url) for v in found["tag"].values],
        "tag_more": found["tag"].more_url,
        "sender": [(v.value, v.count, v.selected, v.url) for v in found["sender"].values],
        "classification": [(v.value, v.count, v.url) for v in found["classification"].values],
        "years": [(v.value, v.count, v.url) for v in found["date"].years.values],
        "months": [(v.value, v.count, v.url) for v in found["date"].months.values]
        if found["date"].months
        else None,
        "bars": [(bar.label, bar.count, bar.height) for bar in found["date"].bars],
    }


def query_dict(query: str) -> QueryDict:
    return QueryDict(query)


def scopes() -> list[str]:
    """A query for the whole archive and for several values of each kind of scope."""
    tags = [tag.code for tag in Tag.objects.all()][::7][:6]
    senders = [sender.slug for sender in Sender.objects.all()][::9][:5]
    years = sorted({cable.date.year for cable in Cable.objects.exclude(date=None)})[::4]
    return [
        "",
        *(f"tag={code}" for code in tags),
        *(f"sender={slug}" for slug in senders),
        *(f"classification={label}" for label in Classification.values),
        *(f"date_after={year}-01-01&date_before={year}-12-31" for year in years),
    ]


def test_stored_counts_equal_live_counts_for_every_scope(archive):
    assert summaries.is_current()
    for query in scopes():
        assert facets(query, stored=True) == facets(query, stored=False), query


def test_stored_totals_equal_the_number_of_cables_in_each_scope(archive):
    assert summaries.Scope().total() == Cable.objects.count() == len(archive)
    for label in Classification.values:
        assert (
            summaries.Scope("classification", label).total()
            == Cable.objects.filter(classification=label).count()
        )


def test_filters_that_no_scope_covers_count_live(archive):
    for query in (
        "q=embassy",
        "tag=PREL&tag=PGOV",
        "tag=PREL&classification=SECRET",
        "date_after=2008-01-01&date_before=2008-06-30",
        "date_after=2008-01-01",
        "references=08MEXICO2160",
    ):
        filterset = CableFilter(query_dict(query), queryset=Cable.objects.all())
        filterset.problems()
        assert stored_scope(filterset) is None, query


def test_the_unfiltered_list_does_not_group_the_whole_archive(client, archive):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/cables/").status_code == 200
        assert client.get("/cables/?tag=PREL").status_code == 200
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if "GROUP BY" in sql], statements


def test_any_write_makes_the_pages_count_live_until_the_next_refresh(client, archive):
    before = client.get("/cables/?format=json").json()["count"]
    # Deleted behind the import service's back, as an admin's delete action would.
    victim = Cable.objects.filter(classification="SECRET").first()
    victim.delete()
    assert not summaries.is_current()
    data = client.get("/cables/?format=json").json()
    assert data["count"] == before - 1
    secret = {value["value"]: value["count"] for value in data["facets"]["classification"]}
    assert secret["SECRET"] == Cable.objects.filter(classification="SECRET").count()
    # Any update, too (the latest updated_at moves).
    Cable.objects.filter(pk=Cable.objects.first().pk).update(subject="changed")
    summaries.refresh()
    assert summaries.is_current()
    cable = Cable.objects.first()
    cable.save()
    assert not summaries.is_current()
    summaries.refresh()


def test_every_import_that_changes_cables_counts_again(archive, tmp_path):
    FacetCount.objects.all().delete()
    summaries.refresh()
    changed = tmp_path / "08MEXICO2160.txt"
    changed.write_text(SEED.read_text().replace("SUBJECT: ", "SUBJECT: CHANGED ", 1))
    assert import_paths(changed).updated == 1
    assert summaries.is_current()
    assert import_paths(SEED).updated == 1  # as it was
    assert summaries.is_current()
    assert summaries.Scope().total() == Cable.objects.count()


def test_renaming_a_tag_or_sender_in_the_admin_makes_the_pages_count_live(
    client, archive, django_user_model
):
    summaries.refresh()
    client.force_login(django_user_model.objects.create_superuser("keeper", "k@example.org", "pw"))
    tag = Tag.objects.get(code="PREL")
    form = {"code": "PRELX", "description": tag.description, "kind": tag.kind}
    assert client.post(f"/admin/cables/tag/{tag.pk}/change/", form).status_code == 302
    assert not summaries.is_current()  # its counts were stored under PREL
    client.logout()
    carrying = Cable.objects.filter(tags__code="PRELX").count()
    assert carrying and client.get("/cables/?tag=PRELX&format=json").json()["count"] == carrying
    glossary = client.get("/tags/?tag=PRELX").content.decode()
    shown = re.search(r'>PRELX</a></td><td>[^<]*</td><td class="number">(\d+)<', glossary)
    assert shown and int(shown.group(1)) == carrying  # the glossary counts it too
    summaries.refresh()
    sender = Sender.objects.get(slug="embassy-baghdad")
    client.force_login(django_user_model.objects.get(username="keeper"))
    form = {"name": sender.name, "code": sender.code, "slug": "baghdad"}
    assert client.post(f"/admin/cables/sender/{sender.pk}/change/", form).status_code == 302
    assert not summaries.is_current()


def about_counts(client) -> tuple[dict, list[str]]:
    """The About page's paragraph and partial-extract counts, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/about/").content.decode()
    found = {}
    for label in ("Paragraphs", "Partial extracts"):
        match = re.search(rf'<th scope="row">{label}</th><td>(\d+)</td>', page)
        found[label] = int(match.group(1))
    return found, [query["sql"] for query in queries.captured_queries]


def counted_live(statements: list[str]) -> dict:
    """Which of the About page's counts its statements counted over the tables."""
    return {
        "Paragraphs": any('FROM "cables_paragraph"' in sql for sql in statements),
        "Partial extracts": any('"is_partial"' in sql for sql in statements),
    }


def test_the_about_page_reads_its_counts_stored_while_current_and_they_equal_the_live_ones(
    client, archive
):
    expected = {
        "Paragraphs": Paragraph.objects.count(),
        "Partial extracts": Cable.objects.filter(is_partial=True).count(),
    }
    assert expected["Partial extracts"] > 0  # the corpus has partial extracts
    summaries.refresh()
    for stored in (True, False):
        found, statements = about_counts(client)
        assert found == expected, stored
        assert counted_live(statements) == {label: not stored for label in expected}
        summaries.forget()  # then it counts live


def test_the_about_page_counts_live_what_an_older_refresh_did_not_store(client, archive):
    expected = {
        "Paragraphs": Paragraph.objects.count(),
        "Partial extracts": Cable.objects.filter(is_partial=True).count(),
    }
    for missing in ("paragraphs", "partial"):
        summaries.refresh()
        FacetCount.objects.filter(facet=missing).delete()
        assert summaries.is_current()
        found, statements = about_counts(client)
        assert found == expected, missing
        live = {"Paragraphs": missing == "paragraphs", "Partial extracts": missing == "partial"}
        assert counted_live(statements) == live, missing
