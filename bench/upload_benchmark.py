"""Upload a 10,000-cable zip through the admin of a real gunicorn, and measure it.

    .venv/bin/python bench/upload_benchmark.py [--cables 10000] [--database-url URL]

Builds the zip in a temporary folder from the corpus's Cablegate pages (each page
used again and again under a new reference id), serves the archive with gunicorn
(one sync worker, its default 30-second timeout) on a fresh SQLite file, or on the
scratch PostgreSQL database given, logs in, uploads the zip for a dry run, follows
the record page until the check is done, confirms, and follows it again until the
import is done. Prints each step's wall time and the worker's peak memory (VmHWM).
Only ``staticfiles/`` is written inside the project (collectstatic, as ``make run``
does); the temporary folder is removed at the end, and the server stopped.
"""

import argparse
import http.cookies
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import zipfile
from pathlib import Path

from building import CORPUS, PROJECT, manage
from http_client import HOST, Client, Response, wait_until_answering

PORT = 8765
PASSWORD = "bench-password-not-secret"


def build_zip(path: Path, cables: int) -> None:
    """``cables`` Cablegate pages from the corpus, each under a reference id of its own."""
    pages = sorted((CORPUS / "cablegate-2011-04").rglob("*.html"))
    texts = [(page.stem, page.read_text("utf-8")) for page in pages]
    seen = set()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for index in range(cables):
            reference_id, text = texts[index % len(texts)]
            new_id = f"{reference_id}9{index // len(texts):03d}"
            assert new_id not in seen, new_id
            seen.add(new_id)
            folder = f"{index // 1000:02d}"
            archive.writestr(f"bench/{folder}/{new_id}.html", text.replace(reference_id, new_id))


def memory(pid: int) -> dict[str, int]:
    """A process's resident memory in MB: VmRSS, its peak VmHWM, and its two parts:
    RssAnon (Python's heap) and RssFile (mapped files: SQLite maps its database)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            values[key] = int(value.split()[0]) // 1024
    return values


class Browser:
    """Just enough of a browser, on the benchmarks' one client: cookies, the CSRF token,
    redirects followed, a streamed multipart POST."""

    def __init__(self, port: int):
        self.client = Client(port, timeout=120)
        self.cookies: dict[str, str] = {}

    def csrf(self) -> str:
        return self.cookies["csrftoken"]

    def send(self, method: str, path: str, body=None, headers: dict | None = None) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.client.request(method, path, body, headers)
        for line in response.headers.get_all("Set-Cookie", []):
            for name, morsel in http.cookies.SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        if response.status >= 400:
            raise RuntimeError(f"{method} {path} answered {response.status}")
        return response

    def redirected(self, response: Response) -> Response:
        """The page a redirect leads to, asked with GET as a browser does."""
        for _ in range(10):
            if response.status not in (301, 302, 303, 307, 308):
                return response
            target = urllib.parse.urlparse(response.header("Location"))
            response = self.send("GET", target.path + (f"?{target.query}" if target.query else ""))
        raise RuntimeError("too many redirects")

    def get(self, path: str) -> str:
        return self.redirected(self.send("GET", path)).body.decode()

    def post(self, path: str, fields: dict) -> str:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.redirected(self.send("POST", path, data, form)).body.decode()

    def upload(self, path: str, file: Path) -> tuple[int, str]:
        """The zip streamed from the file; the answer's status and Location, not followed."""
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{self.csrf()}\r\n--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{file.name}"\r\nContent-Type: application/zip\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()

        def body():
            yield head
            with open(file, "rb") as stream:
                while chunk := stream.read(1024 * 1024):
                    yield chunk
            yield tail

        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + file.stat().st_size + len(tail)),
        }
        response = self.send("POST", path, body(), headers)
        return response.status, response.header("Location", "")


def follow(browser: Browser, record_path: str, until: str, worker: int) -> dict:
    """Reload the record page every 2 s, as its meta refresh does, until ``until``."""
    started = time.monotonic()
    slowest_page = 0.0
    peak_anon = 0
    while True:
        time.sleep(2)
        peak_anon = max(peak_anon, memory(worker)["RssAnon"])
        page_started = time.monotonic()
        page = browser.get(record_path)
        slowest_page = max(slowest_page, time.monotonic() - page_started)
        status = re.search(r'<td id="status">(.*?)</td>', page, re.DOTALL).group(1).strip()
        counts = re.search(r'<td id="counts">(.*?)</td>', page, re.DOTALL).group(1).strip()
        if not status.startswith(("dry run running", "importing")):
            break
    seconds = time.monotonic() - started
    assert status.startswith(until), status
    return {
        "seconds": seconds,
        "status": status,
        "counts": counts,
        "slowest_page": slowest_page,
        "memory_mb": memory(worker),
        "peak_anon_mb_sampled": peak_anon,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cables", type=int, default=10_000)
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (emptied!)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="upload-bench-"))
    server = None
    try:
        zip_path = folder / "bench.zip"
        started = time.monotonic()
        build_zip(zip_path, args.cables)
        print(
            f"built {zip_path.name}: {args.cables} cables, "
            f"{zip_path.stat().st_size / 1024**2:.0f} MB, in {time.monotonic() - started:.0f}s"
        )
        env = {
            **os.environ,
            "SECRET_KEY": "bench-only",
            "SQLITE_PATH": str(folder / "bench.sqlite3"),
            "UPLOAD_TEMP_DIR": str(folder / "uploads"),
            "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        }
        env.pop("DEBUG", None)
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
            manage(env, "flush", "--noinput")
        else:
            env.pop("DATABASE_URL", None)
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # as make run does
        manage(env, "createsuperuser", "--noinput", "--username", "bench", "--email", "b@x.org")
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "archive.wsgi"]
            + ["--bind", f"{HOST}:{PORT}", "--workers", "1", "--timeout", "30"],
            cwd=PROJECT,
            env=env,
        )
        wait_until_answering(PORT, server, "gunicorn", "/admin/login/")
        worker = int(Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()[0])
        print(f"gunicorn worker at start: {memory(worker)} MB")

        browser = Browser(PORT)
        browser.get("/admin/login/")
        browser.post("/admin/login/?next=/admin/", {"username": "bench", "password": PASSWORD})
        browser.get("/admin/cables/cable/upload/")

        started = time.monotonic()
        status, location = browser.upload("/admin/cables/cable/upload/", zip_path)
        assert status == 302, status
        record_path = urllib.parse.urlparse(location).path
        print(f"upload request: {time.monotonic() - started:.1f}s, then {record_path}")
        check = follow(browser, record_path, "dry run done", worker)
        print(f"dry run: {check}", flush=True)
        started = time.monotonic()
        browser.post(record_path.replace("/change/", "/confirm/"), {})
        print(f"confirm request: {time.monotonic() - started:.2f}s")
        result = follow(browser, record_path, "imported", worker)
        print(f"import: {result}")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
