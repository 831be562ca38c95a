"""Readers under load while an import writes: ``make loadtest`` (after the fault test).

    .venv/bin/python bench/loadtest.py --count 251287            # the issue's run: 50 clients,
                                                                 # 120 s, 10,000 cables imported
    .venv/bin/python bench/loadtest.py --count 3000 --clients 10 --duration 20 --import-count 1000

1. **The database**: ``--database FILE``, else the serving benchmark's file
   ``bench/results/serve-<count>-<seed>.sqlite3`` (``make bench`` builds it; built here with
   the benchmark's own ``build`` if missing). It is copied, with its WAL, beside itself after
   checking the free disk, so the benchmark's file stays as built (``--in-place`` uses it as
   it is, and it keeps the imported cables).
2. **The cables to import**: ``--import-count`` synthetic cables from ``generate_cables``'s
   generator, seed ``<seed>-load``, every serial moved up by 500,000 so their reference ids
   are new to the archive (any already stored are counted and reported). The project's
   parser says how many paragraphs and tags each should have.
3. **The load**: gunicorn as production (``--workers`` sync workers, DEBUG off) on a free
   loopback port, warmed; ``import_cables --no-progress`` of those cables in a subprocess;
   at once ``--clients`` threads request the serving benchmark's mixed workload
   (``serve_benchmark.our_views``, URLs chosen from the data by
   ``serve_queries.pick_subjects``) with ``http.client`` for ``--duration`` seconds, each
   request bounded by ``--timeout``. Meanwhile a checker reads every newly committed cable
   from the file (one statement, so one snapshot) and fetches the newest as readers do
   (``/cables/<id>.json``), comparing paragraphs and tags with what the parser gives.
4. **After**: it waits for the import (at most ``--import-timeout``), runs ``check_archive``
   on the file and reads gunicorn's log.

An error is: a status other than 2xx/3xx, a connection error or time-out, a body saying
"database is locked", a server error in gunicorn's log, a cable whose rows differ from its
source (a half-imported cable), an import that fails a cable or does not finish, and
check_archive failing. It prints a table, writes everything as JSON to
``bench/results/loadtest-<time>.json`` and exits 1 if there was any error. Only loopback
addresses are used; every loop is bounded in time and count; every process it started is
stopped at the end.
"""

import argparse
import contextlib
import datetime
import json
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import building
import http_load
import machine
import serve_benchmark
import serve_queries
from http_client import HOST, free_port
from http_load import PROJECT
from load_readers import Checker, Recorder, run_clients
from load_report import server_errors, stats, table
from serve_benchmark import RESULTS

sys.path.insert(0, str(PROJECT))

from cables import generating  # noqa: E402
from cables.parsing import SourceText, parse_cable, read_path  # noqa: E402

SERIAL_OFFSET = 500_000


# --- the database and the cables to import ----------------------------------------------


def free_disk_check(source: Path, target_folder: Path, import_count: int, copy: bool) -> dict:
    """Bytes needed (the copy, and the imported cables twice over for the WAL) against the
    free space; raises SystemExit with the numbers if they do not fit."""
    size = sum(path.stat().st_size for path in (source, wal(source)) if path.exists())
    connection = serve_queries.connect(str(source))
    cables = connection.execute("SELECT count(*) FROM cables_cable").fetchone()[0] or 1
    connection.close()
    needed = (size if copy else 0) + 2 * import_count * size // cables + 512 * 1024**2
    free = shutil.disk_usage(target_folder).free
    facts = {"database_bytes": size, "needed_bytes": needed, "free_bytes": free}
    if needed > free:
        raise SystemExit(
            f"Not enough disk: the load test needs about {needed / 1024**3:.1f} GB in "
            f"{target_folder} ({size / 1024**3:.1f} GB to copy {source.name}), "
            f"{free / 1024**3:.1f} GB are free. Free some, or use --in-place."
        )
    return facts


def wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def working_copy(source: Path) -> Path:
    """A copy of ``source`` and its WAL (not being written: the build is complete)."""
    target = source.with_name(f"loadtest-{source.name}")
    for stale in (target, wal(target), target.with_name(target.name + "-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    if wal(source).exists():
        shutil.copyfile(wal(source), wal(target))
    return target


@contextlib.contextmanager
def serials_moved_up(offset: int):
    """The generator's plans with every serial (and every serial cited) ``offset`` higher:
    the same shape of cables, with reference ids no unshifted generation gives. Patched in
    ``cables/generating/units.py``, where ``iter_units`` looks ``plan_cables`` up."""
    original = generating.units.plan_cables

    def shifted(count, seed):
        for plan in original(count, seed):
            plan.serial += offset
            plan.references = [
                (year, sender, serial + offset) for year, sender, serial in plan.references
            ]
            yield plan

    generating.units.plan_cables = shifted
    try:
        yield
    finally:
        generating.units.plan_cables = original


def cables_to_import(folder: Path, count: int, seed: str) -> tuple[Path, dict]:
    """Write ``count`` new cables as one cables.csv; what each should hold, by reference id."""
    model = generating.load_model()
    with serials_moved_up(SERIAL_OFFSET):
        generating.write_corpus(
            folder, count, seed=f"{seed}-load", fmt="csv", model=model, workers=1
        )
    csv_path = folder / "cables.csv"
    expected = {}
    for item in read_path(csv_path):
        if isinstance(item, SourceText):
            parsed = parse_cable(item.text)
            expected[item.metadata["reference_id"]] = (len(parsed.paragraphs), len(parsed.tags))
    return csv_path, expected


def already_stored(path: Path, reference_ids) -> int:
    connection = serve_queries.connect(str(path))
    ids = list(reference_ids)
    found = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found += connection.execute(
            f"SELECT count(*) FROM cables_cable WHERE reference_id IN ({marks})", chunk
        ).fetchone()[0]
    connection.close()
    return found


# --- the run ------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20000, help="the benchmark database's size")
    parser.add_argument("--seed", default="1", help="the benchmark database's seed")
    parser.add_argument("--database", type=Path, help="an SQLite file already loaded")
    parser.add_argument("--in-place", action="store_true", help="load-test the file itself")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--import-count", type=int, default=10000, help="cables imported meanwhile")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a request may take")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="in all, at most")
    parser.add_argument("--import-timeout", type=float, default=3600, help="seconds, at most")
    parser.add_argument("--json-out", type=Path, help="default bench/results/loadtest-<time>.json")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.duration <= 0 or args.import_count < 1:
        parser.error("--clients, --duration and --import-count must be positive")
    return args


def database(args, secret_key: str, results: dict) -> Path:
    """The file to load-test: the benchmark's (built if missing) or --database, copied
    unless --in-place, and migrated to the current schema."""
    source = (args.database or RESULTS / f"serve-{args.count}-{args.seed}.sqlite3").resolve()
    if args.database is None:
        results["build"] = building.build(source, args.count, args.seed, secret_key)
    elif not source.exists():
        raise SystemExit(f"No such database: {source}")
    results["disk"] = free_disk_check(source, source.parent, args.import_count, not args.in_place)
    path = source
    if not args.in_place:
        size = results["disk"]["database_bytes"] / 1024**2
        print(f"Copying {source.name} ({size:,.0f} MB) …", flush=True)
        path = working_copy(source)
    env = building.django_env(path, secret_key)
    building.manage(env, "migrate", "--noinput", "--verbosity", "0")
    building.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    results["database"] = {"path": str(path), **machine.database_facts(path)}
    return path


@dataclass
class Run:
    """What happened while the clients and the import ran (times from the load's start)."""

    recorder: Recorder
    checker: Checker
    elapsed: float = 0.0  # the clients' time
    load_ended: float = 0.0
    import_ended: float = 0.0
    import_status: int | None = None
    import_summary: str = ""
    import_stderr: str = ""
    server_log: dict = field(default_factory=dict)


def load_while_importing(args, path: Path, env: dict, views: dict, csv_path, expected) -> Run:
    """gunicorn up; the import and the checker started; the clients run; then the import
    is waited for (bounded) and everything started is stopped."""
    folder = csv_path.parent
    port = free_port()
    gunicorn = http_load.gunicorn_command(port, args.workers)
    log, out_path, err_path = folder / "gunicorn.log", folder / "import.out", folder / "import.err"
    print(f"Starting gunicorn ({args.workers} workers) on {HOST}:{port} …", flush=True)
    with http_load.Server("gunicorn", gunicorn, env, port, log):
        http_load.warm(port, list(views.values()), times=1)
        started = time.monotonic()
        recorder = Recorder(started)
        run = Run(recorder, Checker(path, port, expected, recorder, args.timeout))
        with out_path.open("w") as out, err_path.open("w") as err:
            importer = subprocess.Popen(
                [sys.executable, "manage.py", "import_cables", "--no-progress", str(csv_path)],
                cwd=PROJECT, env=env, stdout=out, stderr=err, start_new_session=True,
            )  # fmt: skip
            ended: dict[str, float] = {}

            def watch() -> None:  # when the import ends, whatever the main thread does
                importer.wait()
                ended["at"] = time.monotonic() - started

            threading.Thread(target=watch, daemon=True).start()
            try:
                run.checker.start()
                print(
                    f"Import of {args.import_count:,} cables started; {args.clients} clients "
                    f"for {args.duration:g} s …",
                    flush=True,
                )
                run.elapsed = run_clients(
                    port, views, args.clients, args.duration, args.timeout,
                    args.max_requests, run.recorder,
                )  # fmt: skip
                run.load_ended = time.monotonic() - started
                print("Load done; waiting for the import …", flush=True)
                try:
                    importer.wait(max(args.import_timeout - run.load_ended, 1))
                except subprocess.TimeoutExpired:
                    run.recorder.error("import did not finish", f"in {args.import_timeout} s")
                run.import_ended = ended.get("at", time.monotonic() - started)
            finally:
                if importer.poll() is None:
                    importer.kill()
                    importer.wait(30)
                run.checker.stop.set()
                run.checker.join(120)
    run.import_status = importer.returncode
    lines = out_path.read_text().splitlines()
    run.import_summary = next((line for line in reversed(lines) if line.startswith("created")), "")
    run.import_stderr = err_path.read_text(errors="replace")
    run.server_log = server_errors(log)
    return run


