"""The load test's readers (``bench/loadtest.py``): clients requesting every view in turn,
each request recorded (``Recorder``), and a checker that reads each cable the import
commits, from the file and as served, while the import runs (``Checker``)."""

import concurrent.futures
import json
import random
import sqlite3
import threading
import time
from collections import Counter
from pathlib import Path

import serve_queries
from http_client import ERRORS, Client

LOCKED = b"database is locked"


class Recorder:
    """Every request's view, outcome and time; errors with an example each."""

    def __init__(self, started: float):
        self.started = started
        self.lock = threading.Lock()
        # (view, outcome, ms, seconds from the start to its end, whether it was an error)
        self.requests: list[tuple[str, str, float, float, bool]] = []
        self.errors: Counter = Counter()
        self.examples: dict[str, str] = {}

    def request(self, view: str, outcome: str, ms: float, error: bool) -> None:
        with self.lock:
            self.requests.append((view, outcome, ms, time.monotonic() - self.started, error))

    def error(self, kind: str, example: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            self.examples.setdefault(kind, example)


def timed_get(client: Client, path: str) -> tuple[str, float, bytes]:
    """(outcome, ms, body): the status code as text, or the error's name; a failed
    request is timed too, to when it failed."""
    started = time.perf_counter()
    try:
        response = client.get(path)
    except TimeoutError:
        return "timeout", (time.perf_counter() - started) * 1000, b""
    except ERRORS as error:
        return f"connection: {type(error).__name__}", (time.perf_counter() - started) * 1000, b""
    return str(response.status), response.ms, response.body


def is_error(outcome: str, body: bytes) -> str:
    """The kind of error a response is, or ''."""
    if not outcome.isdigit():
        return outcome
    if not 200 <= int(outcome) < 400:
        return f"status {outcome}"
    if LOCKED in body:
        return "database is locked (in a page)"
    return ""


def run_clients(port, views, clients, seconds, timeout, max_requests, recorder) -> float:
    """``clients`` threads, each requesting every view in turn (its own shuffled order),
    until ``seconds`` pass or ``max_requests`` are made in all; returns the elapsed time."""
    deadline = time.monotonic() + seconds
    budget = threading.Semaphore(max_requests)

    def run(number: int) -> None:
        order = list(views.items())
        random.Random(number).shuffle(order)
        client, index = Client(port, timeout), 0
        while time.monotonic() < deadline and budget.acquire(blocking=False):
            name, path = order[index % len(order)]
            index += 1
            outcome, ms, body = timed_get(client, path)
            kind = is_error(outcome, body)
            recorder.request(name, outcome, ms, bool(kind))
            if kind:
                recorder.error(kind, f"{path}: {outcome}")
        client.close()

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, range(clients)))
    return time.monotonic() - started


class Checker(threading.Thread):
    """While the import runs: every cable committed since the start, read from the file
    with its paragraph and tag counts in one statement (one snapshot), and the newest few
    of each round fetched as a reader does; each must hold what its source says."""

    def __init__(self, path: Path, port: int, expected: dict, recorder: Recorder, timeout):
        super().__init__(daemon=True)
        self.path, self.expected, self.recorder = path, expected, recorder
        self.client = Client(port, timeout)
        self.stop = threading.Event()
        connection = serve_queries.connect(str(path))
        self.last_id = connection.execute(
            "SELECT coalesce(max(id), 0) FROM cables_cable"
        ).fetchone()[0]
        connection.close()
        self.read_from_file = self.fetched = self.mismatches = 0

    def mismatch(self, reference_id: str, seen, where: str) -> None:
        self.mismatches += 1
        wanted = self.expected.get(reference_id)
        self.recorder.error(
            "half-imported cable",
            f"{reference_id} {where}: (paragraphs, tags) {seen}, its source has {wanted}",
        )

    def check_round(self, connection) -> None:
        rows = connection.execute(
            "SELECT id, reference_id,"
            " (SELECT count(*) FROM cables_paragraph WHERE cable_id = cables_cable.id),"
            " (SELECT count(*) FROM cables_cabletag WHERE cable_id = cables_cable.id)"
            " FROM cables_cable WHERE id > ? ORDER BY id LIMIT 1000",
            (self.last_id,),
        ).fetchall()
        for cable_id, reference_id, paragraphs, tags in rows:
            self.read_from_file += 1
            self.last_id = cable_id
            if self.expected.get(reference_id) != (paragraphs, tags):
                self.mismatch(reference_id, (paragraphs, tags), "in the file")
        for _, reference_id, _, _ in rows[-3:]:
            outcome, _ms, body = timed_get(self.client, f"/cables/{reference_id}.json")
            self.fetched += 1
            if kind := is_error(outcome, body):
                self.recorder.error(kind, f"/cables/{reference_id}.json: {outcome}")
                continue
            try:
                cable = json.loads(body)
                seen = (len(cable["paragraphs"]), len(cable["tags"]))
            except (ValueError, KeyError, TypeError) as error:
                self.recorder.error("unreadable cable JSON", f"{reference_id}: {error!r}")
                continue
            if self.expected.get(reference_id) != seen:
                self.mismatch(reference_id, seen, "as served")

    def run(self) -> None:
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        try:
            while not self.stop.is_set():
                try:
                    self.check_round(connection)
                except sqlite3.OperationalError as error:
                    self.recorder.error(f"checker: {error}", str(error))
                self.stop.wait(0.25)
            self.check_round(connection)  # the last commits
        finally:
            connection.close()
            self.client.close()
