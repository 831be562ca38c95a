"""What the serving benchmark ran on (``bench/serve_benchmark.py``): the machine, a
pure-Python calibration to compare runs by, and the database's size."""

import math
import os
import platform
import sqlite3
import time
from pathlib import Path

import serve_queries


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    versions = {}
    for package in ("django", "gunicorn", "datasette"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:  # noqa: BLE001 - not installed
            versions[package] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(memory_kb / 1024**2, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        **versions,
        "kernel": platform.release(),
        "load_average": load_average(),
        "calibration_ms": calibration_ms(),
    }


def calibration_ms(repeat: int = 5) -> float:
    """The best of ``repeat`` timings of a fixed piece of pure Python (ten million
    additions): machines of the same name differ, and a virtual machine's neighbours
    steal from it, so this says how fast this one was, to compare runs by."""
    best = math.inf
    for _ in range(repeat):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return round(best * 1000)


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages: other work on the machine skews the times."""
    return [float(value) for value in Path("/proc/loadavg").read_text().split()[:3]]


def database_facts(path: Path) -> dict:
    connection = serve_queries.connect(str(path))
    facts = {
        "file_mb": round(path.stat().st_size / 1024**2, 1),
        "cables": connection.execute("SELECT count(*) FROM cables_cable").fetchone()[0],
        "paragraphs": connection.execute("SELECT count(*) FROM cables_paragraph").fetchone()[0],
        "analyzed": bool(
            connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
        ),
    }
    connection.close()
    return facts
