"""The parser on arbitrary, truncated and shuffled text: a cable or a ParseError, quickly."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cables.parsing import ParseError, parse_cable

from .conftest import SEED
from .pathological_text import pathological_text

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


def test_a_megabyte_of_pathological_lines_after_a_cable_leaves_its_header_and_body_intact():
    seed = parse_cable(SEED_TEXT)
    cable = parse_cable(pathological_text(SEED_TEXT, 1024 * 1024))
    assert (cable.reference_id, cable.subject, cable.tags) == (
        seed.reference_id,
        seed.subject,
        seed.tags,
    )
    # The last paragraph runs on into what follows; those before it are the seed's own.
    assert cable.paragraphs[:-1] == seed.paragraphs[:-1]
