"""Is the archive whole? The checks behind ``manage.py check_archive``.

"Consistent" is what an import killed at any moment (SIGKILL, power cut) must leave, since
every cable is written in one transaction (alone, or with up to 199 other new cables):

* **No orphans**: every foreign key of the cables app points at a row that exists (the
  paragraphs, tags, references, aliases and retired anchors of stored cables; the tags
  and senders they name).
* **Every cable whole**: its paragraphs, tags and references numbered 1..n without a gap;
  and, re-parsed from its stored raw text, the same fields, sender, tags, references and
  paragraphs as stored, with the raw text's sha256 (``cable_data.changed_fields``).
  Re-parsing is the costly check (the whole parser over each text), so it runs on the
  ``newest`` cables (those an import killed part-way was writing), a random ``sample`` of
  the others, and every cable stored without paragraphs: the shape a cable written
  without its rows would have (about 1% of the real release has none, legitimately).
* **Values that look wrong** (warnings: the data is whole, but the parser or the text may
  be off): tags neither listed (``cables/reference/tag_descriptions.py``) nor tag-shaped, cables
  with more than 30 tags, references that cannot be a cable's id (not id-shaped, a post
  that is no post, a year after the citing cable's), subjects that still carry a marking.
  See ``cables/writing/value_checks.py``.
* **SQLite: the search index in step**: its triggers in place (a ``--bulk`` load stopped
  before its end leaves them dropped: ``search_index.index_paused``, repaired by the next
  ``import_cables``); every paragraph and subject indexed once and nothing else indexed
  (FTS5's ``<table>_docsize`` shadow table holds one row per indexed row); and FTS5's own
  ``integrity-check`` of the index against the stored text (it tokenizes all of it: the
  slowest check, ``integrity=False`` skips it). PostgreSQL's stored generated tsvector
  columns cannot fall behind their rows: nothing to check there.

Each check is one SQL statement over the whole archive (the re-parse excepted), so the
cost is a few index scans: run it while no import writes, or a cable updated meanwhile
may be reported as differing from its re-parse.
"""

import random
import time
from collections.abc import Callable

from django.apps import apps
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from ..models import Cable, CableReference, CableTag, Paragraph, Sender, Tag
from ..parsing import ParseError, SourceText, parse_cable
from . import search_index, value_checks
from .cable_data import cable_data, changed_fields
from .check_report import EXAMPLES, Problem, Report, one, quote, reference_ids, rows

MAX_WITHOUT_PARAGRAPHS = 10_000  # cables without paragraphs re-parsed, at most
# The full-text tables (see cables/reading/search.py), the table each indexes and the column
# its rowids are.
FTS_TABLES = (
    ("cables_paragraph_fts", "cables_paragraph", "paragraphs", "search_key"),
    ("cables_subject_fts", "cables_cable", "subjects", "id"),
)


# --- the checks -------------------------------------------------------------------------


def unapplied_migrations() -> list[str]:
    """Migrations not applied to the database: the checks below assume the current schema."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def facts() -> dict[str, int]:
    """Row counts of the main tables."""
    counted = {
        "cables": Cable,
        "paragraphs": Paragraph,
        "tags on cables": CableTag,
        "references": CableReference,
        "tags": Tag,
        "senders": Sender,
    }
    return {
        name: one(f"SELECT count(*) FROM {quote(model._meta.db_table)}")
        for name, model in counted.items()
    }


def foreign_keys():
    """(model, field) for every foreign key of the cables app's tables; models that have no
    table of their own (unmanaged, proxies) and keys declared without a constraint are
    left out."""
    for model in apps.get_app_config("cables").get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for model_field in model._meta.concrete_fields:
            if model_field.many_to_one and model_field.db_constraint:
                yield model, model_field


def check_orphans(report: Report) -> None:
    """Rows whose foreign key points at no row: written behind the ORM's back, or with
    the database's foreign key checks off."""
    checked = 0
    for model, model_field in foreign_keys():
        table, column = quote(model._meta.db_table), quote(model_field.column)
        target = model_field.related_model._meta
        parent = quote(target.db_table)
        parent_key = quote(model_field.target_field.column)
        where = (
            f"{table}.{column} IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {parent} WHERE {parent}.{parent_key} = {table}.{column})"
        )
        checked += 1
        orphans = one(f"SELECT count(*) FROM {table} WHERE {where}")
        if orphans:
            found = rows(
                f"SELECT {table}.{quote(model._meta.pk.column)}, {table}.{column} FROM {table}"
                f" WHERE {where} LIMIT {EXAMPLES}"
            )
            report.problems.append(
                Problem(
                    "orphans",
                    f"{orphans} {model._meta.verbose_name_plural} point at no "
                    f"{target.verbose_name} ({model._meta.db_table}.{model_field.column})",
                    [f"row {row_id} → {target.model_name} {missing}" for row_id, missing in found],
                    "delete these rows, or re-import their cables",
                )
            )
    if not any(problem.check == "orphans" for problem in report.problems):
        report.passed.append(f"foreign keys: {checked} relations, no orphans")


