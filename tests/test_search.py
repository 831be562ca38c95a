"""Full-text search: the query syntax, the index kept in step, and, over the whole
corpus, exact results, snippets that link to the matching paragraph, and relevance."""

import dataclasses
import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from cables.models import Cable, Paragraph
from cables.parsing import ParseError, SourceText, parse_cable
from cables.reading import search
from cables.reading.search import Clause, Term, parse_query
from cables.writing import search_index
from cables.writing.cable_data import cable_data
from cables.writing.importing import import_items
from tests.conftest import SEED, import_paths
from tests.corpus_helpers import (
    contains_phrase,
    csv_reference_ids,
    imported_archive_fixture,
    words,
)

archive = imported_archive_fixture()


def found(client, query: str) -> set[str]:
    response = client.get("/cables/", {"q": query, "format": "csv"}, follow=True)
    assert response.status_code == 200
    return set(csv_reference_ids(response))


def cables_where(predicate) -> set[str]:
    """Reference ids of the cables whose subject or some paragraph satisfies ``predicate``,
    computed in Python from the stored text, not by the search index."""
    texts: dict[str, list[str]] = {}
    for cable in Cable.objects.only("reference_id", "subject"):
        texts[cable.reference_id] = [cable.subject]
    for reference_id, heading, text in Paragraph.objects.values_list(
        "cable__reference_id", "heading", "text"
    ):
        texts[reference_id].append(f"{heading} {text}")
    return {reference_id for reference_id, parts in texts.items() if any(map(predicate, parts))}


# --- the query syntax: pure Python ------------------------------------------------------


def test_words_must_all_match():
    assert parse_query("merida initiative").clauses == [
        Clause((Term(("merida",)),)),
        Clause((Term(("initiative",)),)),
    ]


def test_phrases_or_exclusions_and_prefixes_are_read():
    query = parse_query('"Merida Initiative" iran OR iraq -oil merid*')
    assert query.clauses == [
        Clause((Term(("merida", "initiative")),)),
        Clause((Term(("iran",)), Term(("iraq",)))),
        Clause((Term(("oil",)),), negated=True),
        Clause((Term(("merid",), prefix=True),)),
    ]
    assert query.note == ""


def test_bad_syntax_degrades_to_plain_words_with_a_note():
    for text, reason in [
        ('"merida initiative', "a quote is not closed"),
        ("merida OR", "OR needs a term on each side"),
        ("OR merida", "OR needs a term on each side"),
        ("merida OR OR mexico", "OR needs a term on each side"),
        ("merida - mexico", "has no word to search"),
        ("merida OR -mexico", "an exclusion cannot be one side of an OR"),
        ("* merida", "is not a word"),
    ]:
        query = parse_query(text)
        assert reason in query.note, text
        assert all(not clause.negated and len(clause.terms) == 1 for clause in query.clauses)
        assert "merida" in [clause.terms[0].words[0] for clause in query.clauses]


def test_only_exclusions_search_nothing_and_say_why():
    query = parse_query("-oil")
    assert not query and "exclusions alone are ignored" in query.note


def test_punctuated_words_become_phrases():
    assert parse_query("U.S. al-Qadhafi").clauses == [
        Clause((Term(("u", "s")),)),
        Clause((Term(("al", "qadhafi")),)),
    ]


# --- the index, kept in step by the database ---------------------------------------------


def seed_source(text):
    return SourceText(text=text, name="08MEXICO2160.txt", format="txt")


@pytest.mark.django_db
def test_the_index_follows_imports_updates_and_deletes(client):
    import_paths(SEED)
    assert found(client, "chertoff") == {"08MEXICO2160"}
    assert found(client, '"operation armas cruzadas"') == {"08MEXICO2160"}
    changed = re.sub("(?i)chertoff", "Napolitano", SEED.read_text(encoding="utf-8"))
    assert import_items([seed_source(changed)]).updated == 1
    assert found(client, "chertoff") == set()
    assert found(client, "napolitano") == {"08MEXICO2160"}
    search_index.check_index()
    Cable.objects.all().delete()
    assert found(client, "napolitano") == set()
    search_index.check_index()


@pytest.mark.django_db
def test_the_sqlite_triggers_exist():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL uses generated columns")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert {row[0] for row in cursor.fetchall()} >= search_index.SQLITE_TRIGGERS


@pytest.mark.django_db
def test_rebuilding_the_index_keeps_search_working(client):
    import_paths(SEED)
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue().strip()
    assert found(client, "chertoff") == {"08MEXICO2160"}
    search_index.check_index()


@pytest.mark.django_db
def test_a_paused_index_on_postgresql_is_its_gin_indexes_dropped_and_made_again(client):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes")
    search_index.pause_index()
    assert search_index.index_paused()
    import_paths(SEED)
    assert found(client, "chertoff") == {"08MEXICO2160"}  # by scanning, meanwhile
    search_index.resume_index()
    assert not search_index.index_paused()
    assert found(client, "chertoff") == {"08MEXICO2160"}


