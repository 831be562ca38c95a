"""The faceted list /cables/ over the whole imported corpus: counts, semantics, the URL as
the state, its JSON and CSV forms, bad parameters, and how many queries it makes."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cables.models import Cable, CableTag, Classification, Sender
from cables.reading import facts
from cables.reading.facets import sender_facet
from cables.reading.filters import ListState
from cables.reading.results import ResultSet
from tests.corpus_helpers import counts, csv_reference_ids, imported_archive_fixture

archive = imported_archive_fixture()
pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="(/cables/[^"]*)"[^>]*>(.*?)</a>', re.S)


def facet(data, name) -> dict[str, int]:
    return {value["value"]: value["count"] for value in data["facets"][name]}


def ids_with_tag(code) -> set[int]:
    return set(CableTag.objects.filter(tag__code=code).values_list("cable_id", flat=True))


def reference_ids(ids) -> set[str]:
    return set(Cable.objects.filter(id__in=ids).values_list("reference_id", flat=True))


def test_classification_counts_equal_the_manifest(client, archive):
    data = client.get("/cables/?format=json").json()
    assert data["count"] == len(archive)
    assert facet(data, "classification") == counts(archive.values(), "classification")
    # In order of level, as the release orders them.
    labels = [value["value"] for value in data["facets"]["classification"]]
    assert labels == [label for label in Classification.values if label in labels]


def test_sender_counts_equal_the_manifest(client, archive):
    expected = counts(archive.values(), "origin")
    data = client.get("/cables/?format=json").json()
    shown = facet(data, "sender")
    assert len(shown) == 10
    names = {sender.slug: sender.name for sender in Sender.objects.all()}
    assert {names[slug]: count for slug, count in shown.items()} == {
        name: expected[name] for name in (names[slug] for slug in shown)
    }
    assert sorted(shown.values(), reverse=True) == sorted(expected.values(), reverse=True)[:10]
    every_cable = ResultSet(facts.current(), list(Cable.objects.values_list("id", flat=True)))
    every = sender_facet(every_cable, [], ListState(), "/cables/", limit=1000)
    assert {value.label: value.count for value in every.values} == expected


def test_year_counts_equal_the_manifest(client, archive):
    data = client.get("/cables/?format=json").json()
    assert facet(data, "year") == counts(archive.values(), "year")


def test_months_of_a_chosen_year_equal_the_manifest(client, archive):
    data = client.get("/cables/?date_after=2009-01-01&date_before=2009-12-31&format=json").json()
    in_2009 = [entry for entry in archive.values() if entry.year == "2009"]
    assert data["count"] == len(in_2009)
    assert facet(data, "month") == counts(in_2009, "month")
    assert data["facets"]["year"] == [
        {"value": "2009", "label": "2009", "count": len(in_2009), "selected": True}
    ]


def test_several_tags_narrow_to_cables_carrying_all_of_them(client, archive):
    expected = reference_ids(ids_with_tag("PREL") & ids_with_tag("LY"))
    assert 0 < len(expected) < len(reference_ids(ids_with_tag("LY")))
    response = client.get("/cables/?tag=PREL&tag=LY&format=csv")
    assert response.status_code == 200
    assert set(csv_reference_ids(response)) == expected
    data = client.get("/cables/?tag=PREL&tag=LY&format=json").json()
    assert data["count"] == len(expected)
    # Tag counts are over the current results: both selected tags are on every result.
    assert facet(data, "tag")["PREL"] == facet(data, "tag")["LY"] == len(expected)


def test_tag_counts_say_what_adding_the_tag_would_leave(client, archive):
    data = client.get("/cables/?tag=LY&format=json").json()
    for value in data["facets"]["tag"]:
        expected = len(ids_with_tag("LY") & ids_with_tag(value["value"]))
        assert value["count"] == expected, value
        assert value["selected"] == (value["value"] == "LY")


def test_several_senders_or_classifications_widen_within_their_facet(client, archive):
    expected = counts(archive.values(), "origin")
    data = client.get("/cables/?sender=embassy-tripoli&sender=embassy-mexico&format=json").json()
    assert data["count"] == expected["Embassy Tripoli"] + expected["Embassy Mexico"]
    levels = counts(archive.values(), "classification")
    url = "/cables/?classification=SECRET&classification=SECRET%2F%2FNOFORN&format=json"
    data = client.get(url).json()
    assert data["count"] == levels["SECRET"] + levels["SECRET//NOFORN"]


def test_different_facets_narrow_each_other(client, archive):
    expected = {
        entry.reference_id
        for entry in archive.values()
        if entry.origin == "Embassy Tripoli" and entry.classification.startswith("SECRET")
    }
    url = "/cables/?sender=embassy-tripoli&classification=SECRET&classification=SECRET%2F%2FNOFORN"
    assert set(csv_reference_ids(client.get(url + "&format=csv"))) == expected


def test_sender_and_classification_counts_ignore_their_own_selection(client, archive):
    chosen = client.get("/cables/?sender=embassy-tripoli&classification=SECRET&format=json").json()
    names = dict(Sender.objects.values_list("slug", "name"))
    secret = counts(
        [entry for entry in archive.values() if entry.classification == "SECRET"], "origin"
    )
    # Other senders stay addable, counted within SECRET (whatever the sender) ...
    assert {slug: count for slug, count in facet(chosen, "sender").items()} == {
        slug: secret[names[slug]] for slug in facet(chosen, "sender")
    }
    others = [count for slug, count in facet(chosen, "sender").items() if slug != "embassy-tripoli"]
    assert others == sorted(secret.values(), reverse=True)[:10]
    # ... and other classifications, counted within Embassy Tripoli.
    tripoli = counts(
        [entry for entry in archive.values() if entry.origin == "Embassy Tripoli"],
        "classification",
    )
    assert facet(chosen, "classification") == tripoli
    selected = [value["value"] for value in chosen["facets"]["sender"] if value["selected"]]
    assert selected == ["embassy-tripoli"]
    selected = [value["value"] for value in chosen["facets"]["classification"] if value["selected"]]
    assert selected == ["SECRET"]


def test_json_and_csv_agree_with_the_page(client, archive):
    url = "/cables/?tag=PREL&date_after=2008-01-01&date_before=2009-12-31"
    page = unescape(client.get(url).content.decode())
    data = client.get(url + "&format=json").json()
    in_csv = csv_reference_ids(client.get(url + "&format=csv"))
    assert f"<strong>{data['count']}</strong> cables" in page
    assert len(in_csv) == data["count"] > 50  # the CSV is every result, not one page
    on_page = [
        match.group(1).split("/")[2]
        for match in re.finditer(r'<a class="reference" href="([^"]+)"', page)
    ]
    assert on_page == [result["reference_id"] for result in data["results"]] == in_csv[:50]
    for name in ("tag", "sender", "classification"):
        for value in data["facets"][name]:
            assert re.search(
                rf">(?:<span[^>]*>✓</span> )?{re.escape(value['label'])}</a> "
                rf'<span class="facet-count">{value["count"]}</span>',
                page,
            ), value
    for value in data["facets"]["year"]:
        assert f"{value['value']}: {value['count']} cable" in page


def test_every_facet_value_links_to_its_toggled_state(client, archive):
    page = unescape(client.get("/cables/?tag=LY&sender=embassy-tripoli").content.decode())
    links = {text.strip(): href for href, text in LINK.findall(page)}
    assert links["PREL — External Political Relations"] == (
        "/cables/?tag=LY&tag=PREL&sender=embassy-tripoli"
    )
    assert any(href == "/cables/?sender=embassy-tripoli" for href in links.values())  # LY off
    assert "/cables/?tag=LY" in page  # the sender's remove link
    assert 'class="clear" href="/cables/"' in page


def test_empty_parameters_redirect_to_the_canonical_url(client, archive):
    response = client.get("/cables/?q=&tag=&sender=&date_after=&date_before=&page=1")
    assert (response.status_code, response["Location"]) == (302, "/cables/")
    response = client.get("/cables/?page=2&tag=prel&q=+merida+&tag=PREL&date_after=")
    assert response["Location"] == "/cables/?q=merida&tag=PREL&page=2"
    assert client.get(response["Location"]).status_code == 200
    response = client.get("/tags/?find=&q=")
    assert (response.status_code, response["Location"]) == (302, "/tags/")


def test_bad_parameters_give_the_page_with_a_message(client, archive):
    cases = {
        "tag=NOSUCHTAG": "There is no tag NOSUCHTAG in the archive.",
        "sender=embassy-atlantis": "There is no sender embassy-atlantis in the archive.",
        "classification=TOP+SECRET": "TOP SECRET is not a classification",
        "date_after=2008-02-30": "dates are written YYYY-MM-DD",
        "date_after=2009-01-01&date_before=2008-01-01": "the range ends before it starts",
        "sort=best": "best is not a sort",
        "page=abc": "“abc” is not a page number",
        "page=100000": "only the first 10000 pages of a list are shown",
        "color=red": "There is no parameter “color”",
        "format=xml": "xml is not a format",
        "q=%22unclosed+tripoli": "could not be read as written (a quote is not closed)",
        "q=OR": "could not be read as written",
        "q=-qadhafi": "exclusions alone are ignored",
        "sort=relevance": "Sorting by relevance needs a search",
    }
    for query, message in cases.items():
        response = client.get(f"/cables/?{query}")
        assert response.status_code == 200, query
        assert message in unescape(response.content.decode()), query


def test_a_bad_parameter_leaves_the_good_ones_applied(client, archive):
    data = client.get("/cables/?tag=NOSUCHTAG&sender=embassy-tripoli&format=json").json()
    assert data["count"] == counts(archive.values(), "origin")["Embassy Tripoli"]
    assert data["messages"] == [
        "Tag: There is no tag NOSUCHTAG in the archive. This part of the address was ignored."
    ]


def test_pages_are_capped_and_keep_the_filters(client, archive):
    response = client.get("/cables/?tag=PREL&page=2")
    page = unescape(response.content.decode())
    assert 'rel="prev" href="/cables/?tag=PREL"' in page
    assert "Page 2 of" in page


def test_the_list_page_makes_a_fixed_number_of_queries(client, archive, django_assert_num_queries):
    url = (
        "/cables/?q=qadhafi&tag=LY&sender=embassy-tripoli&classification=SECRET"
        "&classification=CONFIDENTIAL&date_after=2008-01-01&date_before=2010-12-31"
    )
    sqlite = connection.vendor == "sqlite"
    facts.current()  # the arrays of every cable's facts, read once per worker and version
    with django_assert_num_queries(12 if sqlite else 14):
        # PostgreSQL only: SET statement_timeout, at the start and at the end (limits.py)
        # 1. the selected tags, validated (Tag WHERE code IN …)
        # 2. the selected senders, validated (Sender WHERE slug IN …)
        # 3. the archive's version and 4. its highest cable id: the arrays are current
        # 5. the ids of the cables of every filter but sender and classification
        # sorted by relevance, so 6. the matching paragraphs counted up to a cap, then
        # 7. the best paragraph score and 8. the subject score of each matching cable
        # (the count, the order and the sender, classification and date facets are
        # worked out in memory; cables/reading/results.py)
        # 9. the page's rows, senders joined
        # 10. the tag facet: one GROUP BY over the results' ids
        # 11. the names of the senders counted
        # 12. the snippets: the best paragraph of each cable on the page
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(11 if sqlite else 13):
        # (PostgreSQL: SET statement_timeout, at the start and at the end)
        # 1. the stored counts' fingerprint, 2.-4. the live one (COUNT, MAX id, MAX
        # update, each from an index): equal, so 5. the stored total, 6. the ids of the
        # page along the date index, 7. the page's rows, 8.-11. the tag, sender,
        # classification and date facets, each read from the stored counts
        assert client.get("/cables/").status_code == 200


def test_no_query_of_the_list_scans_the_paragraph_table(client, archive):
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    url = "/cables/?q=qadhafi+tripoli&tag=LY&classification=SECRET&date_after=2008-01-01"
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured.captured_queries) >= 7
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = [row[3] for row in cursor.fetchall()]
            scans = [step for step in plan if re.match(r"SCAN cables_paragraph\b(?!_fts)", step)]
            assert scans == [], (query["sql"], plan)


def test_postgresql_reads_the_newest_cables_from_an_index(archive):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's date index read backwards is the newest-first order already")
    newest = Cable.objects.newest_first().values_list("id", flat=True)[:50]
    sql, params = newest.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")  # a sort only if no index can serve
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "cable_newest" in plan and "Sort" not in plan, plan