def check_numbering(report: Report) -> None:
    """Every cable's paragraphs, tags and references numbered 1..n: a gap or a missing
    first row is a row lost after the cable was written."""
    for model, what in (
        (Paragraph, "paragraphs"),
        (CableTag, "tags"),
        (CableReference, "references"),
    ):
        table = quote(model._meta.db_table)
        broken = rows(
            f"SELECT cable_id, count(*), min(position), max(position) FROM {table}"
            " GROUP BY cable_id HAVING count(*) != max(position) OR min(position) != 1"
        )
        if broken:
            report.problems.append(
                Problem(
                    "numbering",
                    f"{len(broken)} cables have {what} missing from their numbering "
                    "(positions not 1..n)",
                    [
                        f"{reference_id} ({count} {what}, positions {low}–{high})"
                        for reference_id, (_, count, low, high) in zip(
                            reference_ids(row[0] for row in broken), broken, strict=False
                        )
                    ],
                    "re-import these cables (or run reparse_cables on them)",
                )
            )
    if not any(problem.check == "numbering" for problem in report.problems):
        report.passed.append("numbering: every cable's paragraphs, tags and references are 1..n")


def stored_source(cable: Cable) -> SourceText:
    """The cable's text as it was imported, with the metadata stored beside it."""
    return SourceText(
        name=cable.source_name or cable.reference_id,
        text=cable.raw_text,
        format=cable.source_format,
        metadata=cable.release_metadata,
    )


def differences(cable: Cable) -> list[str]:
    """What a re-parse of the cable's raw text would change (empty: the cable is whole)."""
    try:
        data = cable_data(stored_source(cable), parse_cable(cable.raw_text))
    except ParseError as error:
        return [f"its raw text no longer parses ({error.reason})"]
    except Exception as error:  # noqa: BLE001 - a parser bug is this cable's problem
        return [f"re-parsing its raw text fails ({error!r})"]
    return changed_fields(cable, data)


def cables_without_paragraphs() -> list[int]:
    cable, paragraph = quote(Cable._meta.db_table), quote(Paragraph._meta.db_table)
    return [
        row[0]
        for row in rows(
            f"SELECT id FROM {cable} WHERE NOT EXISTS"
            f" (SELECT 1 FROM {paragraph} WHERE {paragraph}.cable_id = {cable}.id)"
        )
    ]


def check_reparse(report: Report, sample: int, newest: int, seed: int) -> None:
    """Re-parse from their raw text the ``newest`` cables (the ones an import killed
    part-way was writing), ``sample`` others at random and every cable without
    paragraphs; each must match what is stored."""
    empty = cables_without_paragraphs()
    ids = list(Cable.objects.order_by("id").values_list("id", flat=True))
    chosen = set(ids[-newest:] if newest > 0 else [])
    rest = ids[: max(len(ids) - newest, 0)]
    chosen.update(random.Random(seed).sample(rest, min(sample, len(rest))))
    chosen.update(empty[:MAX_WITHOUT_PARAGRAPHS])
    differing: list[tuple[str, list[str]]] = []
    ordered = sorted(chosen)
    for start in range(0, len(ordered), 200):
        batch = Cable.objects.filter(id__in=ordered[start : start + 200]).select_related("sender")
        for cable in batch:
            if changes := differences(cable):
                differing.append((cable.reference_id, changes))
    if len(chosen) == len(ids):
        what = f"all {len(ids)} cables"
    else:
        capped = ", at most" if len(empty) > MAX_WITHOUT_PARAGRAPHS else ""
        what = (
            f"{len(chosen)} cables (the {min(newest, len(ids))} newest, "
            f"{min(sample, len(rest))} at random with seed {seed}, "
            f"the {len(empty)} without paragraphs{capped})"
        )
    report.facts["cables without paragraphs"] = len(empty)
    if differing:
        report.problems.append(
            Problem(
                "re-parse",
                f"{len(differing)} of {what} differ from a re-parse of their raw text",
                [
                    f"{reference_id}: {', '.join(changes)}"
                    for reference_id, changes in differing[:EXAMPLES]
                ],
                "if the parser changed since they were imported, run reparse_cables; "
                "otherwise re-import them",
            )
        )
    else:
        report.passed.append(f"re-parse: {what} match a re-parse of their raw text")


