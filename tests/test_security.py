"""Security: headers on every response, the deployment check, and a read-only public site."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from cables import urls as cable_urls
from cables.models import Cable, ImportRecord

from .conftest import PROJECT

pytestmark = pytest.mark.django_db

# A statement that changes a table: the table it changes.
WRITE = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE"
    r"(?:\s+TABLE)?|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|ALTER\s+TABLE)\s+([\w.\"]+)",
    re.I,
)


def row_counts() -> dict[str, int]:
    """How many rows each of the archive's tables holds."""
    models = [model for model in apps.get_models() if model._meta.managed]
    return {model._meta.db_table: model._default_manager.count() for model in models}


def archive_writes(queries) -> list[str]:
    """The statements that change the archive's own tables (a request's temporary
    scratch tables are not the archive)."""
    tables = {model._meta.db_table for model in apps.get_models() if model._meta.managed}
    writes = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(1).replace('"', "").split(".")[-1] in tables:
            if not match.group(1).lower().startswith(("temp.", "pg_temp")):
                writes.append(query["sql"])
        elif re.match(r"^\s*CREATE\s+(?!TEMP)", query["sql"], re.I):
            writes.append(query["sql"])
    return writes


# --- the URLs of the public site --------------------------------------------------------


def public_urls(cable) -> dict[str, str]:
    """One working URL for every pattern in cables/urls.py (and the site's others).

    A new pattern with a parameter not known here fails the test that uses this, so
    that it is never left out."""
    values = {
        "reference_id": cable.reference_id,
        "anchor": "p3",
        "style": "bibtex",
        "code": "PREL",
        "slug": cable.sender.slug,
        "year": 2008,
    }
    urls = {}
    for pattern in cable_urls.urlpatterns:
        assert isinstance(pattern, URLPattern), f"{pattern} is not a plain pattern"
        names = set(pattern.pattern.regex.groupindex)
        unknown = names - set(values)
        assert not unknown, f"{pattern.name}: no test value for {unknown}"
        urls[pattern.name] = reverse(pattern.name, kwargs={name: values[name] for name in names})
    urls["static file"] = "/static/js/archive.js"
    urls["unknown page"] = "/no-such-page/"
    return urls


def test_every_pattern_of_the_site_is_covered_by_these_tests(seed_cable):
    """cables/urls.py is included at the root; everything else is the admin."""
    admin, site = get_resolver().url_patterns
    assert isinstance(admin, URLResolver) and admin.namespace == "admin"
    assert isinstance(site, URLResolver) and site.urlconf_module is cable_urls
    urls = public_urls(seed_cable)
    names = [pattern.name for pattern in cable_urls.urlpatterns]
    assert None not in names and len(set(names)) == len(names), names
    # Each URL the tests fetch reaches its own pattern, not an earlier one that shadows it.
    for name in names:
        assert resolve(urls[name]).url_name == name, (name, urls[name])


def test_every_public_url_answers_get_and_head_without_writing_to_the_database(seed_cable):
    client = Client(enforce_csrf_checks=True)
    for name, url in public_urls(seed_cable).items():
        for method in ("get", "head"):
            with CaptureQueriesContext(connection) as queries:
                response = getattr(client, method)(url)
            expected = (404,) if name == "unknown page" else (200, 301, 302)
            assert response.status_code in expected, (name, method, response.status_code)
            writes = archive_writes(queries)
            assert not writes, (url, writes)
            assert "Set-Cookie" not in response.headers, (url, "sets a cookie")


@pytest.mark.parametrize(
    "method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"]
)
def test_every_public_url_refuses_every_other_method_with_405(seed_cable, method):
    client = Client(enforce_csrf_checks=True)
    counts = row_counts()
    for name, url in public_urls(seed_cable).items():
        response = client.generic(
            method, url, b"reference_id=X&subject=changed", "application/x-www-form-urlencoded"
        )
        assert response.status_code == 405, (name, method, response.status_code)
        assert response["Allow"] == "GET, HEAD"
        assert response.content == b"This archive is read-only: it answers GET and HEAD only.\n"
    assert row_counts() == counts
    assert Cable.objects.get().subject.startswith("SCENESETTER")


