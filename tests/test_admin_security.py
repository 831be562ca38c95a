"""The admin's defences: login throttling, a movable address, and bodies refused unread."""

import importlib
import io
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import clear_url_caches, reverse

from cables.models import ImportRecord

from .conftest import PROJECT

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def keeper(django_user_model):
    return django_user_model.objects.create_superuser("keeper", "k@example.org", "right-password")


@pytest.fixture
def other_keeper(django_user_model):
    return django_user_model.objects.create_superuser("other", "o@example.org", "other-password")


def log_in(username: str, password: str, address: str = "192.0.2.1", **extra):
    client = Client(REMOTE_ADDR=address, **extra)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return client, response


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


# --- login throttling -------------------------------------------------------------------


def test_the_right_password_works_before_any_failure(keeper):
    client, response = log_in("keeper", "right-password")
    assert response.status_code == 302 and logged_in(client)


def test_after_five_wrong_passwords_the_right_one_is_refused_with_429(keeper):
    for _ in range(4):
        _client, response = log_in("keeper", "wrong")
        assert response.status_code == 200  # the form again, "enter a correct username…"
    _client, response = log_in("keeper", "wrong")
    assert response.status_code == 429
    client, response = log_in("keeper", "right-password")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert response.content.decode() == (
        "Too many failed logins. Logging in is locked for 15 minutes; each further attempt "
        "starts the wait again.\n"
    )
    assert not logged_in(client)


def test_a_locked_out_username_is_locked_from_every_address(keeper):
    for number in range(5):
        log_in("keeper", "wrong", address=f"198.51.100.{number}")
    _client, response = log_in("keeper", "right-password", address="203.0.113.7")
    assert response.status_code == 429


def test_a_locked_out_address_is_locked_for_every_username(keeper, other_keeper):
    for number in range(5):
        log_in(f"guess{number}", "wrong", address="198.51.100.9")
    _client, response = log_in("other", "other-password", address="198.51.100.9")
    assert response.status_code == 429


def test_other_users_from_other_addresses_are_unaffected(keeper, other_keeper):
    for _ in range(6):
        log_in("keeper", "wrong", address="198.51.100.1")
    client, response = log_in("other", "other-password", address="203.0.113.2")
    assert response.status_code == 302 and logged_in(client)


def test_the_lockout_expires_after_the_cool_off(keeper):
    for _ in range(5):
        log_in("keeper", "wrong")
    assert log_in("keeper", "right-password")[1].status_code == 429
    # Fifteen minutes and a second later:
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=15, seconds=1)
        attempt.save()
    client, response = log_in("keeper", "right-password")
    assert response.status_code == 302 and logged_in(client)


def test_the_limit_and_the_wait_come_from_the_settings(keeper, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    log_in("keeper", "wrong")
    _client, response = log_in("keeper", "wrong")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "locked for 1 minutes" in response.content.decode()


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(keeper, settings):
    """Only the proxy's own entry counts, and only behind a proxy (BEHIND_PROXY)."""
    for number in range(5):
        log_in(f"guess{number}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert log_in("guess9", "wrong", HTTP_X_FORWARDED_FOR="10.9.9.9")[1].status_code == 429
    settings.BEHIND_PROXY = True
    proxy = "192.0.2.200"
    for number in range(5):
        forwarded = f"10.0.1.{number}, 198.51.100.50"  # the client's guess, then the proxy's
        log_in(f"guess{number}", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=forwarded)
    blocked = log_in("guess9", "wrong", address=proxy, HTTP_X_FORWARDED_FOR="198.51.100.50")
    assert blocked[1].status_code == 429
    elsewhere = log_in(
        "keeper", "right-password", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert elsewhere[1].status_code == 302


def test_a_successful_login_clears_earlier_failures(keeper):
    for _ in range(4):
        log_in("keeper", "wrong")
    assert log_in("keeper", "right-password")[1].status_code == 302
    for _ in range(4):
        log_in("keeper", "wrong")
    assert log_in("keeper", "right-password")[1].status_code == 302


def test_the_test_clients_login_still_works(client, keeper):
    """authenticate() without a request (shell, test client) is not counted or refused."""
    assert client.login(username="keeper", password="right-password")


# --- the admin's address ----------------------------------------------------------------


@pytest.fixture
def admin_at_keepers(settings):
    """The URLconf rebuilt with ADMIN_URL="keepers-only/", and put back afterwards."""
    from archive import urls

    original = settings.ADMIN_URL
    settings.ADMIN_URL = "keepers-only/"
    importlib.reload(urls)
    clear_url_caches()
    yield
    settings.ADMIN_URL = original
    importlib.reload(urls)
    clear_url_caches()


def test_the_admin_moves_to_admin_url(admin_at_keepers, keeper, client):
    assert reverse("admin:index") == "/keepers-only/"
    assert client.get("/admin/").status_code == 404
    assert client.post("/admin/login/", {"username": "keeper"}).status_code == 405
    response = client.get("/keepers-only/cables/cable/")
    assert response.status_code == 302
    assert response["Location"].startswith("/keepers-only/login/")
    client.force_login(keeper)
    assert client.get("/keepers-only/cables/cable/upload/").status_code == 200


def test_admin_url_is_read_from_the_environment():
    environment = {**os.environ, "ADMIN_URL": "/back-office/", "SECRET_KEY": "x" * 50}
    environment["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.urls import reverse; "
            "print(reverse('admin:index'), reverse('admin:cables_cable_upload'))",
        ],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["/back-office/", "/back-office/cables/cable/upload/"], (
        result.stderr
    )


# --- bodies refused before they are read --------------------------------------------------


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readinto = readline = read


def post_unread(client, path: str, length: int):
    return client.generic(
        "POST",
        path,
        CONTENT_TYPE="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unreadable()},
    )


def test_a_body_over_the_limit_is_refused_unread_on_the_login_page(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    response = post_unread(client, LOGIN, 10 * 1024**3)
    assert response.status_code == 413
    assert response.content.decode() == (
        "This request's body is 10.0\xa0GB, more than the 1000\xa0bytes accepted here: "
        "it was not read.\n"
    )


def test_a_body_over_the_limit_is_refused_unread_everywhere_in_the_admin(keeper, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = Client()
    client.force_login(keeper)
    for path in ("/admin/", "/admin/cables/tag/add/", f"/admin/auth/user/{keeper.pk}/password/"):
        assert post_unread(client, path, 1001).status_code == 413, path


def test_an_upload_over_upload_max_bytes_is_refused_unread(keeper, settings, tmp_path):
    settings.UPLOAD_TEMP_DIR = str(tmp_path)
    settings.UPLOAD_MAX_BYTES = 5 * 1024**2
    client = Client()
    client.force_login(keeper)
    response = post_unread(client, "/admin/cables/cable/upload/", 5 * 1024**2 + 1)
    assert response.status_code == 413
    assert "more than the 5.0\xa0MB an upload may be" in response.content.decode()
    assert not ImportRecord.objects.exists() and not any(tmp_path.iterdir())


def test_an_anonymous_upload_is_sent_to_the_login_page_unread(db, settings):
    response = post_unread(Client(), "/admin/cables/cable/upload/", 100 * 1024**2)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_public_post_is_refused_without_reading_its_body(db):
    response = post_unread(Client(), "/cables/", 10 * 1024**3)
    assert response.status_code == 405


@pytest.mark.django_db
def test_the_login_page_has_one_heading_naming_it(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert page.count("<h1") == 1 and "<h1>Log in</h1>" in page