def check_search_index(report: Report, integrity: bool = True) -> None:
    """SQLite: triggers in place, every row indexed once, FTS5's integrity-check."""
    if connection.vendor != "sqlite":
        report.skipped.append(
            "search index: PostgreSQL's generated tsvector columns cannot fall behind their rows"
        )
        if search_index.index_paused():
            report.problems.append(
                Problem(
                    "search index",
                    "paused: the GIN indexes are missing, so every search scans the text"
                    " (a bulk load stopped before its end leaves them dropped)",
                    [],
                    "the next import_cables (or rebuild_search_index) makes them again",
                )
            )
        return
    found_problem = False
    if search_index.index_paused():
        found_problem = True
        present = {row[0] for row in rows("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        dropped = ", ".join(sorted(search_index.SQLITE_TRIGGERS - present))
        report.problems.append(
            Problem(
                "search index",
                f"paused: triggers missing ({dropped}),"
                " so new text is not indexed (a bulk load stopped before its end leaves them"
                " dropped, and so does a migration that remakes cables_cable or cables_paragraph)",
                [],
                "the next import_cables re-creates them and rebuilds the index first",
            )
        )
    counts = []
    for fts, content, what, key in FTS_TABLES:
        docsize = quote(f"{fts}_docsize")
        content = quote(content)
        # Each row of the content table indexed (a _docsize row), and nothing else.
        missing = (
            f"FROM {content} WHERE NOT EXISTS"
            f" (SELECT 1 FROM {docsize} WHERE {docsize}.id = {content}.{key})"
        )
        stale = (
            f"FROM {docsize} WHERE NOT EXISTS"
            f" (SELECT 1 FROM {content} WHERE {content}.{key} = {docsize}.id)"
        )
        try:
            indexed = one(f"SELECT count(*) FROM {docsize}")
            missing_count, stale_count = (one(f"SELECT count(*) {sql}") for sql in (missing, stale))
        except DatabaseError as error:
            report.problems.append(Problem("search index", f"{fts} cannot be read: {error}"))
            return
        counts.append(f"{indexed:,} {what}")
        for count, sql, detail, repair in (
            (
                missing_count,
                missing,
                f"{missing_count} {what} are not in {fts}: searches cannot find them",
                "run rebuild_search_index (import_cables, if the index is paused)",
            ),
            (
                stale_count,
                stale,
                f"{stale_count} rows of {fts} index {what} that no longer exist",
                "run rebuild_search_index",
            ),
        ):
            if count:
                found_problem = True
                examples = [f"row {row[0]}" for row in rows(f"SELECT id {sql} LIMIT {EXAMPLES}")]
                report.problems.append(Problem("search index", detail, examples, repair))
    checked = "FTS5 integrity-check skipped"
    if integrity:
        checked = "FTS5 integrity-check passed"
        for fts, *_ in FTS_TABLES:
            try:
                with connection.cursor() as cursor:
                    # rank = 1: also compare the index with the content table's text.
                    cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
            except DatabaseError as error:
                found_problem = True
                report.problems.append(
                    Problem(
                        "search index",
                        f"FTS5 integrity-check of {fts} failed ({error}): the index does not "
                        "match the stored text",
                        repair="run rebuild_search_index",
                    )
                )
    if not found_problem:
        report.passed.append(
            f"search index: triggers in place; {' and '.join(counts)} indexed, each once, "
            f"nothing else; {checked}"
        )


def check_archive(
    sample: int = 1000,
    newest: int = 200,
    seed: int | None = None,
    integrity: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Run every check (see the module docstring); ``progress`` is told each one's name."""
    report = Report()
    if pending := unapplied_migrations():
        report.problems.append(
            Problem(
                "schema",
                f"{len(pending)} migrations are not applied, so nothing else was checked",
                pending[:EXAMPLES],
                "run migrate",
            )
        )
        return report
    seed = random.randrange(1_000_000) if seed is None else seed
    steps = (
        ("counts", lambda: report.facts.update(facts())),
        ("foreign keys", lambda: check_orphans(report)),
        ("numbering", lambda: check_numbering(report)),
        ("re-parse", lambda: check_reparse(report, sample, newest, seed)),
        ("values", lambda: value_checks.check_values(report)),
        ("search index", lambda: check_search_index(report, integrity)),
    )
    for name, step in steps:
        if progress:
            progress(name)
        started = time.monotonic()
        step()
        report.seconds[name] = round(time.monotonic() - started, 1)
    return report
