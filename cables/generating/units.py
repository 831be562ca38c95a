"""Units, workers and files: :func:`write_corpus` and :func:`generate`.

The plans are rendered in units of ``UNIT_SIZE`` cables, each unit with its own random
stream seeded by (seed, unit number). The output is therefore identical for a given seed
and count whatever the number of worker processes, and units render in parallel (forked
workers, or spawned ones that import this module and get a pickled word model).
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import random
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .formats import SyntheticCable
from .rendering import render
from .shape import Plan, plan_cables
from .words import WordModel, load_model

UNIT_SIZE = 500  # cables rendered together with one random stream


def iter_units(count: int, seed: int | str) -> Iterator[tuple[int, list[Plan]]]:
    """The plans in units of ``UNIT_SIZE`` cables, numbered from 0."""
    unit: list[Plan] = []
    number = 0
    for plan in plan_cables(count, seed):
        unit.append(plan)
        if len(unit) == UNIT_SIZE:
            yield number, unit
            number += 1
            unit = []
    if unit:
        yield number, unit


def render_unit(
    seed: int | str, number: int, plans: list[Plan], model: WordModel
) -> Iterator[SyntheticCable]:
    rng = random.Random(f"synthetic-cables:unit:{seed}:{number}")
    for plan in plans:
        yield render(plan, model, rng)


def generate(
    count: int, seed: int | str = 0, model: WordModel | None = None
) -> Iterator[SyntheticCable]:
    """Every synthetic cable, in order, in this process (as :func:`write_corpus` writes them)."""
    model = model or load_model()
    for number, plans in iter_units(count, seed):
        yield from render_unit(seed, number, plans, model)


_WORKER_MODEL: WordModel | None = None


def single_threaded() -> bool:
    """Whether this process runs one thread only (counting threads Python did not start)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _init_worker(model: WordModel | None = None) -> None:
    global _WORKER_MODEL
    if model is not None:
        _WORKER_MODEL = model


def _work(job: tuple) -> tuple[int, int, str]:
    """One unit in a worker: write its .txt files, or return its CSV rows."""
    seed, number, plans, fmt, out = job
    model = _WORKER_MODEL or load_model()
    return _write_unit(seed, number, plans, fmt, out, model)


def _write_unit(seed, number, plans, fmt, out, model) -> tuple[int, int, str]:
    written = 0
    size = 0
    rows: list[str] = []
    made: set[str] = set()
    for cable in render_unit(seed, number, plans, model):
        if fmt == "csv":
            row = cable.csv_row()
            rows.append(row)
            size += len(row)
        else:
            folder = f"{cable.date.year:04d}/{cable.date.month:02d}"
            if folder not in made:
                os.makedirs(os.path.join(out, folder), exist_ok=True)
                made.add(folder)
            text = cable.txt()
            with open(os.path.join(out, cable.path), "w", encoding="utf-8") as file:
                file.write(text)
            size += len(text)
        written += 1
    return written, size, "".join(rows)


@dataclass
class Summary:
    count: int
    bytes: int
    seconds: float
    destination: str
    source: str

    def line(self) -> str:
        rate = self.count / self.seconds if self.seconds else 0.0
        return (
            f"wrote {self.count:,} synthetic cables ({self.bytes / 1e6:,.1f} MB) to "
            f"{self.destination} in {self.seconds:.1f} s: {rate:,.0f} cables/s "
            f"({self.bytes / 1e6 / max(self.seconds, 1e-9):.1f} MB/s); text model: {self.source}"
        )


def write_corpus(
    out: str | os.PathLike,
    count: int,
    seed: int | str = 0,
    fmt: str = "txt",
    workers: int = 1,
    model: WordModel | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write ``count`` cables under ``out``: ``YYYY/MM/REFID.txt`` files (``fmt="txt"``) or
    one ``cables.csv`` (``fmt="csv"``). Streamed: at most a few units are in memory."""
    global _WORKER_MODEL
    if fmt not in ("txt", "csv"):
        raise ValueError(f"unknown format {fmt!r} (txt or csv)")
    started = time.monotonic()
    model = model or load_model()
    out = os.fspath(out)
    os.makedirs(out, exist_ok=True)
    destination = os.path.join(out, "cables.csv") if fmt == "csv" else out
    csv_file = open(destination, "w", encoding="utf-8", newline="") if fmt == "csv" else None  # noqa: SIM115
    written = size = 0

    def take(result: tuple[int, int, str]) -> None:
        nonlocal written, size
        written += result[0]
        size += result[1]
        if csv_file is not None:
            csv_file.write(result[2])
        if progress:
            progress(written)

    jobs = ((seed, number, plans, fmt, out) for number, plans in iter_units(count, seed))
    try:
        if workers <= 1:
            for job in jobs:
                take(_write_unit(*job, model))
        else:
            # Forked workers inherit the model; forking a threaded process is unsafe, so
            # then (and where there is no fork) each worker gets a pickled copy instead.
            fork = single_threaded() and "fork" in multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if fork else "spawn")
            _WORKER_MODEL = model
            initargs = () if fork else (model,)
            with context.Pool(workers, _init_worker, initargs) as pool:
                pending: collections.deque = collections.deque()
                for job in jobs:
                    pending.append(pool.apply_async(_work, (job,)))
                    if len(pending) >= 2 * workers:
                        take(pending.popleft().get())
                while pending:
                    take(pending.popleft().get())
    finally:
        _WORKER_MODEL = None
        if csv_file is not None:
            csv_file.close()
    return Summary(written, size, time.monotonic() - started, destination, model.source)


def print_progress(stream=sys.stderr, total: int = 0) -> Callable[[int], None]:
    """A progress callback that redraws one line on a terminal."""

    def show(done: int) -> None:
        stream.write(f"\r{done:,}/{total:,} cables")
        stream.flush()

    return show
