"""What the browser tests share: the archive served as in production, and Chromium.

Loaded as a plugin by tests/conftest.py. The server is built once per test session, in
the one xdist worker that runs the "browser" group: a temporary SQLite file with the real
corpus imported (less the two cables the upload test brings), a superuser, static files
collected into a temporary folder, and gunicorn serving ``archive.wsgi`` on a loopback port,
DEBUG off. It always uses its own SQLite file, also when the suite runs with DATABASE_URL
set: what the browser sees does not depend on the database engine, which the rest of the
suite covers on both.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright, which never downloads a
browser here. Without it the browser tests skip, saying why; REQUIRE_BROWSER=1 (as .ci/run
sets) turns the skip into a failure. When a browser test fails, every page it had open is
saved as PNGs at desktop and phone widths in tests/screenshots/ (git-ignored).
"""

import csv
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# No sandbox (root in a container), and none of Chromium's own traffic to the outside,
# which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = PROJECT / "tests" / "screenshots"
SEED_TXT = PROJECT / "seeds" / "08MEXICO2160.txt"
DESKTOP, PHONE = 1280, 360
HEIGHT = 900
ADMIN_USERNAME = "archivist"
ADMIN_PASSWORD = secrets.token_urlsafe(16)
# Left out of the server's import, so that the upload test brings cables that are new.
HELD_BACK = ("09ACCRA1179", "09ALGIERS1077")
CABLE_SUFFIXES = {".txt", ".html", ".htm", ".csv", ".zip"}
REPORTS = pytest.StashKey[dict]()


def browser_missing() -> str:
    """Why the browser tests cannot run here; "" when they can."""
    if not CHROMIUM.exists():
        return f"Chromium is not at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (.venv/bin/pip install -e '.[dev]')"
    return ""


def require_browser():
    reason = browser_missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason + ", and REQUIRE_BROWSER=1 requires it")
        pytest.skip(reason)


# --- the server ------------------------------------------------------------------------


@dataclass
class Archive:
    url: str  # http://127.0.0.1:<port>, no trailing slash
    held_back: list[Path]  # corpus files not imported: the upload test uploads them
    admin_username: str = ADMIN_USERNAME
    admin_password: str = ADMIN_PASSWORD


def held_back_files(corpus: Path) -> list[Path]:
    """The corpus files of HELD_BACK: each must be the only file of its cable."""
    with open(corpus / "MANIFEST.tsv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    files = []
    for reference_id in HELD_BACK:
        paths = [row["path"] for row in rows if row["reference_id"] == reference_id]
        assert len(paths) == 1, f"{reference_id} should be in exactly one corpus file: {paths}"
        files.append(corpus / paths[0])
    return files


def corpus_files(corpus: Path, leaving_out: list[Path]) -> list[str]:
    skip = {path.resolve() for path in leaving_out}
    return sorted(
        str(path)
        for path in corpus.rglob("*")
        if path.suffix.lower() in CABLE_SUFFIXES and path.resolve() not in skip
    )


# Settings the served archive sets itself, or must not take from the caller's environment.
OWN_SETTINGS = {
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "ADMIN_URL",
    "ALLOWED_HOSTS",
    "HTTPS",
    "BEHIND_PROXY",
}


def server_environment(folder: Path, url: str) -> dict:
    """Production's settings: DEBUG off, a secret key, our own SQLite file."""
    env = {name: value for name, value in os.environ.items() if name not in OWN_SETTINGS}
    env.update(
        DJANGO_SETTINGS_MODULE="archive.settings",
        ADMIN_URL="admin/",
        SECRET_KEY=secrets.token_urlsafe(50),
        SQLITE_PATH=str(folder / "archive.sqlite3"),
        STATIC_ROOT=str(folder / "static"),
        UPLOAD_TEMP_DIR=str(folder / "uploads"),
        SITE_URL=url,
        DJANGO_SUPERUSER_USERNAME=ADMIN_USERNAME,
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
        DJANGO_SUPERUSER_EMAIL="archivist@example.org",
    )
    return env


def manage(env: dict, *args: str):
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode:
        pytest.fail(f"manage.py {args[0]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


@contextmanager
def gunicorn(env: dict, listener: socket.socket, log: Path):
    """gunicorn on an already bound socket (no race for the port), stopped at the end."""
    command = [str(Path(sys.executable).parent / "gunicorn"), "archive.wsgi"]
    command += ["--bind", f"fd://{listener.fileno()}", "--workers", "2"]
    command += ["--no-control-socket", "--graceful-timeout", "5", "--access-logfile", "-"]
    with open(log, "w") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT,
            env=env,
            pass_fds=[listener.fileno()],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    listener.close()
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_serving(url: str, process: subprocess.Popen, log: Path, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn stopped ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def served_archive(corpus, tmp_path_factory):
    """The archive as production serves it, with the corpus: built once a session."""
    require_browser()
    folder = tmp_path_factory.mktemp("served-archive")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    env = server_environment(folder, url)
    held_back = held_back_files(corpus)
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "import_cables", *corpus_files(corpus, held_back))
        manage(env, "createsuperuser", "--noinput")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    except BaseException:
        listener.close()
        raise
    log = folder / "gunicorn.log"
    with gunicorn(env, listener, log) as process:
        wait_until_serving(url, process, log)
        yield Archive(url=url, held_back=held_back)


# --- the browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(served_archive):
    """Chromium, once a test module. Not once a session: Playwright's event loop would
    make Django refuse database access in the tests that run after it in this worker."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, served_archive, request):
    """open_page(path, width=..., javascript=..., **context options) → a Playwright page.

    Each call is a new browser context (its own cookies). A failing test's pages are saved
    as screenshots at desktop and phone widths. A test whose pages raised a JavaScript error
    or broke the Content-Security-Policy fails, naming them."""
    contexts = []
    problems = []

    def open_page(path="/", *, width=DESKTOP, javascript=True, **options):
        context = browser.new_context(
            base_url=served_archive.url,
            viewport={"width": width, "height": HEIGHT},
            java_script_enabled=javascript,
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and problems.append(f"{page.url}: {message.text}")
            ),
        )
        if path is not None:
            page.goto(path)
        return page

    yield open_page
    if failed(request.node):
        pages = [page for context in contexts for page in context.pages]
        for number, page in enumerate(pages, start=1):
            save_screenshots(page, f"{request.node.name}-{number}")
    for context in contexts:
        context.close()
    if problems:
        report = "the browser reported:\n" + "\n".join(problems)
        if failed(request.node):
            print(report)  # shown with the failure
        else:
            pytest.fail(report)


def failed(item) -> bool:
    reports = item.stash.get(REPORTS, {})
    return any(report.failed for report in reports.values())


def save_screenshots(page, name: str, folder: Path = SCREENSHOTS) -> list[Path]:
    """The whole page at desktop and phone widths: folder/<name>-1280.png, -360.png."""
    folder.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)[:150]
    saved = []
    for width in (DESKTOP, PHONE):
        try:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
            saved.append(folder / f"{name}-{width}.png")
        except Exception as error:  # a screenshot must never hide the failure itself
            print(f"no screenshot of {page.url} at {width} px: {error}")
    return saved


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, for open_page to see whether it failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report