@pytest.mark.django_db
def test_postgresql_keeps_each_paragraphs_search_vector_in_its_row(client):
    """Storage MAIN (migration 0014): a phrase's candidates are checked without a TOAST
    lookup each, so a phrase search reads half as much."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's column storage")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'cables_paragraph'::regclass"
            " AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)
    import_paths(SEED)
    assert found(client, '"armas cruzadas"') == {"08MEXICO2160"}


@pytest.mark.django_db
def test_rebuilding_an_index_left_paused_brings_its_triggers_back(client):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL uses generated columns")
    search_index.pause_index()  # as a bulk load stopped before its end leaves it
    import_paths(SEED)
    assert search_index.index_paused()
    call_command("rebuild_search_index", stdout=StringIO())
    assert not search_index.index_paused()
    assert found(client, "chertoff") == {"08MEXICO2160"}


@pytest.mark.django_db
def test_each_match_names_its_cable_without_reading_the_paragraph_table():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's search keys")
    import_paths(SEED)
    cable = Cable.objects.get()
    keys = {
        (cable.pk << search_index.KEY_BITS) + position
        for position in cable.paragraphs.values_list("position", flat=True)
    }
    sql, params = search.cables_matching_sql([Term(("cartels",))])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM cables_paragraph_fts WHERE cables_paragraph_fts MATCH 'cartels'"
        )
        matched = {row[0] for row in cursor.fetchall()}
        cursor.execute(sql, params)
        assert {row[0] for row in cursor.fetchall()} == {cable.pk}
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert matched and matched <= keys  # each paragraph indexed under its cable's key
    assert "cables_paragraph_fts VIRTUAL TABLE" in plan
    assert not re.search(r"\bcables_paragraph\b(?!_fts)", plan), plan


@pytest.mark.django_db
def test_a_cable_with_more_paragraphs_than_a_search_key_holds_is_refused_by_name():
    source = seed_source(SEED.read_text(encoding="utf-8"))
    parsed = parse_cable(source.text)
    first = parsed.paragraphs[0]
    parsed.paragraphs = [
        dataclasses.replace(first, number=str(number), anchor=f"p{number}")
        for number in range(1, search_index.MAX_PARAGRAPHS + 2)
    ]
    with pytest.raises(ParseError, match="4,096 paragraphs: a cable can hold at most 4,095"):
        cable_data(source, parsed)
    parsed.paragraphs.pop()
    assert len(cable_data(source, parsed).paragraphs) == search_index.MAX_PARAGRAPHS


# --- over the whole corpus ---------------------------------------------------------------

corpus_test = pytest.mark.django_db


@corpus_test
@pytest.mark.parametrize("phrase", ["merida initiative", "human rights", "prime minister"])
def test_a_phrase_finds_exactly_the_cables_that_contain_it(client, archive, phrase):
    expected = cables_where(lambda text: contains_phrase(text, phrase))
    assert expected
    assert found(client, f'"{phrase}"') == expected


@corpus_test
def test_all_words_must_match_somewhere_in_the_cable(client, archive):
    qadhafi = cables_where(lambda text: "qadhafi" in words(text))
    tripoli = cables_where(lambda text: "tripoli" in words(text))
    assert found(client, "qadhafi") == qadhafi
    assert found(client, "Qadhafi TRIPOLI") == qadhafi & tripoli
    assert found(client, "qadhafi OR tripoli") == qadhafi | tripoli
    assert found(client, "tripoli -qadhafi") == tripoli - qadhafi
    assert qadhafi - tripoli and tripoli - qadhafi  # the three are different sets


@corpus_test
def test_a_prefix_finds_every_word_that_starts_with_it(client, archive):
    expected = cables_where(lambda text: any(word.startswith("merid") for word in words(text)))
    assert expected and found(client, "merid*") == expected


@corpus_test
def test_snippets_link_to_the_matching_paragraph(client, archive):
    page = unescape(client.get("/cables/", {"q": "qadhafi"}).content.decode())
    snippets = re.findall(
        r'<a class="snippet-anchor" href="/cables/([^/]+)/#([pt][0-9-]+)">[^<]*</a>(.*?)</p>', page
    )
    assert len(snippets) >= 10
    for reference_id, anchor, snippet in snippets:
        paragraph = Paragraph.objects.get(cable__reference_id=reference_id, anchor=anchor)
        assert "qadhafi" in words(paragraph.text + " " + paragraph.heading)
        assert re.search(r"<mark>qadhafi</mark>", snippet, re.IGNORECASE), snippet
        cable_page = client.get(f"/cables/{reference_id}/").content.decode()
        assert f'id="{anchor}"' in cable_page


@corpus_test
def test_snippets_escape_the_cable_text(client, archive):
    page = client.get("/cables/", {"q": "qadhafi"}).content.decode()
    for snippet in re.findall(r'<p class="snippet">(.*?)</p>', page, re.S):
        assert re.sub(r'</?mark>|<a class="snippet-anchor"[^>]*>|</a>', "", snippet).count("<") == 0


@corpus_test
def test_relevance_puts_cables_about_the_words_first(client, archive):
    data = client.get("/cables/", {"q": "qadhafi", "format": "json"}).json()
    assert "qadhafi" in words(data["results"][0]["subject"])
    newest = client.get("/cables/", {"q": "qadhafi", "sort": "newest", "format": "json"}).json()
    dates = [result["date"] for result in newest["results"]]
    assert dates == sorted(dates, reverse=True)
    assert {r["reference_id"] for r in data["results"]} == {
        r["reference_id"] for r in newest["results"]
    }


@corpus_test
def test_facet_counts_apply_to_search_results(client, archive):
    expected = cables_where(lambda text: "qadhafi" in words(text))
    data = client.get("/cables/", {"q": "qadhafi", "format": "json"}).json()
    assert data["count"] == len(expected)
    senders = Cable.objects.filter(reference_id__in=expected, sender__slug="embassy-tripoli")
    assert {v["value"]: v["count"] for v in data["facets"]["sender"]}[
        "embassy-tripoli"
    ] == senders.count()
    assert sum(v["count"] for v in data["facets"]["year"]) == len(expected)
