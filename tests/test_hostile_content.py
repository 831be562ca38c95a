"""Hostile content: a cable whose subject, tags and text carry script, markup and formula
injections imports, and is shown inert on every page and in every export."""

import csv
import io
import json
from html.parser import HTMLParser

import pytest
from django.test import Client

from cables.models import Cable, CableTag, Tag
from cables.parsing import SourceText, parse_cable
from cables.reading.exports import csv_cell
from cables.writing.importing import import_items

from .conftest import SEED

pytestmark = pytest.mark.django_db

SUBJECT = (
    '=HYPERLINK("http://x") <script>alert("s")</script> "><img src=x onerror=alert(1)> '
    "[md](javascript:alert(2)) {% debug %}"
)
TAGS = ["+CMD|CALC!A0", "PREL", "<SCRIPT>ALERT(1)</SCRIPT>", '"><IMG/SRC=X/ONERROR=ALERT(2)>']
TAGS += ["JAVASCRIPT:ALERT(3)"]
TEXT = (
    'Welcome <script>alert("p")</script> "><img src=x onerror=alert(1)> '
    '<a href="javascript:alert(3)">x</a> [md](javascript:alert(4)) &lt;b&gt; {{ 7|add:1 }}'
)

# What the HTML pages must show instead: Django's escaping, written out.
SUBJECT_HTML = (
    "=HYPERLINK(&quot;http://x&quot;) &lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt; "
    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; [md](javascript:alert(2)) {% debug %}"
)
TAGS_HTML = [
    '<a href="/tags/+CMD%7CCALC!A0/"><span class="tag-code">+CMD|CALC!A0</span>',
    '<a href="/tags/%3CSCRIPT%3EALERT(1)%3C/SCRIPT%3E/">'
    '<span class="tag-code">&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;</span>',
    '<a href="/tags/%22%3E%3CIMG/SRC=X/ONERROR=ALERT(2)%3E/">'
    '<span class="tag-code">&quot;&gt;&lt;IMG/SRC=X/ONERROR=ALERT(2)&gt;</span>',
    '<a href="/tags/JAVASCRIPT:ALERT(3)/"><span class="tag-code">JAVASCRIPT:ALERT(3)</span>',
]
TEXT_HTML = (
    "Welcome &lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt; &quot;&gt;&lt;img src=x "
    "onerror=alert(1)&gt; &lt;a href=&quot;javascript:alert(3)&quot;&gt;x&lt;/a&gt; "
    "[md](javascript:alert(4)) &amp;lt;b&amp;gt; {{ 7|add:1 }}"
)
RAW_PAYLOADS = [
    "<script>alert",
    "<SCRIPT>",
    "<img src=x",
    "<IMG",
    '<a href="javascript',
    "onerror=alert(1)>",
]


def hostile_text() -> str:
    lines = []
    subject_continues = False
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("TAGS:"):
            line = "TAGS: " + " ".join(TAGS)
        elif line.startswith("SUBJECT:"):
            line, subject_continues = f"SUBJECT: {SUBJECT}", True
        elif subject_continues:  # the seed's subject goes on for a line
            subject_continues = False
            continue
        lines.append(line)
    return "\n".join(lines).replace("Welcome to Mexico City.", TEXT)


@pytest.fixture
def hostile(db) -> Cable:
    """The hostile cable, carrying the hostile tag codes. The parser keeps no code that is
    not tag-shaped, so they are written as an archivist's edit in the admin would write
    them, in the order of the TAGS line."""
    report = import_items([SourceText(name="hostile.txt", text=hostile_text(), format="txt")])
    assert report.created == 1, report.failures
    cable = Cable.objects.get()
    cable.cable_tags.all().delete()
    for position, code in enumerate(TAGS, start=1):
        tag, _ = Tag.objects.get_or_create(code=code)
        CableTag.objects.create(cable=cable, tag=tag, position=position)
    cable.save()  # a newer updated_at: the stored counts and in-memory tags are stale
    return cable


def test_the_parser_keeps_none_of_the_hostile_tag_codes():
    # The first code on the line cannot be a tag, so the line gives none.
    assert parse_cable(hostile_text()).tags == []


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


