"""Servers on loopback and timing them over HTTP, with only the standard library's
``http.client`` (``bench/serve_benchmark.py``): a server process always stopped
(``Server``), keep-alive clients, sequential timings of one page (``time_view``) and a
mixed workload of many threads (``mixed``)."""

import concurrent.futures
import http.client
import math
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """A server process of ours on loopback, always stopped (``with``)."""

    def __init__(self, name: str, command: list[str], env: dict, port: int, log: Path):
        self.name, self.command, self.env, self.port, self.log = name, command, env, port, log
        self.process = None

    def __enter__(self):
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(
            self.command,
            cwd=PROJECT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: see {self.log}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/")
                connection.getresponse().read()
                connection.close()
                return self
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"{self.name} did not answer on port {self.port} within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # gunicorn stops its workers on SIGTERM
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log_file.close()
        return False


class Client:
    """One keep-alive connection (re-opened when the server closes it, as gunicorn's sync
    workers do after every response)."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.page_cache = None  # the last answer's X-Page-Cache: hit, miss or None

    def get(self, path: str) -> tuple[int, int, float]:
        """(status, body bytes, milliseconds) of one GET, body read in full."""
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = self.connection.getresponse()
            body = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            raise
        self.page_cache = response.getheader("X-Page-Cache")
        return response.status, len(body), (time.perf_counter() - started) * 1000

    def close(self):
        self.connection.close()


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def summarize(times: list[float], elapsed: float) -> dict:
    ordered = sorted(times)
    return {
        "requests": len(ordered),
        "median_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(percentile(ordered, 0.95), 1) if ordered else None,
        "max_ms": round(ordered[-1], 1) if ordered else None,
        "requests_per_s": round(len(ordered) / elapsed, 1) if elapsed else None,
    }


def time_view(port: int, path: str, requests: int, seconds: float) -> dict:
    """``requests`` sequential GETs of ``path`` (fewer if ``seconds`` runs out)."""
    client, times, size = Client(port), [], 0
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    while len(times) < requests and (time.monotonic() < deadline or len(times) < 5):
        status, size, ms = client.get(path)
        if status != 200:
            client.close()
            raise RuntimeError(f"{path} answered {status}")
        times.append(ms)
    elapsed = time.perf_counter() - started
    client.close()
    return {**summarize(times, elapsed), "bytes": size}


def warm(port: int, paths: list[str], times: int = 3) -> None:
    client = Client(port)
    for path in paths:
        for _ in range(times):
            status, _size, _ms = client.get(path)
            if status != 200:
                client.close()
                raise RuntimeError(f"warming {path}: {status}")
    client.close()


def mixed(
    port: int,
    paths: list[str],
    clients: int,
    seconds: float,
    cum_weights: list[float] | None = None,
    phase: str = "",
) -> dict:
    """``clients`` threads, each requesting every path in turn (its own shuffled order)
    until ``seconds`` pass; bounded in count too. With ``cum_weights`` (cumulative), each
    thread draws its paths at random by them instead. Each thread's random stream is its
    number and ``phase``: a measured phase does not replay its warm-up's requests.
    Counts the page cache's hits."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    times, errors, hits = [], [], []

    def run(number: int):
        order, chooser = paths[:], random.Random(f"{phase}:{number}" if phase else number)
        chooser.shuffle(order)
        client, mine, failures, mine_hits, index = Client(port), [], [], 0, 0
        while time.monotonic() < deadline and index < 200_000:
            if cum_weights:
                path = chooser.choices(paths, cum_weights=cum_weights)[0]
            else:
                path = order[index % len(order)]
            index += 1
            try:
                status, _size, ms = client.get(path)
                if status == 200:
                    mine.append(ms)
                    mine_hits += client.page_cache == "hit"
                else:
                    failures.append(f"{path}: {status}")
            except (http.client.HTTPException, OSError) as error:
                failures.append(f"{path}: {error!r}")
                client = Client(port)
        client.close()
        with lock:
            times.extend(mine)
            errors.extend(failures)
            hits.append(mine_hits)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(run, range(clients)))
    elapsed = time.perf_counter() - started
    return {
        **summarize(times, elapsed),
        "page_cache_hits": sum(hits),
        "clients": clients,
        "seconds": round(elapsed, 1),
        "errors": len(errors),
        "error_examples": errors[:5],
    }


def gunicorn_command(port: int, workers: int) -> list[str]:
    """gunicorn as production runs it (sync workers), on a loopback port."""
    return [
        str(BIN / "gunicorn"), "archive.wsgi", "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
    ]  # fmt: skip


def read_through(path: Path) -> None:
    """Read the database file once, so the OS cache holds it (a warm cache)."""
    for file in (path, Path(f"{path}-wal")):
        if file.exists():
            with file.open("rb") as handle:
                while handle.read(16 * 1024 * 1024):
                    pass
