"""No list page works past its time limit (cables/reading/limits.py): it stops and says so."""

import pytest
from django.db import connection
from django.test import override_settings

from cables.reading import facts, limits
from tests.corpus_helpers import imported_archive_fixture

archive = imported_archive_fixture()
pytestmark = pytest.mark.django_db


def test_a_list_that_takes_too_long_is_stopped_with_a_clear_page(client, archive):
    if connection.vendor != "sqlite":
        pytest.skip("a limit of microseconds is SQLite's progress handler; PostgreSQL's is 1 ms")
    with override_settings(PAGE_QUERY_SECONDS=0):
        # A word in every cable: its matches take SQLite over 20,000 steps (the
        # progress handler's period), where a narrower list's few queries may not.
        response = client.get("/cables/?q=the")
        glossary = client.get("/tags/?q=the")
    assert response.status_code == 400
    assert "This asks too much to answer quickly" in response.content.decode()
    assert glossary.status_code == 400
    # The limit ends with the page: the same connection answers the next request.
    assert client.get("/cables/?q=chertoff").status_code == 200
    assert client.get("/cables/08MEXICO2160/").status_code == 200


class Ticks:
    """A clock for cables/reading/limits.py that moves one second each time it is read: the page's
    deadline is read once, then the progress handler reads it every 20,000 SQLite steps, so
    a limit of N seconds becomes a budget of about N handler calls, the same on any machine."""

    def __init__(self):
        self.readings = 0

    def monotonic(self) -> float:
        self.readings += 1
        return float(self.readings)


def answer_under(client, monkeypatch, seconds: int):
    clock = Ticks()
    monkeypatch.setattr(limits, "time", clock)
    facts.forget()  # the same work for each request: no arrays kept from the one before
    with override_settings(PAGE_QUERY_SECONDS=seconds):
        response = client.get("/cables/?q=the")
    return response, clock.readings


def test_within_the_limit_a_list_answers_as_usual(client, archive, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("the budget in steps is SQLite's progress handler")
    answer_under(client, monkeypatch, 10**6)  # warm: the first request does other work
    response, readings = answer_under(client, monkeypatch, 10**6)
    assert response.status_code == 200
    assert "This asks too much" not in response.content.decode()
    # The handler was installed and consulted during the page's queries, not only set up.
    assert readings > 8, readings
    # A limit above what the page needs answers the same; well below it, the page stops.
    above, _ = answer_under(client, monkeypatch, 2 * readings)
    assert above.status_code == 200
    assert above.content == response.content
    below, _ = answer_under(client, monkeypatch, readings // 4)
    assert below.status_code == 400
    assert "This asks too much to answer quickly" in below.content.decode()
