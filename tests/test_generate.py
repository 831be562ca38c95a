"""The synthetic cable generator: it writes the release's formats, the parser reads back
exactly what it meant, the output has the release's shape, and it says it is synthetic."""

import csv
import io
import random
import statistics
from collections import Counter

import pytest
from django.core.management import call_command

from cables import generating
from cables.generating import (
    CLASSIFICATION_COUNTS,
    NOTICE,
    RELEASE_TOTAL,
    SENDERS,
    SUBJECT_PREFIX,
    TAG_VOCABULARY,
    TRANSMISSION_PREFIX,
    YEAR_COUNTS,
    WordModel,
    generate,
    load_model,
    month_counts,
    plan_cables,
    render,
    write_corpus,
)
from cables.parsing import ParseError, SourceText, parse_cable, read_path
from cables.parsing.readers import read_csv
from cables.parsing.senders import normalize_address, sender_name


@pytest.fixture(scope="module")
def model(corpus):
    """The word model of the real corpus (built once per test process)."""
    return load_model(corpus)


@pytest.fixture(scope="module")
def five_thousand(model):
    return list(generate(5_000, seed=11, model=model))


def parsed_from_csv_row(row: str):
    (item,) = list(read_csv(io.StringIO(row, newline=""), "cables.csv"))
    assert isinstance(item, SourceText), item
    return parse_cable(item.text), item


def assert_parses_as_intended(parsed, cable):
    assert parsed.reference_id == cable.reference_id
    assert parsed.date == cable.date
    assert parsed.sender is not None
    assert parsed.sender.name == cable.sender.name
    assert parsed.sender.code == cable.sender.code
    assert parsed.classification == cable.classification
    assert parsed.caveats == cable.caveats
    assert parsed.tags == cable.tags
    assert parsed.subject == cable.subject
    assert parsed.references == cable.references
    assert len(parsed.paragraphs) == cable.paragraph_count
    assert [paragraph.anchor for paragraph in parsed.paragraphs] == [
        f"p{number}" for number in range(1, cable.paragraph_count + 1)
    ]
    parsed_length = sum(len(paragraph.text) for paragraph in parsed.paragraphs)
    assert parsed_length == pytest.approx(cable.text_length, rel=0.01)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_generated_txt_cable_parses_to_exactly_what_the_generator_intended(model, seed):
    for cable in generate(150, seed=seed, model=model):
        assert_parses_as_intended(parse_cable(cable.txt()), cable)


@pytest.mark.parametrize("seed", [4, 5])
def test_every_generated_csv_row_parses_to_exactly_what_the_generator_intended(model, seed):
    for cable in generate(150, seed=seed, model=model):
        parsed, item = parsed_from_csv_row(cable.csv_row())
        assert_parses_as_intended(parsed, cable)
        assert item.metadata == {
            "reference_id": cable.reference_id,
            "classification": cable.classification,
            "origin": cable.sender.name,
            "references": ",".join(cable.references),
            "created": cable.date.strftime("%m/%d/%Y %H:%M"),
        }


def test_old_telegrams_are_upper_case_and_still_parse_as_intended(model):
    # Pre-1990 cables: no markings or pilcrows, LIMITED OFFICIAL USE for FOUO.
    rng = random.Random(6)
    plans = [plan for plan in plan_cables(40_000, seed=6) if plan.date.year < 1990]
    old = [render(plan, model, rng) for plan in plans]
    assert len(old) > 20 and all(cable.old_style for cable in old)
    for cable in old:
        text = cable.txt()
        assert "¶" not in text
        assert_parses_as_intended(parse_cable(text), cable)


def test_the_same_seed_gives_identical_output_whatever_the_number_of_workers(model, tmp_path):
    one = write_corpus(tmp_path / "one", 1_100, seed=7, fmt="csv", workers=1, model=model)
    two = write_corpus(tmp_path / "two", 1_100, seed=7, fmt="csv", workers=2, model=model)
    other = write_corpus(tmp_path / "other", 1_100, seed=8, fmt="csv", workers=1, model=model)
    first = (tmp_path / "one" / "cables.csv").read_bytes()
    assert one.count == two.count == 1_100
    assert first == (tmp_path / "two" / "cables.csv").read_bytes()
    assert first != (tmp_path / "other" / "cables.csv").read_bytes()
    assert other.count == 1_100


