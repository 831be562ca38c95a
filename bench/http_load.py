"""Servers on loopback and timing them over HTTP (``bench/serve_benchmark.py``): a server
process always stopped (``Server``), sequential timings of one page (``time_view``) and a
mixed workload of many threads (``mixed``), through the one client of ``http_client``."""

import concurrent.futures
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

from http_client import ERRORS, HOST, Client, wait_until_answering
from latency_stats import summary

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


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
        try:
            wait_until_answering(self.port, self.process, f"{self.name} (see {self.log})")
        except BaseException:
            self.__exit__()
            raise
        return self

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


def time_view(port: int, path: str, requests: int, seconds: float) -> dict:
    """``requests`` sequential GETs of ``path`` (fewer if ``seconds`` runs out)."""
    client, times, size = Client(port), [], 0
    started = time.perf_counter()
    deadline = time.monotonic() + seconds
    while len(times) < requests and (time.monotonic() < deadline or len(times) < 5):
        response = client.get(path)
        if response.status != 200:
            client.close()
            raise RuntimeError(f"{path} answered {response.status}")
        times.append(response.ms)
        size = len(response.body)
    elapsed = time.perf_counter() - started
    client.close()
    return {**summary(times, elapsed), "bytes": size}


def warm(port: int, paths: list[str], times: int = 3) -> None:
    client = Client(port)
    for path in paths:
        for _ in range(times):
            status = client.get(path).status
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
                response = client.get(path)
                if response.status == 200:
                    mine.append(response.ms)
                    mine_hits += response.header("X-Page-Cache") == "hit"
                else:
                    failures.append(f"{path}: {response.status}")
            except ERRORS as error:
                failures.append(f"{path}: {error!r}")
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
        **summary(times, elapsed),
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
