"""The parser on arbitrary, truncated and shuffled text: a cable or a ParseError, quickly."""

import random
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cables.parsing import ParseError, parse_cable

from .conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


def parses_or_refuses(text: str) -> None:
    try:
        cable = parse_cable(text)
    except ParseError:
        return
    assert isinstance(cable.paragraphs, list)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_arbitrary_text_gives_a_cable_or_a_parse_error(text):
    parses_or_refuses(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEED_TEXT)))
def test_truncated_cables_give_a_cable_or_a_parse_error(length):
    parses_or_refuses(SEED_TEXT[:length])


@settings(max_examples=100, deadline=None)
@given(st.randoms(use_true_random=False))
def test_shuffled_lines_give_a_cable_or_a_parse_error(generator):
    lines = SEED_TEXT.splitlines()
    generator.shuffle(lines)
    parses_or_refuses("\n".join(lines))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "¶",
                "1.",
                "(S/NF)",
                "SUBJECT:",
                "TAGS:",
                "&",
                "8",
                "\n",
                " ",
                "-" * 5,
                "C O N F I D E N T I A L",
                "REF:",
                "MEXICO 00002160 002 OF 004",
            ]
        ),
        max_size=400,
    )
)
def test_cable_shaped_noise_gives_a_cable_or_a_parse_error(pieces):
    parses_or_refuses("".join(pieces))


def cpu_seconds_to_parse(text: str) -> float:
    started = time.process_time()
    parses_or_refuses(text)
    return time.process_time() - started


def test_parsing_is_linear_in_the_size_of_the_input():
    """Pathological shapes (long runs of ``&``, ``(``, markers) cost linear time: 4 MB takes
    about four times 1 MB, and well under a second of CPU per MB (no regex backtracking)."""
    rng = random.Random(7)
    shapes = [
        "&" * 5000 + "\n",
        "(" * 3000 + "\n",
        "A " * 5000 + "\n",
        "1. " * 3000 + "\n",
        "¶" * 4000 + "\n",
        "TAGS: " + "[X](#) " * 2000 + "\n",
        "- " * 4000 + "\n",
    ]
    text = SEED_TEXT + "".join(rng.choice(shapes) for _ in range(400))

    def sized(megabytes):
        size = megabytes * 1024 * 1024
        return (text * (size // len(text) + 1))[:size]

    one, four = cpu_seconds_to_parse(sized(1)), cpu_seconds_to_parse(sized(4))
    assert four < 6 * one + 0.5, f"1 MB {one:.2f}s, 4 MB {four:.2f}s: not linear"
    assert four / 4 < 1.0, f"{four / 4:.2f}s per MB"
