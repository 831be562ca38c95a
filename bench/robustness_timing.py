"""How long the parser takes on pathological text, by size: medians of CPU seconds.

The tests check that such text parses (tests/test_parsing_robustness.py); how fast is a
measurement, printed here rather than asserted, as a shared machine's timings vary.
Linear parsing shows as seconds per MB that stay about the same as the size grows.

    .venv/bin/python bench/robustness_timing.py [--repeat 5]
"""

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from cables.parsing import ParseError, parse_cable  # noqa: E402

# The shapes are the robustness test's, so that what is timed is what is tested.
from tests.pathological_text import pathological_text  # noqa: E402

SEED_TEXT = (PROJECT / "seeds" / "08MEXICO2160.txt").read_text(encoding="utf-8")


def cpu_seconds(text: str) -> float:
    started = time.process_time()
    with contextlib.suppress(ParseError):  # text that holds no cable costs time too
        parse_cable(text)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    print(f"{'MB':>4} {'median s':>9} {'s per MB':>9}")
    for megabytes in (1, 2, 4):
        text = pathological_text(SEED_TEXT, megabytes * 1024 * 1024)
        median = statistics.median(cpu_seconds(text) for _ in range(arguments.repeat))
        print(f"{megabytes:>4} {median:>9.3f} {median / megabytes:>9.3f}")


if __name__ == "__main__":
    main()
