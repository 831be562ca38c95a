"""Pathological lines after a real cable: what tests/test_parsing_robustness.py parses and
bench/robustness_timing.py times. Pure Python, so that the benchmark can import it."""

import random

# The pathological shapes of a cable's lines: long runs of ``&``, ``(``, markers. How long
# they take to parse is measured by bench/robustness_timing.py, not asserted here.
SHAPES = [
    "&" * 5000 + "\n",
    "(" * 3000 + "\n",
    "A " * 5000 + "\n",
    "1. " * 3000 + "\n",
    "¶" * 4000 + "\n",
    "TAGS: " + "[X](#) " * 2000 + "\n",
    "- " * 4000 + "\n",
]


def pathological_text(cable: str, size: int) -> str:
    """The cable followed by lines of the shapes above, repeated to ``size`` characters."""
    rng = random.Random(7)
    text = cable + "".join(rng.choice(SHAPES) for _ in range(400))
    return (text * (size // len(text) + 1))[:size]
