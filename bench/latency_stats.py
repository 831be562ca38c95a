"""The benchmarks' one statistics helper: medians, percentiles and the summary of a run
of timings, as every table in README.md and docs/benchmarks.md reports them."""

import math
from statistics import median

__all__ = ["median", "percentile", "summary"]


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile of already sorted values: the smallest value with at least
    ``share`` of them at or below it, always one of the values measured."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def summary(times: list[float], elapsed: float | None, shares=(0.95,)) -> dict:
    """Count, median, a percentile for each share (``p95_ms`` for 0.95) and maximum of
    times in milliseconds, rounded to 0.1 ms, and the rate over ``elapsed`` seconds."""
    ordered = sorted(times)
    row = {
        "requests": len(ordered),
        "median_ms": round(median(ordered), 1) if ordered else None,
    }
    for share in shares:
        value = round(percentile(ordered, share), 1) if ordered else None
        row[f"p{round(share * 100)}_ms"] = value
    row["max_ms"] = round(ordered[-1], 1) if ordered else None
    row["requests_per_s"] = round(len(ordered) / elapsed, 1) if elapsed else None
    return row