class Elements(HTMLParser):
    """Every element of a page, with its attributes."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_inert(page: str):
    """No payload made it into the page's markup: no image, no script but ours, no event
    handler, no javascript: link; and none of the payloads appears unescaped."""
    parser = Elements()
    parser.feed(page)
    for tag, attributes in parser.elements:
        assert tag != "img", attributes
        if tag == "script":
            assert attributes == {"src": "/static/js/archive.js", "defer": None}
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, attributes)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not (value or "").strip().lower().startswith("javascript:"), attributes
    for payload in RAW_PAYLOADS:
        assert payload not in page, payload


def test_the_hostile_cable_imports_with_its_fields_as_they_are(hostile):
    assert hostile.subject == SUBJECT
    assert hostile.paragraphs.get(anchor="p1").text.startswith(TEXT + " Mexico remains key")


def test_the_cable_page_shows_the_payloads_escaped(client, hostile):
    page = body(client.get("/cables/08MEXICO2160/"))
    assert_inert(page)
    assert f"<h1>{SUBJECT_HTML}</h1>" in page
    assert "<title>08MEXICO2160: =HYPERLINK(&quot;http://x&quot;) &lt;script&gt;alert(" in page
    for tag in TAGS_HTML:
        assert tag in page
    assert f"<p>{TEXT_HTML} Mexico remains key" in page
    # The prose citations quote the subject: escaped too.
    assert f"US Embassy Mexico, “{SUBJECT_HTML},” cable 08MEXICO2160, July 15, 2008" in page


def test_the_paragraph_permalink_shows_the_payloads_escaped(client, hostile):
    page = body(client.get("/cables/08MEXICO2160/p1/"))
    assert_inert(page)
    assert f"<h1>{SUBJECT_HTML}</h1>" in page
    assert f"<p>{TEXT_HTML} Mexico remains key" in page
    assert f"“{SUBJECT_HTML},” cable 08MEXICO2160, July 15, 2008, ¶1, " in page


def test_every_tag_link_works_and_lands_on_an_inert_list(client, hostile):
    for link in TAGS_HTML:
        url = link.split('"')[1]
        response = client.get(url)
        assert response.status_code == 302, url
        page = body(client.get(response["Location"]))
        assert_inert(page)
        assert "1 cable" in page


def test_lists_and_searches_show_the_payloads_escaped(client, hostile):
    for url in ("/", "/cables/", "/cables/?q=welcome", "/cables/?q=alert", "/cables/?tag=PREL"):
        page = body(client.get(url))
        assert_inert(page)
        assert SUBJECT_HTML in page, url
    page = body(client.get("/cables/?q=welcome"))
    snippet = page.split('<p class="snippet">', 1)[1].split("</p>", 1)[0]
    assert snippet.startswith(
        '<a class="snippet-anchor" href="/cables/08MEXICO2160/#p1">¶1</a> <mark>Welcome</mark> '
    )
    assert_escaped_snippet(snippet)


def assert_escaped_snippet(html: str):
    """A search snippet: the text escaped, only <mark> added; on either database, the
    text that looks like tags kept as text."""
    assert "alert(&quot;p&quot;)" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert (
        "<mark>Welcome</mark> &lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt; "
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &lt;a href=&quot;javascript:alert(3)"
        "&quot;&gt;x&lt;/a&gt; [md](javascript:alert(4)) &amp;lt;b&amp;gt;"
    ) in html
    without_marks = html.replace("<mark>", "").replace("</mark>", "")
    without_marks = without_marks.split("</a> ", 1)[-1]  # the anchor's link, on the page
    assert "<" not in without_marks and ">" not in without_marks


def test_the_tag_glossary_shows_the_codes_escaped(client, hostile):
    page = body(client.get("/tags/"))
    assert_inert(page)
    assert (
        '<a class="tag-code" href="/cables/?tag=%3CSCRIPT%3EALERT%281%29%3C%2FSCRIPT%3E">'
        "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;</a>" in page
    )
    assert_inert(body(client.get("/tags/?find=script")))
    assert_inert(body(client.get("/senders/")))


def test_the_admin_shows_the_payloads_escaped(client, hostile, django_user_model):
    keeper = django_user_model.objects.create_superuser("keeper", "k@example.org", "pw-long-1")
    client.force_login(keeper)
    for url in ("/admin/cables/cable/", f"/admin/cables/cable/{hostile.pk}/change/"):
        page = body(client.get(url))
        assert SUBJECT_HTML in page
        for payload in RAW_PAYLOADS:
            assert payload not in page, (url, payload)


def test_json_carries_the_payloads_as_data(client, hostile):
    response = client.get("/cables/08MEXICO2160.json")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(body(response))
    assert data["subject"] == SUBJECT
    assert [tag["code"] for tag in data["tags"]] == TAGS
    assert data["paragraphs"][0]["text"].startswith(TEXT)

    listed = json.loads(body(client.get("/cables/?q=welcome&format=json")))
    assert listed["results"][0]["subject"] == SUBJECT
    assert listed["results"][0]["snippet"]["html"].startswith("<mark>Welcome</mark> ")
    assert_escaped_snippet(listed["results"][0]["snippet"]["html"])
    facet = {value["value"] for value in listed["facets"]["tag"]}
    assert facet == set(TAGS)


def test_csv_carries_the_payloads_as_data(client, hostile):
    response = client.get("/cables/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cables.csv"'
    header, row = list(csv.reader(io.StringIO(body(response))))
    cells = dict(zip(header, row, strict=True))
    assert cells["subject"].endswith(SUBJECT)
    assert cells["tags"].endswith(" ".join(TAGS))


def test_no_csv_cell_starts_a_spreadsheet_formula(client, hostile):
    header, row = list(csv.reader(io.StringIO(body(client.get("/cables/?format=csv")))))
    cells = dict(zip(header, row, strict=True))
    assert cells["subject"] == "'" + SUBJECT
    assert cells["tags"] == "'" + " ".join(TAGS)
    assert not [cell for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+CMD|CALC!A0", "'+CMD|CALC!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("SCENESETTER = visit", "SCENESETTER = visit"),
        ("2008-07-15T12:40:00Z", "2008-07-15T12:40:00Z"),
        ("", ""),
        (None, ""),
        (1, "1"),
    ],
)
def test_csv_cell_quotes_what_a_spreadsheet_would_run(value, cell):
    assert csv_cell(value) == cell


def test_text_and_raw_serve_the_payloads_as_plain_text(client, hostile):
    text = client.get("/cables/08MEXICO2160.txt")
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text["X-Content-Type-Options"] == "nosniff"
    assert f"\nSubject: {SUBJECT}\n" in body(text)
    assert f"\nTags: {', '.join(TAGS)}\n" in body(text)
    assert f"\n¶1 (SBU) {TEXT} Mexico remains key" in body(text)
    raw = client.get("/cables/08MEXICO2160/raw/")
    assert raw["Content-Type"] == "text/plain; charset=utf-8"
    assert raw["X-Content-Type-Options"] == "nosniff"
    assert body(raw) == hostile.raw_text and f"\nSUBJECT: {SUBJECT}\n" in body(raw)


@pytest.mark.parametrize("base", ["/cables/08MEXICO2160/", "/cables/08MEXICO2160/p1/"])
def test_every_citation_download_keeps_the_subject_as_data(client, hostile, base):
    bibtex = client.get(f"{base}cite/bibtex/")
    assert bibtex["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bibtex["Content-Disposition"].startswith('attachment; filename="08MEXICO2160')
    assert (
        '  title = {=HYPERLINK("http://x") <script>alert("s")</script> "><img src=x '
        "onerror=alert(1)> [md](javascript:alert(2)) \\{\\% debug \\%\\}},\n" in body(bibtex)
    )
    ris = client.get(f"{base}cite/ris/")
    assert ris["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert f"\r\nTI  - {SUBJECT}\r\n" in body(ris)
    csl = client.get(f"{base}cite/csl-json/")
    assert csl["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert json.loads(body(csl))[0]["title"] == SUBJECT
    for response in (bibtex, ris, csl):
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_hostile_search_query_is_shown_escaped(client, hostile):
    query = '"><script>alert(9)</script>'
    page = body(Client().get("/cables/", {"q": query}))
    assert_inert(page)
    assert 'value="&quot;&gt;&lt;script&gt;alert(9)&lt;/script&gt;"' in page
