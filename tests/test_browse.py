"""The browse pages (/tags/, /senders/, /classifications/, /dates/<year>/), and a reader
clicking through the list from all cables to one paragraph and back, without typing a URL."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from cables.models import CableTag
from tests.corpus_helpers import imported_archive_fixture

pytestmark = pytest.mark.django_db
# The cables of 2009 are enough to browse (and quicker to import than the whole corpus).
archive = imported_archive_fixture("cablegate-2011-04/2009")

LINK = re.compile(r'<a\b[^>]*\bhref="([^"]+)"[^>]*>(.*?)</a>', re.S)


def links(response) -> dict[str, str]:
    """The page's links by their visible text (tags stripped)."""
    page = response.content.decode()
    return {
        unescape(re.sub(r"<[^>]+>", "", text)).strip(): unescape(href)
        for href, text in LINK.findall(page)
    }


def click(client, response, text: str, partial: bool = False):
    found = links(response)
    if partial:
        matches = [href for label, href in found.items() if text in label]
        assert matches, (text, list(found))
        href = matches[0]
    else:
        assert text in found, (text, list(found))
        href = found[text]
    result = client.get(href)
    assert result.status_code == 200, href
    return result, href


def submit(client, response, form_class: str, **fields):
    """Submit a form of the page as a browser would: its inputs, some filled in."""
    page = response.content.decode()
    form = re.search(
        rf'<form class="{form_class}"[^>]*action="([^"]+)"[^>]*>(.*?)</form>', page, re.S
    )
    assert form, form_class
    data = []
    for tag in re.findall(r"<input\b[^>]*>", form.group(2)):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            data.append((name.group(1), unescape(value.group(1)) if value else ""))
    data = [(name, fields.pop(name, value)) for name, value in data]
    url = f"{form.group(1)}?{urlencode(data)}"
    result = client.get(url, follow=True)
    assert result.status_code == 200
    return result, result.redirect_chain[-1][0] if result.redirect_chain else url


def test_the_tag_glossary_groups_tags_by_kind_with_descriptions_and_counts(client, archive):
    response = client.get("/tags/")
    page = unescape(response.content.decode())
    assert response.status_code == 200
    for title in ("Subjects", "Countries", "Organisations"):
        assert f">{title}</h2>" in page
    tagged = CableTag.objects.filter(tag__code="PREL").values("cable").distinct().count()
    assert tagged > 100
    assert (
        'href="/cables/?tag=PREL">PREL</a></td><td>External Political Relations</td>'
        f'<td class="number">{tagged}</td>'
    ) in page


def test_the_tag_glossary_can_be_searched_by_code_or_description(client, archive):
    page = unescape(client.get("/tags/?find=political").content.decode())
    assert ">PREL</a>" in page and ">MX</a>" not in page and ">PGOV</a>" not in page
    page = unescape(client.get("/tags/?find=MX").content.decode())
    assert ">MX</a></td><td>Mexico</td>" in page


def test_the_tag_glossary_counts_over_the_selected_cables(client, archive):
    page = unescape(client.get("/tags/?tag=LY&sender=embassy-tripoli").content.decode())
    assert 'href="/cables/?tag=LY&sender=embassy-tripoli">the cables you selected</a>' in page
    assert 'href="/cables/?tag=LY&tag=PREL&sender=embassy-tripoli">PREL</a>' in page
    assert ">MX</a>" not in page  # no Tripoli cable about Libya is tagged Mexico


def test_tag_sender_and_year_addresses_redirect_to_the_list(client, archive):
    assert client.get("/tags/PREL/")["Location"] == "/cables/?tag=PREL"
    assert client.get("/tags/prel/")["Location"] == "/cables/?tag=PREL"
    assert client.get("/senders/embassy-mexico/")["Location"] == "/cables/?sender=embassy-mexico"
    assert client.get("/dates/2009/")["Location"] == (
        "/cables/?date_after=2009-01-01&date_before=2009-12-31"
    )
    assert client.get("/tags/NOSUCHTAG/").status_code == 404
    assert client.get("/senders/embassy-atlantis/").status_code == 404


def country_sections(page: str) -> dict[str, list[str]]:
    """The senders page's countries, each with the names of its senders, in page order."""
    return {
        country: re.findall(r'<a href="[^"]+">([^<]+)</a>', body)
        for country, body in re.findall(
            r'<section class="country">\s*<h3>([^<]+)</h3>(.*?)</section>', page, re.S
        )
    }


