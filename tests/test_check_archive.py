"""check_archive: a whole archive passes, and each way of breaking one is named.

The damage is done with raw SQL, behind the ORM's back, as a crash or a careless script
would leave it. Foreign keys are deferred on both databases, so an orphan row can exist
inside the test's transaction.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cables.generating import WordModel, write_corpus
from cables.models import Cable, CableReference, CableTag, Paragraph, Tag
from cables.writing import search_index

from .conftest import SEED, import_paths

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(
    "connection.vendor != 'sqlite'",
    reason="the FTS5 index is SQLite's; PostgreSQL's generated columns cannot fall behind",
)


@pytest.fixture
def archive(tmp_path):
    """The seed cable and 20 synthetic cables from a cables.csv (release metadata beside)."""
    write_corpus(tmp_path, 20, seed=3, fmt="csv", model=WordModel.builtin())
    report = import_paths(SEED, tmp_path / "cables.csv")
    assert (report.created, report.failed) == (21, 0), report.failures
    return Cable.objects.get(reference_id="08MEXICO2160")


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def consistent(*args) -> str:
    out = StringIO()
    try:
        call_command("check_archive", "--sample", "1000", *args, stdout=out)
    except CommandError:
        pytest.fail(out.getvalue())
    assert "The archive is consistent." in out.getvalue(), out.getvalue()
    assert "PROBLEM" not in out.getvalue()
    return out.getvalue()


def problems(*args) -> list[str]:
    """The PROBLEM lines of a check that must fail."""
    out = StringIO()
    with pytest.raises(CommandError, match=r"\d+ problems? found"):
        call_command("check_archive", "--sample", "1000", *args, stdout=out)
    return [line for line in out.getvalue().splitlines() if line.startswith("PROBLEM")]


def test_a_freshly_imported_archive_is_consistent(archive):
    output = consistent()
    assert "21 cables" in output
    assert "ok       foreign keys" in output
    assert "ok       re-parse: all 21 cables match" in output
    if connection.vendor == "sqlite":
        assert "FTS5 integrity-check passed" in output
    else:
        assert "skipped  search index: PostgreSQL" in output


def test_an_empty_archive_is_consistent():
    consistent()


def test_a_paragraph_deleted_from_the_middle_of_a_cable_is_named(archive):
    sql("DELETE FROM cables_paragraph WHERE cable_id = %s AND position = 4", [archive.pk])
    found = problems()
    assert any(
        line.startswith("PROBLEM  numbering: 1 cables have paragraphs missing")
        and "08MEXICO2160 (9 paragraphs, positions 1–10)" in line
        for line in found
    ), found
    assert any("re-parse" in line and "08MEXICO2160: paragraphs" in line for line in found)


def test_a_lost_last_paragraph_is_found_by_re_parsing(archive):
    sql("DELETE FROM cables_paragraph WHERE cable_id = %s AND position = 10", [archive.pk])
    # Positions 1..9 have no gap: only a re-parse sees that ¶10 is gone.
    consistent("--sample", "0", "--newest", "0")
    found = problems()
    assert any("08MEXICO2160: paragraphs" in line for line in found), found


def test_a_cable_stored_without_its_paragraphs_is_always_re_parsed(archive):
    sql("DELETE FROM cables_paragraph WHERE cable_id = %s", [archive.pk])
    found = problems("--sample", "0", "--newest", "0")
    assert len(found) == 1, found
    assert "re-parse: 1 of 1 cables" in found[0]
    assert "08MEXICO2160: paragraphs" in found[0]


def test_a_lost_tag_is_named(archive):
    sql("DELETE FROM cables_cabletag WHERE cable_id = %s AND position = 1", [archive.pk])
    found = problems()
    assert any("numbering" in line and "have tags missing" in line for line in found), found
    assert any("08MEXICO2160: tags" in line for line in found), found


def test_raw_text_changed_behind_the_orms_back_is_named(archive):
    sql(
        "UPDATE cables_cable SET raw_text = raw_text || %s WHERE id = %s",
        ["\nan extra line", archive.pk],
    )
    found = problems()
    assert len(found) == 1, found
    assert "08MEXICO2160: " in found[0] and "raw_sha256" in found[0]


def test_orphan_rows_are_named(archive):
    sql(
        "INSERT INTO cables_paragraph (cable_id, position, number, anchor, marking, heading, text)"
        " VALUES (987654, 1, '', 't1', '', '', 'an orphan')"
    )
    sql("INSERT INTO cables_cablealias (alias, cable_id) VALUES ('99NOWHERE1', 987654)")
    try:
        found = [line for line in problems() if "orphans" in line]
    finally:
        # Django checks deferred foreign keys before rolling a test back.
        sql("DELETE FROM cables_paragraph WHERE cable_id = 987654")
        sql("DELETE FROM cables_cablealias WHERE cable_id = 987654")
    assert len(found) == 2, found
    assert any("paragraphs point at no cable (cables_paragraph.cable_id)" in line for line in found)
    assert any("cable aliases point at no cable" in line for line in found)
    assert all("→ cable 987654" in line for line in found)


def search_key(paragraph) -> int:
    return (paragraph.cable_id << search_index.KEY_BITS) + paragraph.position


@sqlite_only
def test_a_paragraph_missing_from_the_search_index_is_named(archive):
    paragraph = Paragraph.objects.filter(cable=archive).order_by("position")[2]
    sql(
        "INSERT INTO cables_paragraph_fts(cables_paragraph_fts, rowid, heading, text)"
        " VALUES ('delete', %s, %s, %s)",
        [search_key(paragraph), paragraph.heading, paragraph.text],
    )
    found = problems()
    assert any(
        "1 paragraphs are not in cables_paragraph_fts" in line and f"row {paragraph.pk}" in line
        for line in found
    ), found
    assert any("integrity-check of cables_paragraph_fts failed" in line for line in found)


@sqlite_only
def test_a_row_deleted_without_its_trigger_is_named_as_stale_in_the_index(archive):
    sql("DROP TRIGGER cables_subject_fts_delete")
    cable = Cable.objects.exclude(pk=archive.pk).first()
    for table in ("cables_paragraph", "cables_cabletag", "cables_cablereference"):
        sql(f"DELETE FROM {table} WHERE cable_id = %s", [cable.pk])
    sql("DELETE FROM cables_cable WHERE id = %s", [cable.pk])
    sql(search_index.trigger_statements()["cables_subject_fts_delete"])
    found = problems()
    assert any(
        "1 rows of cables_subject_fts index subjects that no longer exist" in line for line in found
    ), found


@sqlite_only
def test_text_changed_without_its_trigger_is_found_only_by_the_integrity_check(archive):
    sql("DROP TRIGGER cables_paragraph_fts_update")
    sql("UPDATE cables_paragraph SET text = 'rewritten' WHERE cable_id = %s", [archive.pk])
    sql(search_index.trigger_statements()["cables_paragraph_fts_update"])
    found = [line for line in problems() if "search index" in line]
    assert len(found) == 1 and "integrity-check of cables_paragraph_fts failed" in found[0]
    # Skipping the integrity-check leaves the re-parse to notice the text.
    found = problems("--skip-integrity-check")
    assert all("search index" not in line for line in found), found


@sqlite_only
def test_a_paused_index_is_named_and_the_next_import_repairs_it(archive, tmp_path):
    search_index.pause_index()  # as a bulk load killed before its end leaves it
    import_paths(tmp_path / "cables.csv")  # nothing new: unchanged
    write_corpus(tmp_path / "more", 5, seed=4, fmt="csv", model=WordModel.builtin())
    import_paths(tmp_path / "more" / "cables.csv")
    found = problems()
    assert any(
        "search index: paused" in line and "cables_paragraph_fts_insert" in line for line in found
    ), found
    assert any("paragraphs are not in cables_paragraph_fts" in line for line in found), found
    call_command("import_cables", str(SEED), stdout=StringIO(), stderr=StringIO())
    consistent()


# --- values that look wrong: warnings, named with examples, the archive still whole ---------


def warnings(*args) -> list[str]:
    """The WARNING lines of a check that finds the archive consistent. The archive is the
    seed cable alone: synthetic cables cite posts that do not exist, and are named."""
    output = consistent("--sample", "0", "--newest", "0", *args)
    return [line for line in output.splitlines() if line.startswith("WARNING")]


def add_tags(cable, *codes) -> None:
    start = cable.cable_tags.count()
    for offset, code in enumerate(codes, start=1):
        tag, _ = Tag.objects.get_or_create(code=code)
        CableTag.objects.create(cable=cable, tag=tag, position=start + offset)


def add_references(cable, *references) -> None:
    start = cable.references.count()
    for offset, reference in enumerate(references, start=1):
        CableReference.objects.create(cable=cable, position=start + offset, reference_id=reference)


def test_a_freshly_imported_archive_has_no_suspicious_values(seed_cable):
    output = consistent()
    assert "ok       values: every tag listed or tag-shaped" in output
    assert "WARNING" not in output


def test_a_tag_neither_listed_nor_tag_shaped_is_named_with_its_cable(seed_cable):
    add_tags(seed_cable, "SUBJECT: US-MEXICO SECURITY")
    found = warnings()
    assert len(found) == 1, found
    assert "1 cables carry tags that are neither listed nor tag-shaped" in found[0]
    assert "08MEXICO2160: 'SUBJECT: US-MEXICO SECURITY'" in found[0]


def test_a_cable_with_more_than_thirty_tags_is_named(seed_cable):
    add_tags(seed_cable, *(f"KX{number:02d}" for number in range(31)))
    found = warnings()
    assert len(found) == 1, found
    assert "1 cables have more than 30 tags" in found[0]
    assert f"08MEXICO2160 ({seed_cable.cable_tags.count()} tags)" in found[0]


@pytest.mark.parametrize(
    ("reference", "why"),
    [
        ("SEE PARA 4", "not a cable id"),
        ("08INCSRBRAZIL2008", "INCSRBRAZIL is no post"),
        ("08SECSTATE1234", "SECSTATE is written STATE in ids"),
        ("09MEXICO1234", "a year after the citing cable's (2008)"),
    ],
)
def test_a_reference_that_cannot_be_a_cables_id_is_named_with_the_reason(
    seed_cable, reference, why
):
    add_references(seed_cable, "08STATE106206", reference)
    found = warnings()
    assert len(found) == 1, found
    assert "1 references of 1 cables cannot be a cable's id" in found[0]
    assert f"08MEXICO2160 → {reference!r}: {why}" in found[0]


def test_a_subject_that_still_carries_its_marking_is_named(seed_cable):
    Cable.objects.filter(pk=seed_cable.pk).update(subject="(SBU) SCENESETTER FOR DHS SECRETARY")
    Cable.objects.filter(pk=seed_cable.pk).update(subject_marking="")
    found = warnings()
    assert len(found) == 1, found
    assert "1 subjects still start with a marking" in found[0]
    assert "08MEXICO2160: '(SBU) SCENESETTER FOR DHS SECRETARY'" in found[0]
    # Brackets that are no marking are a subject's own words.
    Cable.objects.filter(pk=seed_cable.pk).update(subject="(U.S.) TRADE TALKS, (C) ROUND TWO")
    assert warnings() == []
