"""An import killed half-way (SIGKILL) leaves a consistent archive, and the same import run
again finishes the job.

``import_cables`` runs as a subprocess on 1,200 synthetic cables (one cables.csv) into a
database of its own, and is killed with SIGKILL once about 40% of them are stored. Then:

* every stored cable is whole: its paragraphs and tags are those a parse of its row of the
  CSV gives (checked here against the source, not only against the stored raw text);
* ``check_archive`` (cables/writing/checking.py) passes: no orphans, rows numbered 1..n, the newest
  cables and a sample re-parsed, the search index in step. A ``--bulk`` load killed
  half-way is consistent but for its search index, which it paused: check_archive names
  exactly that (triggers missing, the new cables' text not indexed), and nothing else;
* the same command run again stores the rest (``unchanged`` for the cables stored before
  the kill, ``created`` for the others; after a bulk load, it rebuilds the index first),
  and check_archive passes.

The test runs on the suite's database engine: a temporary SQLite file, or, when the suite
runs on PostgreSQL (``DATABASE_URL``), a temporary database created beside the test
database and dropped after. There ``--bulk`` changes nothing about the index (generated
tsvector columns), so only the plain import is killed.
"""

import io
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

from cables.generating import WordModel, write_corpus
from cables.parsing import SourceText, parse_cable, read_path

PROJECT = Path(__file__).resolve().parent.parent
CABLES = 1200
KILL_AT = 500  # stored cables
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fault-cables")
    write_corpus(folder, CABLES, seed="faults", fmt="csv", model=WordModel.builtin())
    return folder / "cables.csv"


@pytest.fixture(scope="module")
def expected(source) -> dict[str, tuple[int, int]]:
    """(paragraphs, tags) of every cable of the CSV, by reference id, from a parse."""
    found = {}
    for item in read_path(source):
        assert isinstance(item, SourceText), item
        parsed = parse_cable(item.text)
        found[item.metadata["reference_id"]] = (len(parsed.paragraphs), len(parsed.tags))
    assert len(found) == CABLES
    return found


class SQLiteDatabase:
    def __init__(self, folder: Path):
        self.path = folder / "archive.sqlite3"
        self.env = {"SQLITE_PATH": str(self.path)}

    def query(self, sql: str) -> list[tuple]:
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        try:
            return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def drop(self) -> None:
        pass  # the folder is pytest's


class PostgreSQLDatabase:
    """A database of its own on the suite's server (the suite's own is pytest-django's)."""

    def __init__(self, folder: Path):
        import psycopg

        self.psycopg = psycopg
        url = urlparse(os.environ["DATABASE_URL"])
        self.name = f"faults_{uuid.uuid4().hex[:12]}"
        self.server = url._replace(path="/postgres").geturl()
        self.url = url._replace(path=f"/{self.name}").geturl()
        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {self.name}")
        self.env = {"DATABASE_URL": self.url}

    def query(self, sql: str) -> list[tuple]:
        with self.psycopg.connect(self.url) as connection:
            return connection.execute(sql).fetchall()

    def drop(self) -> None:
        with self.psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


@pytest.fixture
def database(tmp_path):
    database = PostgreSQLDatabase(tmp_path) if ON_POSTGRESQL else SQLiteDatabase(tmp_path)
    try:
        manage(database, "migrate", "--noinput", "--verbosity", "0")
        yield database
    finally:
        database.drop()


def environment(database) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "SQLITE_PATH", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DJANGO_SETTINGS_MODULE="archive.settings", SECRET_KEY="faults-test", **database.env)
    return env