def judge_import(args, run: Run, collisions: int) -> dict:
    """The import's numbers; an error for a failed, incomplete or unfinished import."""
    numbers = dict(re.findall(r"(\w+) (\d+)", run.import_summary))
    if run.import_status != 0:
        run.recorder.error(
            "import failed", f"exit status {run.import_status}: {run.import_stderr[-300:]}"
        )
    if int(numbers.get("failed", 0)):
        run.recorder.error("import failed cables", run.import_summary)
    if int(numbers.get("created", -1)) != args.import_count - collisions:
        run.recorder.error("import incomplete", run.import_summary or "no summary line")
    for kind, count in run.server_log.items():
        if count and kind != "tracebacks":
            run.recorder.error(f"server log: {kind}", f"{count} in gunicorn's log")
    return {
        "count": args.import_count,
        "exit_status": run.import_status,
        "summary": run.import_summary,
        "seconds": round(run.import_ended, 1),
        "rate": round(int(numbers.get("created", 0)) / max(run.import_ended, 1e-6), 1),
        "overlap_s": round(min(run.import_ended, run.load_ended), 1),
        "collisions": collisions,
        "stderr_tail": run.import_stderr[-2000:],
    }


def check_archive(args, env: dict, recorder: Recorder) -> dict:
    """check_archive on the file, re-parsing every imported cable."""
    print("Running check_archive …", flush=True)
    started = time.monotonic()
    check = subprocess.run(
        [sys.executable, "manage.py", "check_archive", "--newest", str(args.import_count)],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=3600,
    )  # fmt: skip
    output = check.stdout.splitlines() + check.stderr.splitlines()
    if check.returncode:
        recorder.error("check_archive failed", " | ".join(output[-3:]))
    return {
        "status": check.returncode,
        "seconds": round(time.monotonic() - started, 1),
        "output": output,
    }


def load_results(args, run: Run) -> dict:
    requests = run.recorder.requests
    during = [row for row in requests if row[3] <= run.import_ended]
    after = [row for row in requests if row[3] > run.import_ended]
    by_view: dict[str, list] = {}
    for row in requests:
        by_view.setdefault(row[0], []).append(row)
    return {
        "clients": args.clients,
        "seconds": round(run.elapsed, 1),
        "outcomes": dict(Counter(row[1] for row in requests)),
        "windows": {
            "all": stats(requests, run.elapsed),
            "while the import ran": stats(during, min(run.import_ended, run.elapsed)),
            "after it ended": stats(after, max(run.elapsed - run.import_ended, 0) or None),
        },
        "views": {name: stats(rows) for name, rows in by_view.items()},
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    begun = time.monotonic()
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
    secret_key = secrets.token_urlsafe(40)
    results: dict = {
        "started_at": stamp,
        "machine": machine.machine(),
        "settings": {key: str(value) for key, value in vars(args).items()},
    }
    path = database(args, secret_key, results)
    env = building.django_env(path, secret_key)
    try:
        with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
            print(f"Generating {args.import_count:,} new cables and parsing them …", flush=True)
            csv_path, expected = cables_to_import(Path(folder), args.import_count, args.seed)
            collisions = already_stored(path, expected)
            print("Choosing URLs from the data …", flush=True)
            views = serve_benchmark.our_views(serve_queries.pick_subjects(str(path)))
            results["views"] = views
            http_load.read_through(path)
            run = load_while_importing(args, path, env, views, csv_path, expected)
        results["server_log"] = run.server_log
        results["import"] = judge_import(args, run, collisions)
        results["check_archive"] = check_archive(args, env, run.recorder)
    finally:
        if not args.in_place:
            for file in (path, wal(path), path.with_name(path.name + "-shm")):
                file.unlink(missing_ok=True)
    results["load"] = load_results(args, run)
    results["checker"] = {
        "read_from_file": run.checker.read_from_file,
        "fetched": run.checker.fetched,
        "mismatches": run.checker.mismatches,
    }
    results["errors"] = dict(run.recorder.errors)
    results["error_examples"] = run.recorder.examples
    results["load_average_at_end"] = machine.load_average()
    results["seconds"] = round(time.monotonic() - begun, 1)
    results["report"] = table(results)
    print("\n".join(results["report"]))
    json_out = args.json_out or RESULTS / f"loadtest-{stamp}.json"
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\nWrote {json_out} ({results['seconds']} s in all)")
    return 1 if run.recorder.errors else 0


if __name__ == "__main__":
    sys.exit(main())