def test_the_sender_list_groups_posts_by_country_and_links_each_to_its_cables(client, archive):
    page = unescape(client.get("/senders/").content.decode())
    countries = country_sections(page)
    assert list(countries) == sorted(countries)
    assert countries["Libya"] == ["Embassy Tripoli"]
    assert countries["Mexico"][0] == "Embassy Mexico"
    # The Department and the missions to international organisations come first, in no
    # country; the posts of 2009 all have one.
    first = page.index("<h2>Washington and missions to international organisations</h2>")
    assert first < page.index("<h2>By country</h2>")
    assert "Secretary of State" in page[first : page.index("<h2>By country</h2>")]
    assert "Posts of no known country" not in page
    # As many as the release says Embassy Tripoli sent in 2009.
    sent = sum(entry.origin == "Embassy Tripoli" for entry in archive.values())
    assert sent > 10
    assert (
        '<a href="/cables/?sender=embassy-tripoli">Embassy Tripoli</a> '
        f'<span class="facet-count">{sent}</span>'
    ) in page


def test_a_sender_can_be_found_by_its_country(client, archive):
    page = unescape(client.get("/senders/?find=brazil").content.decode())
    countries = country_sections(page)
    assert list(countries) == ["Brazil"]
    # The embassy first, then the consulates.
    assert countries["Brazil"][0] == "Embassy Brasilia" and len(countries["Brazil"]) > 1
    assert "Washington and missions" not in page


def test_finding_a_sender_matches_no_group_heading(client, archive):
    # "nation" is in the heading "Washington and missions to international
    # organisations", and in no sender's name or country.
    page = unescape(client.get("/senders/?find=nation").content.decode())
    assert "Secretary of State" not in page and not country_sections(page)
    assert "No senders match “nation”." in page


def test_the_classifications_page_lists_the_six_in_order(client, archive):
    page = unescape(client.get("/classifications/").content.decode())
    labels = re.findall(r"<tr><td>(?:<a [^>]+>)?([A-Z/ ]+?)(?:</a>)?</td>", page)
    assert labels == [
        "UNCLASSIFIED",
        "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
        "CONFIDENTIAL",
        "CONFIDENTIAL//NOFORN",
        "SECRET",
        "SECRET//NOFORN",
    ]
    assert 'href="/cables/?classification=SECRET%2F%2FNOFORN"' in page


def test_a_reader_clicks_from_all_cables_to_a_paragraph_and_back(client, archive):
    """SECRET cables from Embassy Tripoli in 2009 that mention Qadhafi, by clicks alone."""
    response = client.get("/cables/")
    response, _ = click(client, response, "SECRET")
    response, _ = click(client, response, "SECRET//NOFORN")  # widens: either label
    response, _ = click(client, response, "More senders…")  # Tripoli is not in the top ten
    response, _ = click(client, response, "Embassy Tripoli")
    response, _ = click(client, response, "2009: ", partial=True)  # a bar of the chart
    response, list_url = submit(client, response, "search-form", q="Qadhafi")
    assert list_url.startswith("/cables/?q=Qadhafi&sender=embassy-tripoli&classification=SECRET")
    page = unescape(response.content.decode())
    for chosen in ("Embassy Tripoli", "SECRET", "SECRET//NOFORN", "2009-01-01", "2009-12-31"):
        assert chosen in page
    snippet = re.search(r'<a class="snippet-anchor" href="(/cables/([^/]+)/#([^"]+))">', page)
    assert snippet, "a result with a matching paragraph"
    cable_url, reference_id, anchor = snippet.groups()
    cable_page = client.get(cable_url.split("#")[0]).content.decode()
    assert f'<section class="paragraph" id="{anchor}">' in cable_page
    paragraph = cable_page.split(f'id="{anchor}"')[1].split("</section>")[0]
    assert "qadhafi" in paragraph.lower()
    # Back: the list is its URL, so the browser's Back button shows the same list.
    again = client.get(list_url)
    assert again.status_code == 200
    assert reference_id in again.content.decode()
    # And the remove links undo each choice.
    response, _ = click(client, again, "Clear everything")
    assert "Clear everything" not in response.content.decode()