def test_txt_files_are_written_as_year_month_reference_id(model, tmp_path):
    summary = write_corpus(tmp_path, 120, seed=9, fmt="txt", workers=2, model=model)
    cables = {cable.reference_id: cable for cable in generate(120, seed=9, model=model)}
    files = sorted(tmp_path.rglob("*.txt"))
    assert summary.count == len(files) == len(cables) == 120
    for path in files:
        cable = cables[path.stem]
        assert path.relative_to(tmp_path).as_posix() == cable.path
        assert path.read_text(encoding="utf-8") == cable.txt()
    items = list(read_path(tmp_path))
    assert not [item for item in items if isinstance(item, ParseError)]
    assert {parse_cable(item.text).reference_id for item in items} == set(cables)


def test_csv_output_reads_back_through_read_path_with_eight_columns(model, tmp_path):
    write_corpus(tmp_path, 300, seed=10, fmt="csv", workers=1, model=model)
    path = tmp_path / "cables.csv"
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream, escapechar="\\", doublequote=False, strict=True))
    assert len(rows) == 300
    assert {len(row) for row in rows} == {8}
    assert [row[0] for row in rows] == [str(number) for number in range(1, 301)]
    items = list(read_path(path))
    assert len(items) == 300
    assert all(isinstance(item, SourceText) and item.format == "csv" for item in items)
    expected = list(generate(300, seed=10, model=model))
    for item, cable in zip(items, expected, strict=True):
        assert item.metadata["reference_id"] == cable.reference_id
        assert parse_cable(item.text).reference_id == cable.reference_id
    # Quotes inside the text are escaped the release's way.
    assert '\\"' in path.read_text(encoding="utf-8")


def test_every_cable_is_labelled_synthetic(five_thousand):
    for cable in five_thousand[:300]:
        for text in (cable.txt(), cable.csv_row()):
            assert TRANSMISSION_PREFIX in text
            assert f"SUBJECT: {SUBJECT_PREFIX}" in text
            assert NOTICE.upper() in text.upper()
        parsed = parse_cable(cable.txt())
        assert parsed.transmission_id.startswith(TRANSMISSION_PREFIX)
        assert parsed.subject.startswith(SUBJECT_PREFIX)
        assert parsed.paragraphs[0].text.upper().startswith(NOTICE.upper())
        if not cable.old_style:
            assert parsed.paragraphs[0].marking == "U"


def test_years_follow_the_release_exactly_at_full_size():
    by_year = Counter()
    for start, _end, count in month_counts(RELEASE_TOTAL):
        by_year[start.year] += count
    assert dict(by_year) == {year: count for year, count in YEAR_COUNTS.items() if count}
    assert sum(YEAR_COUNTS.values()) == RELEASE_TOTAL
    assert sum(count for year, count in YEAR_COUNTS.items() if year < 2000) == 1_031
    months = [(start, end) for start, end, _ in month_counts(RELEASE_TOTAL)]
    assert months[0][0].isoformat()[:10] == "1966-12-28"
    assert months[-1][1].isoformat()[:10] == "2010-03-01"  # the last day is 28 February


