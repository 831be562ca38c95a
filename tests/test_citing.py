"""Citing cables and paragraphs on the site: citation blocks, downloads, the guide,
the reference graph, permalinks that survive re-imports, and the data exports."""

import json

import pytest

from cables.models import Cable
from cables.parsing import SourceText, read_path
from cables.writing.importing import import_items

from .conftest import SEED, import_paths

pytestmark = pytest.mark.django_db


def test_paragraph_page_cites_the_paragraph_with_the_site_url(client, seed_cable, settings):
    settings.SITE_URL = "https://cables.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    page = client.get("/cables/08MEXICO2160/p3/", HTTP_HOST="evil.example.com").content.decode()
    assert (
        "US Embassy Mexico, “Scenesetter for DHS Secretary Michael Chertoff, July 17-19,” "
        "cable 08MEXICO2160, July 15, 2008, ¶3, https://cables.example.org/cables/08MEXICO2160/p3/."
    ) in page
    assert "evil.example.com" not in page
    for style in ("bibtex", "ris", "csl-json"):
        assert f'href="/cables/08MEXICO2160/p3/cite/{style}/"' in page


def test_every_paragraph_has_a_cite_link_and_the_cable_a_citation(client, seed_cable):
    page = client.get("/cables/08MEXICO2160/").content.decode()
    for number in range(1, 11):
        assert f'href="/cables/08MEXICO2160/p{number}/#cite"' in page
    assert "Cite this cable" in page
    assert "cable 08MEXICO2160, July 15, 2008, http" in page  # no ¶ for the whole cable


@pytest.mark.parametrize(
    ("path", "content_type", "start"),
    [
        (
            "/cables/08MEXICO2160/p3/cite/bibtex/",
            "application/x-bibtex",
            "@misc{cable08MEXICO2160p3,",
        ),
        ("/cables/08MEXICO2160/cite/ris/", "application/x-research-info-systems", "TY  - GOVDOC"),
        ("/cables/08MEXICO2160/p3/cite/csl-json/", "application/vnd.citationstyles.csl+json", "["),
    ],
)
def test_citation_downloads(client, seed_cable, path, content_type, start):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.decode().startswith(start)


def test_csl_json_download_names_the_paragraph(client, seed_cable):
    (item,) = json.loads(client.get("/cables/08MEXICO2160/p3/cite/csl-json/").content)
    assert item["section"] == "¶3" and item["number"] == "08MEXICO2160"


def test_unknown_citation_format_is_a_404(client, seed_cable):
    assert client.get("/cables/08MEXICO2160/cite/endnote-xml/").status_code == 404


def test_citation_guide_and_about_pages(client, seed_cable):
    guide = client.get("/citing/")
    assert guide.status_code == 200 and "Permalinks never change" in guide.content.decode()
    about = client.get("/about/").content.decode()
    assert "About the data" in about
    assert '<th scope="row">Cables</th><td>1</td>' in about
    assert '<th scope="row">Paragraphs</th><td>10</td>' in about


def test_plain_text_export(client, seed_cable):
    response = client.get("/cables/08MEXICO2160.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Cable 08MEXICO2160\nSubject: SCENESETTER FOR DHS")
    assert "\nKey Issues\n\n¶10 (SBU) Key Issues During Your Visit Include:" in text
    assert text.rstrip().endswith("PARNELL")


def test_reference_graph_both_ways(client, corpus):
    pages = corpus / "cablegate-2011-04" / "2005"
    import_paths(pages / "02" / "05BOGOTA1775.html", pages / "04" / "05BOGOTA3726.html")
    later = client.get("/cables/05BOGOTA3726/").content.decode()
    assert "References (3)" in later
    link = '<a href="/cables/05BOGOTA1775/" title="ELN PEACE TALK&#x27;S ADVANCES AND RETREATS">'
    assert f"{link}05BOGOTA1775</a>" in later
    assert '05BOGOTA3422 <span class="muted">(not in the archive)</span>' in later
    earlier = client.get("/cables/05BOGOTA1775/").content.decode()
    assert "Referenced by (1)" in earlier
    assert 'href="/cables/05BOGOTA3726/" title="PEACE PROCESS WITH ELN STALLS"' in earlier


def test_every_recorded_permalink_still_answers_after_changed_reimports(client, corpus):
    files = sorted((corpus / "cablegate-2011-04" / "2009").rglob("*.html"))[:25]
    items = [item for path in files for item in read_path(path)]
    assert import_items(items).failed == 0
    urls = [
        f"/cables/{cable.reference_id}/{anchor}/"
        for cable in Cable.objects.all()
        for anchor in cable.paragraphs.values_list("anchor", flat=True)
    ] + [
        f"/cables/{reference_id}/"
        for reference_id in Cable.objects.values_list("reference_id", flat=True)
    ]
    assert len(urls) > 200
    # A changed version of each cable: its last third of lines gone.
    changed = [
        SourceText(
            item.name,
            "\n".join(item.text.splitlines()[: len(item.text.splitlines()) * 2 // 3]),
            item.format,
            item.metadata,
        )
        for item in items
    ]
    report = import_items(changed)
    assert report.failed == 0 and report.updated == len(items)
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_seed_text_and_html_page_keep_one_cable_and_its_permalinks(client, seed_html):
    import_paths(SEED)
    urls = [f"/cables/08MEXICO2160/p{number}/" for number in range(1, 11)]
    import_paths(seed_html)
    assert Cable.objects.count() == 1
    for url in urls:
        assert client.get(url).status_code == 200


def test_the_list_can_show_the_cables_that_reference_a_cable(client, corpus):
    pages = corpus / "cablegate-2011-04" / "2005"
    import_paths(pages / "02" / "05BOGOTA1775.html", pages / "04" / "05BOGOTA3726.html")
    data = client.get("/cables/", {"references": "05BOGOTA1775", "format": "json"}).json()
    assert [result["reference_id"] for result in data["results"]] == ["05BOGOTA3726"]
    page = client.get("/cables/", {"references": "05bogota1775"}).content.decode()
    assert "cite 05BOGOTA1775" in page
