"""The public pages' cache (cables/web/caching.py): built once per version of the archive,
never served after a write."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cables.models import ArchiveVersion, Cable, Tag
from cables.parsing import SourceText
from cables.writing.importing import import_items, reparse_cables

from .conftest import SEED
from .test_security import public_urls

pytestmark = pytest.mark.django_db

PAGE = "/cables/08MEXICO2160/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The cache on (tests/settings.py turns it off), empty, and the version's row in
    place (a transactional test elsewhere may have flushed it)."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_MAX_AGE = 60
    caches["default"].clear()
    ArchiveVersion.objects.get_or_create(pk=1, defaults={"changed_at": timezone.now()})
    yield
    caches["default"].clear()


@pytest.fixture
def keeper(django_user_model):
    return django_user_model.objects.create_superuser("keeper", "k@example.org", "a-long-password")


@pytest.fixture
def keeper_client(keeper):
    client = Client()
    assert client.login(username="keeper", password="a-long-password")
    return client


def version() -> int:
    return ArchiveVersion.objects.get(pk=1).version


def seed_as(serial: int) -> SourceText:
    """The seed cable under another reference id, 08MEXICO<serial>."""
    text = SEED.read_text(encoding="utf-8").replace("MEXICO 002160", f"MEXICO {serial:06d}")
    return SourceText(name=f"08MEXICO{serial}.txt", text=text, format="txt")


def queries_of(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    return response, [query["sql"] for query in captured.captured_queries]


def test_every_public_page_is_answered_from_the_cache_the_second_time(
    client, seed_cable, django_assert_num_queries
):
    answered = []
    for name, url in public_urls(seed_cable).items():
        if name in ("static file", "unknown page"):
            continue
        first = client.get(url)
        if first.status_code != 200:
            assert first.status_code in (301, 302), (name, first.status_code)
            continue
        with django_assert_num_queries(1):  # the archive's version, by primary key
            second = client.get(url)
        assert second.status_code == 200, name
        assert second.content == first.content, name
        assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit"), name
        assert second["Content-Type"] == first["Content-Type"], name
        answered.append(name)
    assert {"home", "cable_list", "cable_detail", "paragraph_detail", "about"} <= set(answered)


def test_the_lists_json_is_cached_and_its_csv_is_streamed_every_time(
    client, seed_cable, django_assert_num_queries
):
    first = client.get("/cables/?format=json")
    with django_assert_num_queries(1):  # the archive's version
        assert client.get("/cables/?format=json").json() == first.json()
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/cables/?format=csv")
            rows = b"".join(response.streaming_content).decode().splitlines()
        # The version, then the list's own queries as the rows stream.
        assert len(captured.captured_queries) > 1 and len(rows) == 2
        assert "ETag" not in response


def test_a_different_query_string_is_a_different_page(client, seed_cable):
    everything = client.get("/cables/?format=json").json()
    response, statements = queries_of(client, "/cables/?classification=SECRET&format=json")
    assert len(statements) > 1
    assert response.json()["count"] == 0 and everything["count"] == 1


def test_a_cached_page_has_a_weak_etag_and_a_short_public_max_age(client, seed_cable, settings):
    settings.PAGE_CACHE_MAX_AGE = 45
    first = client.get(PAGE)
    second = client.get(PAGE)
    assert first["ETag"].startswith('W/"') and second["ETag"] == first["ETag"]
    assert set(second["Cache-Control"].split(", ")) == {"public", "max-age=45"}
    assert client.get("/cables/08MEXICO2160/p3/")["ETag"] != first["ETag"]


def test_a_page_from_the_cache_still_gets_its_security_headers(client, seed_cable):
    first = client.get(PAGE)
    second = client.get(PAGE)
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert second[header] == first[header], header


def test_if_none_match_with_the_pages_etag_gets_304_without_a_body(
    client, seed_cable, django_assert_num_queries
):
    etag = client.get(PAGE)["ETag"]
    with django_assert_num_queries(1):  # the archive's version
        response = client.get(PAGE, headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert client.get(PAGE, headers={"If-None-Match": 'W/"another"'}).status_code == 200


def test_an_etag_from_before_a_write_gets_the_whole_new_page(client, seed_cable):
    etag = client.get(PAGE)["ETag"]
    import_items([seed_as(2161)])
    response = client.get(PAGE, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def test_head_is_answered_like_get_without_a_body(client, seed_cable, django_assert_num_queries):
    head = client.head(PAGE)  # builds and keeps the page
    assert head.status_code == 200 and head.content == b""
    with django_assert_num_queries(1):  # the archive's version
        get = client.get(PAGE)
    assert b"Welcome to Mexico City." in get.content
    with django_assert_num_queries(1):  # the archive's version
        again = client.head(PAGE)
    assert again.status_code == 200 and again.content == b""
    assert again["ETag"] == get["ETag"] and again["Content-Type"] == get["Content-Type"]


def test_an_import_bumps_the_version_and_the_next_request_shows_the_new_cable(client, seed_cable):
    before = version()
    assert "08MEXICO2161" not in client.get("/cables/").content.decode()
    report = import_items([seed_as(2161)])
    assert report.created == 1
    assert version() == before + 1
    assert "08MEXICO2161" in client.get("/cables/").content.decode()
    assert client.get("/cables/08MEXICO2161/").status_code == 200


def test_an_import_of_a_batch_bumps_the_version_once(seed_cable):
    before = version()
    report = import_items([seed_as(serial) for serial in range(2161, 2171)])
    assert report.created == 10
    assert version() == before + 1


def test_an_import_that_changes_nothing_leaves_the_version_alone(seed_cable):
    before = version()
    assert import_items([seed_as(2160)]).unchanged == 1
    assert import_items([seed_as(2161)], dry_run=True).created == 1
    assert version() == before


def test_a_changed_text_bumps_the_version_and_the_page_shows_it(client, seed_cable):
    assert "Welcome to Mexico." not in client.get(PAGE).content.decode()
    changed = seed_as(2160)
    changed.text = changed.text.replace("Welcome to Mexico City.", "Welcome to Mexico.")
    before = version()
    assert import_items([changed]).updated == 1
    assert version() == before + 1
    assert "Welcome to Mexico." in client.get(PAGE).content.decode()


def test_a_reparse_that_changes_a_cable_bumps_the_version(client, seed_cable):
    Cable.objects.update(subject="Not what the text says")  # behind the cache's back
    before = version()
    assert reparse_cables().updated == 1
    assert version() == before + 1


def test_an_edit_in_the_admin_bumps_the_version(client, keeper_client, seed_cable):
    assert "External Political Relations" in client.get("/tags/").content.decode()
    tag = Tag.objects.get(code="PREL")
    before = version()
    response = keeper_client.post(
        f"/admin/cables/tag/{tag.pk}/change/",
        {"code": "PREL", "description": "Relations with other states", "kind": tag.kind},
    )
    assert response.status_code == 302, response.content.decode()
    assert version() == before + 1
    page = client.get("/tags/").content.decode()
    assert "Relations with other states" in page
    assert "External Political Relations" not in page


def test_an_upload_in_the_admin_bumps_the_version(
    client, keeper_client, seed_cable, settings, tmp_path
):
    settings.UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    settings.UPLOAD_IN_BACKGROUND = False
    assert "08MEXICO2161" not in client.get("/cables/").content.decode()
    before = version()
    cable = seed_as(2161)
    upload = SimpleUploadedFile(cable.name, cable.text.encode("utf-8"))
    response = keeper_client.post(
        "/admin/cables/cable/upload/", {"files": [upload], "import_now": "on"}
    )
    assert response.status_code == 302
    assert version() == before + 1
    assert "08MEXICO2161" in client.get("/cables/").content.decode()


def test_a_delete_in_the_admin_bumps_the_version(client, keeper_client, seed_cable):
    assert client.get(PAGE).status_code == 200
    before = version()
    response = keeper_client.post(f"/admin/cables/cable/{seed_cable.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert version() == before + 1
    assert client.get(PAGE).status_code == 404


def test_the_admins_delete_action_bumps_the_version(client, keeper_client, seed_cable):
    assert client.get(PAGE).status_code == 200
    before = version()
    response = keeper_client.post(
        "/admin/cables/cable/",
        {"action": "delete_selected", "_selected_action": [seed_cable.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Cable.objects.exists()
    assert version() == before + 1
    assert client.get(PAGE).status_code == 404


def test_a_logged_in_users_request_is_neither_served_from_nor_stored_in_the_cache(
    client, keeper_client, seed_cable
):
    client.get(PAGE)  # kept, for anonymous readers
    response, statements = queries_of(keeper_client, PAGE)
    assert response.status_code == 200 and len(statements) > 1
    assert "ETag" not in response and "Cache-Control" not in response
    keeper_client.get("/cables/08MEXICO2160/p3/")
    keeper_client.get("/cables/08MEXICO2160/p3/")
    _, statements = queries_of(client, "/cables/08MEXICO2160/p3/")
    assert len(statements) > 1, "the logged-in user's page was kept"


def test_a_not_found_page_is_not_stored(client, seed_cable):
    assert client.get("/cables/08MEXICO9999/").status_code == 404
    response, statements = queries_of(client, "/cables/08MEXICO9999/")
    assert response.status_code == 404 and len(statements) > 1
    assert "ETag" not in response


def test_a_redirect_is_not_stored(client, seed_cable):
    assert client.get("/cables/08mexico02160/").status_code == 301
    response, statements = queries_of(client, "/cables/08mexico02160/")
    assert response.status_code == 301 and len(statements) > 1
    assert "ETag" not in response


def test_a_too_slow_page_is_not_stored(client, seed_cable, settings):
    if connection.vendor != "sqlite":
        pytest.skip("a limit of microseconds is SQLite's progress handler; PostgreSQL's is 1 ms")
    import_items([seed_as(serial) for serial in range(2161, 2461)])  # enough to be stopped
    settings.PAGE_QUERY_SECONDS = 0
    assert client.get("/cables/?q=mexico&date_after=2008-01-01").status_code == 400
    settings.PAGE_QUERY_SECONDS = 30
    response, statements = queries_of(client, "/cables/?q=mexico&date_after=2008-01-01")
    assert response.status_code == 200 and len(statements) > 1


def test_with_page_cache_seconds_zero_no_version_query_is_made(client, seed_cable, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(PAGE)
    response, statements = queries_of(client, PAGE)
    table = ArchiveVersion._meta.db_table
    assert response.status_code == 200 and len(statements) > 1
    assert not [sql for sql in statements if table in sql], statements
    assert "ETag" not in response and "Cache-Control" not in response