def test_five_thousand_cables_have_the_release_shape(five_thousand):
    cables = five_thousand
    total = len(cables)
    years = Counter(cable.date.year for cable in cables)
    for year in (2005, 2006, 2007, 2008, 2009, 2010):
        assert years[year] == pytest.approx(total * YEAR_COUNTS[year] / RELEASE_TOTAL, abs=1)
    assert [cable.date for cable in cables] == sorted(cable.date for cable in cables)

    classes = Counter(cable.classification for cable in cables)
    assert set(classes) == set(CLASSIFICATION_COUNTS)
    for label, count in CLASSIFICATION_COUNTS.items():
        assert classes[label] / total == pytest.approx(count / RELEASE_TOTAL, abs=0.02)

    senders = Counter(cable.sender.name for cable in cables)
    top = [name for name, _ in senders.most_common(5)]
    assert "Secretary of State" in top and "Embassy Ankara" in top
    assert senders["Secretary of State"] / total == pytest.approx(8_000 / RELEASE_TOTAL, abs=0.008)
    assert senders["Embassy Amman"] / total == pytest.approx(4_300 / RELEASE_TOTAL, abs=0.006)
    assert len(senders) > 200  # the heavy tail reaches most of the 274 posts

    tag_counts = Counter(len(cable.tags) for cable in cables)
    assert set(tag_counts) == set(range(1, 9))
    tags = Counter(tag for cable in cables for tag in cable.tags)
    assert tags.most_common(1)[0][0] == "PREL"
    assert len(tags) > 600

    lengths = [cable.text_length for cable in cables]
    assert statistics.mean(lengths) == pytest.approx(6_700, rel=0.06)
    paragraphs = [cable.paragraph_count for cable in cables]
    assert min(paragraphs) == 2 and max(paragraphs) <= 30

    ids = [cable.reference_id for cable in cables]
    assert len(set(ids)) == len(ids)


def test_references_name_earlier_generated_cables(five_thousand):
    seen: set[str] = set()
    citing = 0
    for cable in five_thousand:
        assert set(cable.references) <= seen, cable.reference_id
        citing += bool(cable.references)
        seen.add(cable.reference_id)
    assert 0.25 < citing / len(five_thousand) < 0.5


def test_the_quirks_of_the_real_cables_appear(five_thousand):
    texts = [cable.txt() for cable in five_thousand[:2_000]]
    assert sum("XXXXXXXXXXXX" in text for text in texts) > 100
    assert sum(" OF 0" in text and "SECTION 01 OF" in text for text in texts) > 1_000
    with_artifact = [text for text in texts if generating.QUOTE_ARTIFACT.search(text)]
    assert len(with_artifact) > 50
    markings = Counter(
        paragraph.marking for cable in five_thousand[:2_000] for paragraph in cable.paragraphs
    )
    assert {"U", "SBU", "C", "S", "S/NF", "C/NF"} <= set(markings)
    assert sum(any(p.heading for p in cable.paragraphs) for cable in five_thousand) > 300


def test_the_274_senders_are_named_by_the_parsers_own_rule():
    assert len(SENDERS) == 274
    assert len({sender.code for sender in SENDERS}) == 274
    assert len({sender.post.replace(" ", "") for sender in SENDERS}) == 274
    for sender in SENDERS:
        assert sender_name(normalize_address(sender.code)) == sender.name
    assert SENDERS[0].name == "Secretary of State"


def test_the_tag_vocabulary_is_about_a_thousand_real_then_invented_codes():
    assert len(TAG_VOCABULARY) == len(set(TAG_VOCABULARY)) == 1_000
    assert TAG_VOCABULARY[:3] == ["PREL", "PGOV", "ECON"]


def test_without_the_corpus_the_builtin_vocabulary_is_used_with_a_warning(tmp_path):
    fallback = load_model(tmp_path / "no-corpus-here")
    assert "no real corpus" in fallback.warning
    assert isinstance(fallback, WordModel) and fallback.sentences
    for cable in generate(60, seed=12, model=fallback):
        assert_parses_as_intended(parse_cable(cable.txt()), cable)


def test_the_command_writes_the_cables_and_prints_one_summary_line(model, tmp_path, corpus):
    out = io.StringIO()
    call_command(
        "generate_cables",
        "--count=40",
        "--seed=3",
        f"--out={tmp_path}",
        "--format=csv",
        "--workers=1",
        f"--corpus={corpus}",
        stdout=out,
    )
    line = out.getvalue().strip()
    assert line.startswith("wrote 40 synthetic cables") and "cables/s" in line
    assert "\n" not in line
    assert len(list(read_path(tmp_path / "cables.csv"))) == 40
