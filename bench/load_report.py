"""The load test's summaries (``bench/loadtest.py``): timings per window and per view,
gunicorn's log counted, and the table printed."""

import re
from pathlib import Path

from latency_stats import summary


def stats(requests: list, elapsed: float | None = None) -> dict:
    if not requests:
        return {"requests": 0}
    timings = summary([row[2] for row in requests], elapsed, shares=(0.95, 0.99))
    return {**timings, "errors": sum(row[4] for row in requests)}


def server_errors(log: Path) -> dict:
    text = log.read_text(errors="replace") if log.exists() else ""
    return {
        "internal_server_errors": len(re.findall(r"Internal Server Error", text)),
        "database_is_locked": text.count("database is locked"),
        "worker_timeouts": len(re.findall(r"WORKER TIMEOUT", text)),
        "tracebacks": text.count("Traceback (most recent call last)"),
    }


def table(results: dict) -> list[str]:
    load = results["load"]
    lines = [
        f"## Load test: {results['database']['cables']:,} cables, {load['clients']} clients for "
        f"{load['seconds']:.0f} s, {results['settings']['workers']} gunicorn workers, while "
        f"{results['import']['count']:,} cables were imported",
        "",
        "| requests | count | errors | median ms | p95 ms | p99 ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in load["windows"].items():
        if row.get("requests"):
            lines.append(
                f"| {name} | {row['requests']:,} | {row['errors']} | {row['median_ms']:,} | "
                f"{row['p95_ms']:,} | {row['p99_ms']:,} | {row['requests_per_s'] or '–'} |"
            )
    lines += ["", "| view | count | median ms | p95 ms |", "|---|---:|---:|---:|"]
    for name, row in load["views"].items():
        if row.get("requests"):
            lines.append(
                f"| {name} | {row['requests']:,} | {row['median_ms']:,} | {row['p95_ms']:,} |"
            )
    imported, checker = results["import"], results["checker"]
    outcomes = ", ".join(f"{code} × {n:,}" for code, n in sorted(load["outcomes"].items()))
    lines += [
        "",
        f"Status codes: {outcomes}",
        f"Import: {imported['summary'] or 'no summary'} in {imported['seconds']} s "
        f"({imported['rate']} cables/s), {imported['overlap_s']} s of it under load; "
        f"{imported['collisions']} of its reference ids were already stored",
        f"Checker: {checker['read_from_file']:,} new cables read from the file, "
        f"{checker['fetched']:,} fetched as JSON, {checker['mismatches']} half-imported",
        f"Server log: {results['server_log']}",
        f"check_archive: {'passed' if results['check_archive']['status'] == 0 else 'FAILED'} "
        f"({results['check_archive']['seconds']} s)",
        f"Errors: {sum(results['errors'].values())}"
        + "".join(
            f"\n  {kind}: {n} (e.g. {results['error_examples'][kind]})"
            for kind, n in results["errors"].items()
        ),
    ]
    return lines