def manage(database, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment(database),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode:
        pytest.fail(f"manage.py {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def stored_cables(database) -> int:
    return database.query("SELECT count(*) FROM cables_cable")[0][0]


def import_killed_half_way(database, source: Path, *flags: str) -> int:
    """Start the import, SIGKILL it once KILL_AT cables are stored; how many were."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_cables", "--no-progress", *flags, str(source)],
        cwd=PROJECT,
        env=environment(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    try:
        while stored_cables(database) < KILL_AT:
            if process.poll() is not None:
                pytest.fail(f"the import ended before it was killed: {process.stderr.read()}")
            if time.monotonic() > deadline:
                pytest.fail(f"the import stored fewer than {KILL_AT} cables in 90 s")
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    stored = stored_cables(database)
    assert KILL_AT <= stored < CABLES, "killed too late to test anything"
    return stored


def assert_every_cable_whole(database, expected: dict) -> None:
    """Each stored cable has the paragraphs and tags a parse of its CSV row gives."""
    stored = database.query(
        "SELECT reference_id,"
        " (SELECT count(*) FROM cables_paragraph WHERE cable_id = cables_cable.id),"
        " (SELECT count(*) FROM cables_cabletag WHERE cable_id = cables_cable.id)"
        " FROM cables_cable"
    )
    broken = [
        (reference_id, (paragraphs, tags), expected.get(reference_id))
        for reference_id, paragraphs, tags in stored
        if expected.get(reference_id) != (paragraphs, tags)
    ]
    assert not broken, f"{len(broken)} cables not whole, e.g. {broken[:5]}"


def check_archive(database) -> tuple[int, list[str], str]:
    """check_archive's exit status, its PROBLEM lines and its whole output."""
    result = manage(database, "check_archive", "--sample", "100", "--newest", "300", check=False)
    problems = [line for line in result.stdout.splitlines() if line.startswith("PROBLEM")]
    return result.returncode, problems, result.stdout + result.stderr


BULK_ON_POSTGRESQL = pytest.mark.skipif(
    ON_POSTGRESQL,
    reason="on PostgreSQL --bulk only drops and re-makes the GIN indexes (tests/test_search.py)",
)


@pytest.mark.parametrize(
    "flags",
    [
        pytest.param((), id="row by row"),
        pytest.param(("--bulk",), id="bulk", marks=BULK_ON_POSTGRESQL),
    ],
)
def test_an_import_killed_half_way_leaves_whole_cables_and_running_it_again_finishes(
    database, source, expected, flags
):
    stored = import_killed_half_way(database, source, *flags)
    assert_every_cable_whole(database, expected)

    status, problems, output = check_archive(database)
    if "--bulk" in flags and not ON_POSTGRESQL:
        # Consistent, but for the search index the bulk load paused.
        assert status == 1, output
        assert problems and all(line.startswith("PROBLEM  search index: ") for line in problems)
        assert any("paused" in line for line in problems), output
        assert any("paragraphs are not in cables_paragraph_fts" in line for line in problems)
    else:
        assert status == 0 and not problems, output

    result = manage(database, "import_cables", "--no-progress", *flags, str(source))
    summary = result.stdout.strip().splitlines()[-1]
    assert summary == f"created {CABLES - stored}, updated 0, unchanged {stored}, failed 0"
    if "--bulk" in flags and not ON_POSTGRESQL:
        assert "The search index was left paused: rebuilding it first." in result.stderr
    assert stored_cables(database) == CABLES
    assert_every_cable_whole(database, expected)
    status, problems, output = check_archive(database)
    assert status == 0 and not problems, output
    assert re.search(r"ok +search index|skipped +search index", output), output


@pytest.mark.django_db
@BULK_ON_POSTGRESQL
def test_a_bulk_load_killed_while_it_rebuilds_the_index_is_repaired_by_the_next_import(
    monkeypatch,
):
    from django.core.management import call_command

    from cables.writing import checking, search_index

    from .conftest import SEED, import_paths

    search_index.pause_index()  # as import_cables --bulk does, then loads
    import_paths(SEED)

    def killed():
        raise KeyboardInterrupt  # as SIGKILL would stop it, before the rebuild commits

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(search_index, "rebuild_index", killed)
        search_index.resume_index()
    call_command("import_cables", str(SEED), stdout=io.StringIO(), stderr=io.StringIO())
    report = checking.check_archive(sample=0)
    assert report.ok, [str(problem) for problem in report.problems]
