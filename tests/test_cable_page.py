"""The public pages of the seed cable: home, list, cable, paragraph, raw text, JSON."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_archive_holds(client, seed_cable):
    response = client.get("/")
    assert response.status_code == 200
    assert "1 cable from 1 post, with 6 tags" in " ".join(response.content.decode().split())
    assert 'href="/cables/"' in response.content.decode()


def test_cable_list_shows_the_cable_newest_first(client, seed_cable, django_assert_num_queries):
    with django_assert_num_queries(11 if connection.vendor == "sqlite" else 13):
        # (PostgreSQL: SET statement_timeout, at the start and at the end: limits.py)
        # 1.-4. whether the stored facet counts are current (tests/test_summaries.py)
        # 5. the stored total, 6. the ids of the page, 7. the page's cables, senders joined
        # 8.-11. the tag, sender, classification and date facets (tests/test_facets.py)
        response = client.get("/cables/")
    assert response.status_code == 200
    assert '<a class="reference" href="/cables/08MEXICO2160/">08MEXICO2160</a>' in (
        response.content.decode()
    )


def test_cable_page_shows_metadata_tags_and_every_paragraph(
    client, seed_cable, django_assert_num_queries
):
    with django_assert_num_queries(5):
        # 1. the cable with its sender joined
        # 2. its tags with the Tag rows joined, in TAGS-line order
        # 3. its paragraphs in order
        # 4. its references (none: so no look-up of which are in the archive)
        # 5. the cables whose REF lines name this one
        response = client.get("/cables/08MEXICO2160/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "SCENESETTER FOR DHS SECRETARY MICHAEL CHERTOFF, JULY 17-19" in page
    assert "Embassy Mexico" in page and "AMEMBASSY MEXICO" in page
    assert "UNCLASSIFIED//FOR OFFICIAL USE ONLY" in page
    assert "PREL</span> — External Political Relations" in page
    for number in range(1, 11):
        assert f'id="p{number}"' in page
        assert f'href="/cables/08MEXICO2160/#p{number}"' in page
        assert f'href="/cables/08MEXICO2160/p{number}/"' in page
    assert page.count("(SBU)") == 10
    assert '<h2 class="paragraph-heading">Key Issues</h2>' in page
    assert "“Operation Armas Cruzadas”" in page


def test_paragraph_permalink_page_links_to_its_neighbours_and_the_cable(client, seed_cable):
    response = client.get("/cables/08MEXICO2160/p3/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Calderon continues to greatly strengthen law enforcement cooperation" in page
    assert "President Calderon remains firm" not in page
    assert 'href="/cables/08MEXICO2160/p2/"' in page
    assert 'href="/cables/08MEXICO2160/p4/"' in page
    assert 'href="/cables/08MEXICO2160/#p3"' in page


def test_first_and_last_paragraphs_have_one_neighbour(client, seed_cable):
    first = client.get("/cables/08MEXICO2160/p1/").content.decode()
    assert 'rel="prev"' not in first and 'href="/cables/08MEXICO2160/p2/"' in first
    last = client.get("/cables/08MEXICO2160/p10/").content.decode()
    assert 'rel="next"' not in last and 'href="/cables/08MEXICO2160/p9/"' in last


def test_raw_text_is_plain_text_exactly_as_imported(client, seed_cable):
    response = client.get("/cables/08MEXICO2160/raw/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == seed_cable.raw_text


def test_cable_json_has_every_field(client, seed_cable, settings):
    settings.SITE_URL = "https://cables.example.org"
    response = client.get("/cables/08MEXICO2160.json")
    assert response.status_code == 200
    data = response.json()
    assert data["reference_id"] == "08MEXICO2160"
    assert data["date"] == "2008-07-15T12:40:00Z"
    assert data["sender"] == {"code": "AMEMBASSY MEXICO", "name": "Embassy Mexico"}
    assert data["classification"] == "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    assert data["caveats"] == ["SIPDIS", "SENSITIVE"]
    assert data["tags"][0] == {"code": "PREL", "description": "External Political Relations"}
    assert [tag["code"] for tag in data["tags"]] == ["PREL", "PGOV", "PHUM", "SNAR", "KCRM", "MX"]
    assert data["to"] == ["SECSTATE WASHDC"]
    assert len(data["info"]) == 6
    assert data["references"] == []
    assert data["signer"] == "PARNELL"
    assert data["precedence"] == "ROUTINE"
    assert data["transmission_id"] == "VZCZCXRO7283"
    for key in ("classified_by", "declassify_on", "subject"):
        assert key in data
    assert len(data["paragraphs"]) == 10
    assert data["paragraphs"][2] == {
        "number": "3",
        "anchor": "p3",
        "marking": "SBU",
        "heading": "",
        "text": seed_cable.paragraphs.get(anchor="p3").text,
        "url": "https://cables.example.org/cables/08MEXICO2160/p3/",
    }
    assert data["url"] == "https://cables.example.org/cables/08MEXICO2160/"
    assert data["raw_url"] == "https://cables.example.org/cables/08MEXICO2160/raw/"


def test_unknown_cable_is_a_404_page(client, db):
    response = client.get("/cables/99NOWHERE1/")
    assert response.status_code == 404
    assert "No cable 99NOWHERE1 in the archive." in response.content.decode()


def test_unknown_paragraph_is_a_404_page(client, seed_cable):
    assert client.get("/cables/08MEXICO2160/p11/").status_code == 404
    assert client.get("/cables/08MEXICO2160/t1/").status_code == 404


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/cables/08mexico2160/", "/cables/08MEXICO2160/"),
        ("/cables/08mexico02160/", "/cables/08MEXICO2160/"),
        ("/cables/08MEXICO002160/p3/", "/cables/08MEXICO2160/p3/"),
        ("/cables/08mexico2160.json", "/cables/08MEXICO2160.json"),
        ("/cables/08Mexico2160/raw/", "/cables/08MEXICO2160/raw/"),
    ],
)
def test_other_forms_of_the_reference_id_redirect_to_the_canonical_url(
    client, seed_cable, path, target
):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == target


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/cables/",
        "/cables/08MEXICO2160/",
        "/cables/08MEXICO2160/p3/",
        "/cables/08MEXICO2160/raw/",
        "/cables/08MEXICO2160.json",
    ],
)
def test_public_pages_answer_get_and_head_only(client, seed_cable, path):
    assert client.get(path).status_code == 200
    assert client.head(path).status_code == 200
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(path).status_code == 405


def test_public_pages_write_nothing(client, seed_cable):
    with CaptureQueriesContext(connection) as queries:
        for path in ("/", "/cables/", "/cables/08MEXICO2160/", "/cables/08MEXICO2160/p3/"):
            client.get(path)
    writes = [
        q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    assert writes == []


def test_cable_text_is_escaped(client, db):
    from cables.parsing import SourceText
    from cables.writing.importing import import_items

    from .conftest import SEED

    text = (
        SEED.read_text(encoding="utf-8")
        .replace(
            "Welcome to Mexico City.",
            'Welcome <script>alert(1)</script> "><img src=x onerror=alert(2)>',
        )
        .replace("JULY 17-19", "JULY <b>17-19</b>")
    )
    import_items([SourceText(name="hostile.txt", text=text, format="txt")])
    page = client.get("/cables/08MEXICO2160/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "<b>17-19</b>" not in page and "&lt;b&gt;17-19&lt;/b&gt;" in page


def test_quirky_cables_read_well(client, corpus):
    from .conftest import import_paths

    pages = corpus / "cablegate-2011-04"
    report = import_paths(
        pages / "2010" / "02" / "10TRIPOLI95.html",  # redactions
        pages / "2005" / "07" / "05SOFIA1207.html",  # partial extract, no header
        pages / "1985" / "03" / "85BEIRUT1725.html",  # pre-2000
    )
    assert report.failures == []
    tripoli = client.get("/cables/10TRIPOLI95/").content.decode()
    assert '<span class="redacted" title="Redacted in the release">XXXXXXXXXXXX</span>' in tripoli
    sofia = client.get("/cables/05SOFIA1207/").content.decode()
    assert "This record is a partial extract of the original cable" in sofia
    assert "Embassy Sofia" in sofia
    beirut = client.get("/cables/85BEIRUT1725/").content.decode()
    assert "FULL TEXT OF ISLAMIC JIHAD 17 MARCH STATEMENT" in beirut
    assert 'id="p3"' in beirut


def test_each_paragraph_links_to_its_place_in_the_cable_and_its_permalink(client, seed_cable):
    for path in ("/cables/08MEXICO2160/", "/cables/08MEXICO2160/p4/"):
        page = client.get(path).content.decode()
        assert 'class="pilcrow" href="/cables/08MEXICO2160/#p4"' in page, path
        assert 'class="permalink" href="/cables/08MEXICO2160/p4/"' in page, path
    # Every paragraph's links, as the URLconf and the model make them.
    page = client.get("/cables/08MEXICO2160/").content.decode()
    for paragraph in seed_cable.paragraphs.all():
        assert f'class="pilcrow" href="{paragraph.get_in_cable_url()}"' in page
        assert f'class="permalink" href="{paragraph.get_absolute_url()}"' in page
