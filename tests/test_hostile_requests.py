"""Hostile requests: huge, malformed or absurd addresses get a 400 or a clean page, never a
500, and never one that makes the archive work hard (on the whole corpus)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cables.models import Sender, Tag
from cables.reading import facts, limits
from cables.reading.filters import MAX_TAGS
from cables.web.middleware import MAX_QUERY_STRING
from tests.corpus_helpers import imported_archive_fixture

archive = imported_archive_fixture()
pytestmark = pytest.mark.django_db

QUERY_TOO_LONG = "This address's query is {:,} characters long; at most 4,096 are accepted."
NUL = "This address holds a NUL character (%00), which no address here can contain."
IGNORED = "This part of the address was ignored."
SEARCH_TOO_LONG = "Search: Ensure this value has at most 500 characters (it has {}). " + IGNORED
DATES = "Dates: dates are written YYYY-MM-DD, like 2008-07-15. " + IGNORED
LAST_PAGE = (
    "Page: only the first 10000 pages of a list are shown; narrow the list by date "
    "(or sort oldest first) to see further."
)
NO_PAGE = "Not found There is no page at this address."

# Each hostile address, the status it must get after any redirects, and what the page
# must say: why it is refused, or which part of the address was ignored and why.
HOSTILE = {
    "10,000 tag= parameters": (
        "/cables/?" + "&".join(["tag=PREL"] * 10_000),
        400,
        QUERY_TOO_LONG.format(89_999),
    ),
    "1,500 parameters in a short query": (
        "/cables/?" + "&".join(["a"] * 1500),
        400,
        "Bad Request (400)",
    ),
    "a 10 KB search": ("/cables/?q=" + "merida+" * 1463, 400, QUERY_TOO_LONG.format(10_243)),
    "a 100 KB query string": ("/cables/?x=" + "b" * 102_400, 400, QUERY_TOO_LONG.format(102_402)),
    "a 4 KB search": ("/cables/?q=" + "a" * 4000, 200, SEARCH_TOO_LONG.format(4000)),
    "a search of 600 words": (
        "/cables/?q=" + "+".join(["merida"] * 580),
        200,
        SEARCH_TOO_LONG.format(4059),
    ),
    "a search of many ORs and prefixes": (
        "/cables/?q=" + "+OR+".join(["a*"] * 400),
        200,
        SEARCH_TOO_LONG.format(2396),
    ),
    "a search of quotes and minuses": (
        "/cables/?q=" + "%22-%22+-+OR+*" * 100,
        200,
        SEARCH_TOO_LONG.format(1000),
    ),
    "an unknown sort": (
        "/cables/?sort=%3Cscript%3E",
        200,
        "Sort: <script> is not a sort; use newest, oldest or relevance. " + IGNORED,
    ),
    "page 999999999": ("/cables/?page=999999999", 200, LAST_PAGE),
    "page -1": ("/cables/?page=-1", 200, "Page: “-1” is not a page number; this is page 1."),
    "page 1e9": ("/cables/?page=1e9", 200, "Page: “1e9” is not a page number; this is page 1."),
    "page 0": ("/cables/?page=0", 200, "Page: “0” is not a page number; this is page 1."),
    "a page of 4,000 digits": ("/cables/?page=" + "9" * 4000, 200, LAST_PAGE),
    "page 999999999 as JSON": ("/cables/?page=999999999&format=json", 200, LAST_PAGE),
    "an unknown format": (
        "/cables/?format=xml",
        200,
        "Format: xml is not a format; use json or csv. " + IGNORED,
    ),
    "a date in year 99999": ("/cables/?date_after=99999-01-01", 200, DATES),
    "a date in year 0": ("/cables/?date_before=0000-01-01", 200, DATES),
    "a date that is not one": ("/cables/?date_after=2008-02-30&date_before=x", 200, DATES),
    "the year 99999": ("/dates/99999/", 200, DATES),
    "the year 0": ("/dates/0/", 200, DATES),
    "a year of 30 digits": ("/dates/" + "9" * 30 + "/", 200, DATES),
    "non-UTF-8 bytes in the path": ("/cables/%FF%FE/", 404, NO_PAGE),
    "broken UTF-8 in the path": ("/cables/%E2%28%A1/", 404, NO_PAGE),
    "broken percent-encoding in the path": ("/cables/%ZZ/", 404, NO_PAGE),
    "non-UTF-8 bytes in a tag's path": (
        "/tags/%FF%FE/",
        404,
        "Not found No tag %FF%FE in the archive.",
    ),
    "non-UTF-8 bytes in a sender's path": ("/senders/%FF/", 404, NO_PAGE),
    "non-UTF-8 bytes in the query": (
        "/cables/?q=%FF%FE&tag=%C3%28",
        200,
        "Tag: There is no tag \ufffd( in the archive. " + IGNORED,
    ),
    "broken percent-encoding in the query": (
        "/cables/?q=%ZZ%&tag=%",
        200,
        "Tag: There is no tag % in the archive. " + IGNORED,
    ),
    "a NUL in the search": ("/cables/?q=merida%00", 400, NUL),
    "a NUL in a tag": ("/cables/?tag=PR%00EL", 400, NUL),
    "a NUL in a sender": ("/cables/?sender=%00", 400, NUL),
    "a NUL in the tag finder": ("/tags/?find=%00", 400, NUL),
    "a NUL in the sender finder": ("/senders/?find=a%00", 400, NUL),
    "a NUL in a tag's path": ("/tags/PR%00EL/", 400, NUL),
    "a NUL in a cable's path": ("/cables/08MEXICO2160%00/", 400, NUL),
    "a 5,000-character tag path": (
        "/tags/" + "X" * 5000 + "/",
        404,
        "Not found No tag " + "X" * 5000 + " in the archive.",
    ),
    "a 5,000-character sender": (
        "/cables/?sender=" + "x" * 3000,
        200,
        "Sender: There is no sender " + "x" * 3000 + " in the archive. " + IGNORED,
    ),
    "a 3,000-character reference": (
        "/cables/?references=" + "X" * 3000,
        200,
        "References: Ensure this value has at most 64 characters (it has 3000). " + IGNORED,
    ),
    "a 3,000-character tag finder": (
        "/tags/?find=" + "z" * 3000,
        200,
        "No tags match “" + "z" * 100 + "”.",  # the finder reads its first 100
    ),
    "an unknown parameter": (
        "/cables/?%3Cscript%3E=1",
        200,
        "There is no parameter “<script>”; it was ignored.",
    ),
    "a reference id of 65 characters": ("/cables/" + "A" * 65 + "/", 404, NO_PAGE),
    "a paragraph anchor out of range": (
        "/cables/08MEXICO2160/p9999/",
        404,
        "Not found Cable 08MEXICO2160 has no paragraph p9999.",
    ),
    "a citation style that is none": (
        "/cables/08MEXICO2160/cite/latex/",
        404,
        "Not found No citation format latex.",
    ),
}


def page_text(response) -> str:
    """What a reader sees: the page without its markup, spaces run together."""
    text = unescape(re.sub(r"<[^>]+>", " ", response.content.decode(errors="replace")))
    return re.sub(r"\s+", " ", text).replace(" .", ".").replace("“ ", "“").replace(" ”", "”")


def fetch(client, url: str, **extra):
    """The response after redirects, fully read (a CSV streams)."""
    response = client.get(url, follow=True, **extra)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_request_gets_a_400_or_a_clean_page(client, seed_cable, name):
    url, status, says = HOSTILE[name]
    response = fetch(client, url)
    assert response.status_code == status, (name, response.status_code)
    assert says in page_text(response), (name, page_text(response)[:2000])
    # Whatever the address holds is shown as text, never as markup of the page.
    assert "<script>" not in response.content.decode(errors="replace")


def test_too_many_parameters_is_a_400_not_a_500(client, db):
    response = client.get("/cables/?" + "&".join(["a"] * 1001))
    assert response.status_code == 400
    assert response["X-Content-Type-Options"] == "nosniff"  # even an error has the headers


def test_an_overlong_query_string_says_why_it_is_refused(client, db):
    response = client.get("/cables/?q=" + "x" * MAX_QUERY_STRING)
    assert response.status_code == 400
    assert response.content.decode() == (
        "This address's query is 4,098 characters long; at most 4,096 are accepted.\n"
    )
    assert client.get("/cables/?q=" + "x" * (MAX_QUERY_STRING - 2)).status_code == 200


def test_a_nul_anywhere_in_the_address_says_why_it_is_refused(client, db):
    for url in ("/cables/?q=%00", "/tags/?find=%00", "/tags/A%00/", "/?a=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.content.decode() == (
            "This address holds a NUL character (%00), which no address here can contain.\n"
        )


def test_a_search_too_long_to_use_is_named_and_ignored(client, seed_cable):
    page = unescape(fetch(client, "/cables/?q=" + "merida+" * 80).content.decode())
    assert "Search: Ensure this value has at most 500 characters (it has 559)." in page
    assert "This part of the address was ignored." in page


def test_more_tags_than_any_cable_carries_are_named_and_ignored(client, seed_cable):
    codes = [f"T{number}" for number in range(MAX_TAGS + 1)]
    Tag.objects.bulk_create(Tag(code=code) for code in codes)
    response = fetch(client, "/cables/?" + "&".join(f"tag={code}" for code in codes))
    page = unescape(response.content.decode())
    assert (
        "Tag: at most 20 tags can be asked for at once (this asks for 21). "
        "This part of the address was ignored."
    ) in page
    allowed = fetch(client, "/cables/?" + "&".join(f"tag={code}" for code in codes[:MAX_TAGS]))
    assert "tags can be asked for" not in allowed.content.decode()


def test_unknown_sorts_and_bad_pages_are_named_on_a_clean_page(client, seed_cable):
    page = unescape(fetch(client, "/cables/?sort=sideways").content.decode())
    assert "Sort: sideways is not a sort; use newest, oldest or relevance." in page
    page = unescape(fetch(client, "/cables/?page=1e9").content.decode())
    assert "Page: “1e9” is not a page number; this is page 1." in page


def test_a_request_for_another_host_is_a_400(client, db):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


# --- on the whole corpus: bounded work ----------------------------------------------------
# The work is counted, not timed (bench/robustness_timing.py times these requests): the
# queries of each request, and the SQLite steps of its limited queries. The time limit of
# cables/reading/limits.py reads its clock once to set the page's deadline, then every 20,000 steps;
# a clock that moves one second per reading turns those readings into a count of steps.

QUERIES = 25  # per request: a query per tag or sender asked for would go past it
CLOCK_READINGS = 10  # about 200,000 steps; a search for "the" (every cable) needs some 17


class ClockReadings:
    """Stands for the ``time`` module in cables/reading/limits.py: each reading a second later."""

    def __init__(self):
        self.readings = 0

    def monotonic(self) -> float:
        self.readings += 1
        return float(self.readings)


def hostile_on_the_corpus() -> dict[str, str]:
    tags = list(Tag.objects.order_by("code").values_list("code", flat=True))
    hostile = {name: url for name, (url, _status, _says) in HOSTILE.items()}
    hostile["the 20 first tags"] = "/cables/?" + "&".join(f"tag={code}" for code in tags[:20])
    hostile["21 tags"] = "/cables/?" + "&".join(f"tag={code}" for code in tags[:21])
    senders = ""
    for slug in Sender.objects.values_list("slug", flat=True):
        if len(senders) + len(slug) > MAX_QUERY_STRING - 100:
            break
        senders += f"&sender={slug}"
    hostile["as many senders as fit"] = f"/cables/?{senders[1:]}"
    hostile["a 4 KB search as JSON"] = "/cables/?format=json&q=" + "a" * 4000
    hostile["a 4 KB search in CSV"] = "/cables/?format=csv&q=" + "a" * 4000
    hostile["a 4 KB search in the tag glossary"] = "/tags/?q=" + "a" * 4000
    return hostile


def test_no_hostile_request_does_much_work_on_the_corpus(archive, monkeypatch, settings):
    # The limit stops a request past the budget, so that one too heavy fails quickly.
    settings.PAGE_QUERY_SECONDS = CLOCK_READINGS
    client = Client()
    heavy = {}
    for name, url in hostile_on_the_corpus().items():
        clock = ClockReadings()
        monkeypatch.setattr(limits, "time", clock)
        facts.forget()  # each request loads what it needs, as the first after an import does
        with CaptureQueriesContext(connection) as queries:
            response = fetch(client, url)
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        stopped = not response.streaming and "This asks too much" in page_text(response)
        if stopped or len(queries) > QUERIES:
            heavy[name] = {"queries": len(queries), "stopped": stopped}
    assert not heavy, heavy