def test_a_post_with_a_valid_csrf_token_is_still_refused(seed_cable):
    """The 405 does not depend on CSRF failing: it comes before CSRF is looked at."""
    client = Client(enforce_csrf_checks=True)
    client.get("/admin/login/")
    token = client.cookies["csrftoken"].value
    response = client.post("/cables/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 405
    assert not ImportRecord.objects.exists()


# --- headers ---------------------------------------------------------------------------


def header_responses(client, cable) -> dict:
    return {
        "home": client.get("/"),
        "list": client.get("/cables/"),
        "cable": client.get(cable.get_absolute_url()),
        "json": client.get(f"/cables/{cable.reference_id}.json"),
        "csv": client.get("/cables/?format=csv"),
        "raw": client.get(f"/cables/{cable.reference_id}/raw/"),
        "redirect": client.get("/cables/08mexico02160/"),
        "not found": client.get("/cables/09NOWHERE1/"),
        "405": client.post("/cables/"),
        "400": client.get("/cables/?" + "&".join(["tag=PREL"] * 2000)),
        "static": client.get("/static/css/archive.css"),
        "admin login": client.get("/admin/login/"),
        "admin redirect": client.get("/admin/"),
    }


def test_every_response_carries_the_security_headers(client, seed_cable):
    for name, response in header_responses(client, seed_cable).items():
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert "Content-Security-Policy" in response, name


def test_the_content_security_policy_allows_only_the_sites_own_scripts_and_styles(
    client, seed_cable
):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";"))
    )
    assert directives == {
        "default-src": "'none'",
        "script-src": "'self'",  # no nonce in the header of a page that has no inline script
        "style-src": "'self'",
        "img-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
    }
    assert "unsafe" not in policy


class InlineCode(HTMLParser):
    """Collects what a strict Content-Security-Policy would block: scripts without a
    src or a nonce, <style> blocks, style= and on…= attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.blocked: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.blocked.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.blocked.append(f"<{tag} {name}={value!r}>")


def assert_runs_under_the_policy(response, client):
    """Every script on the page is external (and served) or carries the header's nonce;
    nothing the policy would block is on the page."""
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    page = InlineCode()
    page.feed(response.content.decode())
    assert not page.blocked, page.blocked
    nonce = re.search(r"'nonce-([^']+)'", policy)
    for script in page.scripts:
        if script.get("type") == "application/json":
            continue  # data, never run
        if "src" in script:
            assert script["src"].startswith("/") and not script["src"].startswith("//"), script
            assert client.get(script["src"]).status_code == 200, script["src"]
        else:
            assert nonce and script.get("nonce") == nonce.group(1), script
    return page


def test_public_pages_have_no_inline_script_or_style(client, seed_cable):
    for url in ("/", "/cables/", "/cables/?q=merida", seed_cable.get_absolute_url(), "/about/"):
        page = assert_runs_under_the_policy(client.get(url), client)
        assert page.scripts == [{"src": "/static/js/archive.js", "defer": None}]
    for url in ("/tags/", "/senders/", "/classifications/", "/citing/", "/cables/08MEXICO2160/p3/"):
        assert_runs_under_the_policy(client.get(url), client)


def test_the_admin_runs_under_the_policy_and_its_inline_script_has_the_nonce(
    client, seed_cable, django_user_model, settings, tmp_path
):
    settings.UPLOAD_TEMP_DIR = str(tmp_path)
    assert_runs_under_the_policy(client.get("/admin/login/"), client)
    keeper = django_user_model.objects.create_superuser("keeper", "k@example.org", "pw-long-1")
    client.force_login(keeper)
    record = ImportRecord.objects.create(user=keeper, files=[], status="checked", temp_dir="x")
    for url in (
        "/admin/",
        "/admin/cables/cable/",
        f"/admin/cables/cable/{seed_cable.pk}/change/",
        "/admin/cables/tag/?q=PREL",
        f"/admin/cables/sender/{seed_cable.sender_id}/change/",
        f"/admin/cables/importrecord/{record.pk}/change/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{keeper.pk}/password/",
    ):
        assert_runs_under_the_policy(client.get(url), client)
    upload = client.get("/admin/cables/cable/upload/")
    page = assert_runs_under_the_policy(upload, client)
    assert any("nonce" in script for script in page.scripts)
    assert "'nonce-" in upload.headers["Content-Security-Policy"]


# --- HTTPS and `manage.py check --deploy` ------------------------------------------------


def deploy_check(tmp_path, **env) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "HTTPS", "DATABASE_URL", "ADMIN_URL", "BEHIND_PROXY")
        and not key.startswith("HSTS_")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="archive.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="archive.example.org",
        SQLITE_PATH=str(tmp_path / "deploy.sqlite3"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_passes_with_production_settings_over_https(tmp_path):
    result = deploy_check(tmp_path, HTTPS="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_check_fails_without_https(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr, check


def test_the_deployment_check_fails_with_debug_on(tmp_path):
    result = deploy_check(tmp_path, HTTPS="1", DEBUG="1")
    assert result.returncode != 0 and "security.W018" in result.stderr


def test_over_https_the_site_redirects_to_it_and_sends_hsts_and_secure_cookies(
    settings, seed_cable
):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    response = client.get("/cables/?q=merida")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/cables/?q=merida"
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    login = client.get("/admin/login/", secure=True)
    assert login.cookies["csrftoken"]["secure"] is True
