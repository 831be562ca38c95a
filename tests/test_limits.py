"""No list page works past its time limit (cables/limits.py): it stops and says so."""

import pytest
from django.db import connection
from django.test import override_settings

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


def test_within_the_limit_a_list_answers_as_usual(client, archive):
    with override_settings(PAGE_QUERY_SECONDS=30):
        response = client.get("/cables/?q=chertoff")
    assert response.status_code == 200
    assert "08MEXICO2160" in response.content.decode()
