"""The cables of one list page worked out once, in memory (cables/reading/results.py and
cables/reading/facts.py): the same counts and pages as asking the database each question, and
bounded work on huge lists."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, F
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cables.archive_version import bump_version
from cables.models import Cable, CableTag, Tag
from cables.parsing import SourceText
from cables.reading import facets, facts, results, summaries
from cables.reading.facets import facets_for
from cables.reading.facts import MonthOf, YearOf
from cables.reading.filters import CableFilter, ListState
from cables.reading.search import filter_cables, order_by_relevance, parse_query
from cables.reading.summaries import Scope
from cables.writing.importing import import_items
from tests.conftest import SEED
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
    "date_after=2008-03-01&date_before=2008-03-31",
    "references=08MEXICO2160",
    "sender=embassy-baghdad&sender=embassy-tripoli&date_after=2007-01-01",
    # The search alone: its ids straight from the full-text index (search.matching_ids_sql)
    "q=embassy+minister",
    "q=embassy+-oil&classification=SECRET",
    "q=minister+OR+president+-iraq",
    'q=merid*+"human rights"',
]


def grouped(cables, expression) -> dict:
    rows = cables.order_by().annotate(value=expression).values("value").annotate(n=Count("id"))
    return {row["value"]: row["n"] for row in rows if row["value"] is not None}


def in_memory(query: str, sort: str) -> dict:
    params = QueryDict(query)
    filterset = CableFilter(params, queryset=Cable.objects.all())
    assert not filterset.problems(), query
    sets = results.result_set(filterset, parse_query(filterset.cleaned("q", "")), sort)
    found = facets_for(filterset, ListState.from_query(params), "/cables/", sets)
    return {
        "count": sets.count,
        "page": list(sets.ordered_ids(sort)[:50]),
        "page 2": list(sets.ordered_ids(sort)[50:100]),
        "senders": dict(sets.sender_counts()),
        "classifications": sets.classification_counts(),
        "years": sets.date_counts("year"),
        "months": sets.date_counts("month"),
        "tags shown": {value.value: value.count for value in found["tag"].values},
    }


def asked_of_the_database(query: str, sort: str, by_text: bool = True) -> dict:
    params = QueryDict(query)
    filterset = CableFilter(params, queryset=Cable.objects.all())
    filterset.problems()
    search = parse_query(filterset.cleaned("q", ""))
    cables = filterset.qs
    if sort == "relevance":
        ordered = order_by_relevance(cables, search, paragraphs=by_text)
    elif sort == "oldest":
        ordered = cables.order_by(F("date").asc(nulls_last=True), "id")
    else:
        ordered = cables.order_by(F("date").desc(nulls_last=True), "-id")
    tags = dict(
        CableTag.objects.filter(cable__in=cables)
        .values_list("tag__code")
        .annotate(n=Count("cable_id"))
        .values_list("tag__code", "n")
    )
    return {
        "count": cables.count(),
        "page": list(ordered.values_list("id", flat=True)[:50]),
        "page 2": list(ordered.values_list("id", flat=True)[50:100]),
        "senders": grouped(filterset.qs_without("sender"), F("sender_id")),
        "classifications": grouped(filterset.qs_without("classification"), F("classification")),
        "years": grouped(cables, YearOf("date")),
        "months": grouped(cables, MonthOf("date")),
        "tags": tags,
    }


def test_counts_and_pages_worked_out_in_memory_equal_the_databases(archive):
    assert sum(bool(asked_of_the_database(query, "newest")["count"]) for query in QUERIES) >= 8
    for query in QUERIES:
        for sort in ("newest", "oldest"):
            memory, database = in_memory(query, sort), asked_of_the_database(query, sort)
            shown = memory.pop("tags shown")
            everything = database.pop("tags")
            assert memory == database, (query, sort)
            assert bool(shown) == bool(database["count"]), query
            assert shown == {code: everything[code] for code in shown}, query
            # The tags shown are the selected ones and then the most frequent.
            selected = set(QueryDict(query).getlist("tag"))
            ranked = {code: n for code, n in shown.items() if code not in selected}
            hidden = [n for code, n in everything.items() if code not in shown]
            assert not ranked or min(ranked.values()) >= max(hidden, default=0), query


RANKED = (
    "q=embassy",
    "q=minister+OR+president&tag=PREL",
    "q=oil&sender=embassy-baghdad",
    "q=embassy+minister+-oil",
)


def test_relevance_worked_out_in_memory_orders_as_the_database_does(archive):
    for query in RANKED:
        memory, database = in_memory(query, "relevance"), asked_of_the_database(query, "relevance")
        assert memory["page"] + memory["page 2"] == database["page"] + database["page 2"], query


def test_relevance_by_subject_alone_orders_as_the_database_does(archive, monkeypatch):
    monkeypatch.setattr(results, "RANK_PARAGRAPHS_UP_TO", 3)
    for query in RANKED:
        memory = in_memory(query, "relevance")
        database = asked_of_the_database(query, "relevance", by_text=False)
        assert memory["page"] + memory["page 2"] == database["page"] + database["page 2"], query


def test_the_facts_are_brought_up_to_date_after_a_write_by_reading_only_what_changed(
    archive, monkeypatch
):
    Cable.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    before = facts.current()
    monkeypatch.setitem(facts.MARGIN, connection.vendor, timedelta(0))
    read = []
    fill = facts.fill
    monkeypatch.setattr(facts, "fill", lambda arrays, rows: fill(arrays, read.extend(rows) or read))
    read_tags = []
    fill_tags = facts.fill_tags
    monkeypatch.setattr(
        facts,
        "fill_tags",
        lambda arrays, rows: fill_tags(arrays, read_tags.extend(rows) or read_tags),
    )
    with CaptureQueriesContext(connection) as unchanged:
        assert facts.current() is before  # the same arrays, not read again
    assert len(unchanged.captured_queries) == 2  # the version and the highest id
    cable = Cable.objects.order_by("id").first()
    cable.classification = "SECRET" if cable.classification != "SECRET" else "CONFIDENTIAL"
    cable.date = cable.date.replace(year=1971)
    dropped = cable.cable_tags.order_by("position").first()
    dropped.delete()  # as the importer replaces a cable's tags: with the cable saved
    cable.save()
    bump_version()
    with CaptureQueriesContext(connection) as refreshed:
        after = facts.current()
    assert after is not before
    assert after.label[cable.id] == facts.LABELS.index(cable.classification) + 1
    assert after.year[cable.id] == 1971 and before.year[cable.id] != 1971
    reads = [q["sql"] for q in refreshed.captured_queries if "classification" in q["sql"]]
    assert len(reads) == 1 and "updated_at" in reads[0]
    assert [row[0] for row in read] == [cable.id]  # the one cable written, not the archive
    kept = set(cable.cable_tags.values_list("tag_id", flat=True))
    assert set(after.tags[cable.id]) == kept == set(before.tags[cable.id]) - {dropped.tag_id}
    assert {row[0] for row in read_tags} == {cable.id}


def test_a_restored_archive_is_read_again_whole(archive):
    before = facts.current()
    cable = Cable.objects.order_by("id").first()
    # Written with an older timestamp than any the arrays have seen (a restore, say).
    label = "SECRET//NOFORN" if cable.classification != "SECRET//NOFORN" else "SECRET"
    Cable.objects.filter(id=cable.id).update(classification=label)
    Cable.objects.update(updated_at=timezone.now() - timedelta(days=1))
    bump_version()
    after = facts.current()
    assert after.label[cable.id] == facts.LABELS.index(label) + 1 != before.label[cable.id]


def test_a_cable_the_facts_missed_makes_the_page_read_them_again(client, archive):
    both = Cable.objects.filter(tags__code="PREL").filter(tags__code="PGOV")
    cable = both.order_by("-date").first()
    stale = facts.current()
    stale.order[cable.id] = 0  # as if a write had been missed by the margin
    data = client.get("/cables/?tag=PREL&tag=PGOV&format=json").json()
    assert facts.current() is not stale and facts.current().order[cable.id] != 0
    assert data["count"] == both.count()
    assert data["results"][0]["reference_id"] == cable.reference_id


def test_a_worker_reads_the_facts_as_it_starts_so_no_page_waits_for_them(client, archive):
    facts.warm()  # as archive/wsgi.py does in each gunicorn worker
    with CaptureQueriesContext(connection) as page:
        assert client.get("/cables/?tag=PREL&tag=PGOV").status_code == 200
    # The page checked that the facts were current, and read none of them.
    assert not [query for query in page.captured_queries if '"month"' in query["sql"]]
    assert facts.current().knows(Cable.objects.order_by("id").last().id)


def test_undated_cables_come_last_newest_or_oldest_first(archive):
    undated = list(Cable.objects.order_by("id").values_list("id", flat=True)[:3])
    Cable.objects.filter(id__in=undated).update(date=None, updated_at=timezone.now())
    bump_version()
    for sort in ("newest", "oldest"):
        memory, database = in_memory("tag=PREL", sort), asked_of_the_database("tag=PREL", sort)
        assert memory["page"] == database["page"], sort
    every_id = list(Cable.objects.values_list("id", flat=True))
    newest_first = results.ResultSet(facts.current(), every_id).ordered_ids("newest")
    oldest_first = results.ResultSet(facts.current(), every_id).ordered_ids("oldest")
    assert newest_first[len(every_id) - 3 :] == sorted(undated, reverse=True)
    assert oldest_first[len(every_id) - 3 :] == sorted(undated)


def test_stored_and_in_memory_counts_agree_on_the_whole_archive(archive):
    everything = results.ResultSet(
        facts.current(), list(Cable.objects.values_list("id", flat=True))
    )
    assert everything.count == Scope().total()
    stored = {v: n for v, n in Scope().counts().filter(facet="year").values_list("value", "count")}
    assert {str(year): n for year, n in everything.date_counts("year").items()} == stored


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
    total = filter_cables(Cable.objects.all(), parse_query("embassy")).count()
    assert total > 20
    assert f"Counted over the newest 20 of these {total:,} cables." in data
    newest = filter_cables(Cable.objects.all(), parse_query("embassy")).newest_first()[:20]
    expected = {}
    for cable in newest.prefetch_related("tags"):
        for tag in cable.tags.all():
            expected[tag.code] = expected.get(tag.code, 0) + 1
    shown = client.get("/cables/?q=embassy&format=json").json()["facets"]["tag"]
    assert shown and all(expected[value["value"]] == value["count"] for value in shown)


def test_values_at_gives_a_sequence_for_no_one_or_many_ids():
    values = [10, 11, 12, 13]
    assert list(results.values_at(values, [])) == []
    assert list(results.values_at(values, [2])) == [12]
    assert list(results.values_at(values, [3, 1])) == [13, 11]


def test_tags_counted_in_memory_come_in_the_databases_order_with_ties_broken_by_code(archive):
    every_id = list(Cable.objects.order_by("id").values_list("id", flat=True))
    ties = 0
    for ids in (every_id[::3], every_id[:2]):  # many tags, and fewer than are wanted
        sets = results.ResultSet(facts.current(), ids)
        counts = sets.tag_counts(ids)
        ranked = [tag_id for tag_id, _ in counts.most_common()]
        absent = Tag.objects.exclude(id__in=counts).values_list("id", flat=True).first()
        assert absent is not None
        for selected in ([], ranked[:2], ranked[-1:], [absent, ranked[1]]):
            for limit in (0, 1, 3, 10, 40):
                wanted = limit + len(selected) + 1
                memory = facets.counted_tag_rows(counts, selected, wanted)
                database = list(
                    CableTag.objects.filter(cable_id__in=ids)
                    .values("tag_id")
                    .annotate(count=Count("cable_id"), code=F("tag__code"))
                    .annotate(description=F("tag__description"))
                    .order_by(facets.selected_first("tag_id", selected), "-count", "code")[:wanted]
                )
                assert memory == database, (len(ids), selected, limit)
                ties += len(database) - len({row["count"] for row in database})
    assert ties  # equal counts were met, and ordered by code


def test_a_cable_whose_tags_change_is_counted_under_its_new_tags(client, archive):
    text = SEED.read_text(encoding="utf-8")
    import_items([SourceText(name="seed.txt", text=text, format="txt")])
    url = "/cables/?q=%22welcome+to+mexico+city%22&format=json"
    data = client.get(url).json()
    assert data["count"] == 1 and "PHUM" in {value["value"] for value in data["facets"]["tag"]}
    retagged = text.replace("[PHUM](#)", "[KDEM](#)")
    report = import_items([SourceText(name="seed.txt", text=retagged, format="txt")])
    assert report.updated == 1
    tags = {value["value"] for value in client.get(url).json()["facets"]["tag"]}
    assert tags == {"PREL", "PGOV", "KDEM", "SNAR", "KCRM", "MX"}


# (query, whether the list's counts are stored, whether the sender glossary's are: it
# leaves out the sender selection), when the stored counts are current.
GLOSSARY_QUERIES = [
    ("", True, True),
    ("tag=PREL", True, True),
    ("sender=embassy-baghdad", True, True),
    ("tag=PREL&sender=embassy-baghdad", False, True),
    ("sender=embassy-baghdad&sender=embassy-tripoli&classification=SECRET", False, True),
    ("sender=embassy-baghdad&date_after=2008-01-01&date_before=2008-12-31", False, True),
    ("sender=embassy-baghdad&tag=PREL&date_after=2008-01-01&date_before=2008-12-31", False, False),
    ("sender=embassy-baghdad&date_after=2008-01-01&date_before=2008-06-30", False, False),
    *((query, False, False) for query in QUERIES),
]


def test_the_glossaries_counts_equal_the_databases(archive):
    summaries.refresh()  # the stored counts are current: the scopes above read them
    for current in (True, False):
        for query, list_stored, senders_stored in GLOSSARY_QUERIES:
            filterset = CableFilter(QueryDict(query), queryset=Cable.objects.all())
            assert not filterset.problems(), query
            listed = facets.stored_scope(filterset)
            assert (listed is not None) == (current and list_stored), query
            sender_scope = facets.stored_scope(filterset, without_senders=True)
            assert (sender_scope is not None) == (current and senders_stored), query
            expected = dict(
                CableTag.objects.filter(cable__in=filterset.qs)
                .values("tag_id")
                .annotate(n=Count("cable_id"))
                .values_list("tag_id", "n")
            )
            assert facets.tag_counts_of(filterset) == expected, query
            senders = grouped(filterset.qs_without("sender"), F("sender_id"))
            with CaptureQueriesContext(connection) as queries:
                assert facets.sender_counts_of(filterset) == senders, query
            read_stored = any("cables_facetcount" in q["sql"] for q in queries.captured_queries)
            assert read_stored == (current and senders_stored), query
        summaries.forget()  # then every query counts in memory
