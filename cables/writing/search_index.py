"""The full-text index's schema on each engine, and its upkeep: pausing it for a bulk
load, rebuilding it from the stored text, checking it. How it is searched is in
``search.py``, whose docstring describes both engines."""

import re

from django.db import connection, transaction

from ..archive_version import bump_version

# A paragraph's search key is its cable's id shifted left by this many bits, plus its
# position (1, 2, …): so a cable holds at most 4,095 paragraphs (importing.py says so).
KEY_BITS = 12
MAX_PARAGRAPHS = (1 << KEY_BITS) - 1

SQLITE_SCHEMA = f"""
ALTER TABLE cables_paragraph ADD COLUMN search_key integer
    GENERATED ALWAYS AS ((cable_id << {KEY_BITS}) + position) VIRTUAL;
CREATE UNIQUE INDEX cables_paragraph_search_key ON cables_paragraph (search_key);
CREATE VIRTUAL TABLE cables_paragraph_fts USING fts5(
    heading, text, content='cables_paragraph', content_rowid='search_key',
    tokenize='unicode61', prefix='2 3'
);
CREATE TRIGGER cables_paragraph_fts_insert AFTER INSERT ON cables_paragraph BEGIN
    INSERT INTO cables_paragraph_fts(rowid, heading, text)
    VALUES (new.search_key, new.heading, new.text);
END;
CREATE TRIGGER cables_paragraph_fts_delete AFTER DELETE ON cables_paragraph BEGIN
    INSERT INTO cables_paragraph_fts(cables_paragraph_fts, rowid, heading, text)
    VALUES ('delete', old.search_key, old.heading, old.text);
END;
CREATE TRIGGER cables_paragraph_fts_update
AFTER UPDATE OF heading, text, cable_id, position ON cables_paragraph BEGIN
    INSERT INTO cables_paragraph_fts(cables_paragraph_fts, rowid, heading, text)
    VALUES ('delete', old.search_key, old.heading, old.text);
    INSERT INTO cables_paragraph_fts(rowid, heading, text)
    VALUES (new.search_key, new.heading, new.text);
END;
CREATE VIRTUAL TABLE cables_subject_fts USING fts5(
    subject, content='cables_cable', content_rowid='id', tokenize='unicode61', prefix='2 3'
);
CREATE TRIGGER cables_subject_fts_insert AFTER INSERT ON cables_cable BEGIN
    INSERT INTO cables_subject_fts(rowid, subject) VALUES (new.id, new.subject);
END;
CREATE TRIGGER cables_subject_fts_delete AFTER DELETE ON cables_cable BEGIN
    INSERT INTO cables_subject_fts(cables_subject_fts, rowid, subject)
    VALUES ('delete', old.id, old.subject);
END;
CREATE TRIGGER cables_subject_fts_update AFTER UPDATE OF subject ON cables_cable BEGIN
    INSERT INTO cables_subject_fts(cables_subject_fts, rowid, subject)
    VALUES ('delete', old.id, old.subject);
    INSERT INTO cables_subject_fts(rowid, subject) VALUES (new.id, new.subject);
END;
INSERT INTO cables_paragraph_fts(cables_paragraph_fts) VALUES ('rebuild');
INSERT INTO cables_subject_fts(cables_subject_fts) VALUES ('rebuild');
"""

SQLITE_DROP = """
DROP TRIGGER IF EXISTS cables_paragraph_fts_insert;
DROP TRIGGER IF EXISTS cables_paragraph_fts_delete;
DROP TRIGGER IF EXISTS cables_paragraph_fts_update;
DROP TRIGGER IF EXISTS cables_subject_fts_insert;
DROP TRIGGER IF EXISTS cables_subject_fts_delete;
DROP TRIGGER IF EXISTS cables_subject_fts_update;
DROP TABLE IF EXISTS cables_paragraph_fts;
DROP TABLE IF EXISTS cables_subject_fts;
DROP INDEX IF EXISTS cables_paragraph_search_key;
ALTER TABLE cables_paragraph DROP COLUMN search_key;
"""

SQLITE_TRIGGERS = {
    "cables_paragraph_fts_insert",
    "cables_paragraph_fts_delete",
    "cables_paragraph_fts_update",
    "cables_subject_fts_insert",
    "cables_subject_fts_delete",
    "cables_subject_fts_update",
}

# PostgreSQL's parser reads "minister-designate" as three tokens and "MINISTER/DEFENSE"
# as a file path, which breaks phrases; every run of non-alphanumerics becomes a space
# first, so the tokens are plain words, exactly as FTS5's unicode61 tokenizer makes them.
POSTGRESQL_SCHEMA = """
ALTER TABLE cables_paragraph ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', regexp_replace(
        coalesce(heading, '') || ' ' || coalesce(text, ''), '[^[:alnum:]]+', ' ', 'g'
    ))
) STORED;
CREATE INDEX cables_paragraph_search_vector ON cables_paragraph USING gin (search_vector);
ALTER TABLE cables_cable ADD COLUMN subject_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', regexp_replace(coalesce(subject, ''), '[^[:alnum:]]+', ' ', 'g'))
) STORED;
CREATE INDEX cables_cable_subject_vector ON cables_cable USING gin (subject_vector);
"""

POSTGRESQL_INDEXES = {
    "cables_paragraph_search_vector": "CREATE INDEX IF NOT EXISTS cables_paragraph_search_vector"
    " ON cables_paragraph USING gin (search_vector)",
    "cables_cable_subject_vector": "CREATE INDEX IF NOT EXISTS cables_cable_subject_vector"
    " ON cables_cable USING gin (subject_vector)",
}

POSTGRESQL_DROP = """
ALTER TABLE cables_paragraph DROP COLUMN IF EXISTS search_vector;
ALTER TABLE cables_cable DROP COLUMN IF EXISTS subject_vector;
"""


def rebuild_index() -> str:
    """Rebuild the index from the stored text, in bulk; returns what was done. Searches
    may find more or less afterwards, so the cached pages go stale with its commit."""
    with transaction.atomic(), connection.cursor() as cursor:
        bump_version()
        if connection.vendor == "postgresql":
            # Generated columns cannot fall behind; refresh the planner's statistics.
            cursor.execute("ANALYZE cables_paragraph")
            cursor.execute("ANALYZE cables_cable")
            return "PostgreSQL's generated tsvector columns are always current; analyzed."
        for table in ("cables_paragraph_fts", "cables_subject_fts"):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        # The planner's statistics, so it picks the selective index of each query; a
        # sample of each index is enough and keeps this short even at full size.
        cursor.execute("PRAGMA analysis_limit = 2000")
        cursor.execute("ANALYZE")
    return "Rebuilt and optimized cables_paragraph_fts and cables_subject_fts; analyzed."


def check_index() -> None:
    """Raise if the index disagrees with the stored text (SQLite: FTS5 integrity-check)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table in ("cables_paragraph_fts", "cables_subject_fts"):
            cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")


def trigger_statements() -> dict[str, str]:
    """The CREATE TRIGGER statements of SQLITE_SCHEMA, by trigger name."""
    statements = re.findall(r"CREATE TRIGGER (\w+).*?END;", SQLITE_SCHEMA, re.DOTALL)
    bodies = re.findall(r"CREATE TRIGGER \w+.*?END;", SQLITE_SCHEMA, re.DOTALL)
    return dict(zip(statements, bodies, strict=True))


def index_paused() -> bool:
    """Whether a bulk load paused the index (and maybe never finished): SQLite's triggers
    or PostgreSQL's GIN indexes are missing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)",
                [list(POSTGRESQL_INDEXES)],
            )
            return len(cursor.fetchall()) < len(POSTGRESQL_INDEXES)
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    return not present >= SQLITE_TRIGGERS


def pause_index() -> None:
    """Stop indexing row by row for a large load; ``resume_index`` indexes in bulk after.
    SQLite: drop the triggers. PostgreSQL: drop the GIN indexes (the generated columns
    stay current; a search without the index still answers, by scanning)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Within a transaction that has written, deferred foreign-key checks must
            # run first: PostgreSQL alters no table with checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for name in POSTGRESQL_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        return
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in sorted(SQLITE_TRIGGERS):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def resume_index() -> None:
    """Re-create the missing triggers and rebuild the index from the stored text, in one
    transaction: stopped half-way, the triggers stay missing, so the index still reads
    as paused and the next import rebuilds it (see import_cables)."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in pause_index
            for statement in POSTGRESQL_INDEXES.values():
                cursor.execute(statement)
        rebuild_index()  # statistics for the planner
        return
    if connection.vendor != "sqlite":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        create_missing_triggers(cursor)
        rebuild_index()


def create_missing_triggers(cursor) -> None:
    """SQLite: create the search triggers that are missing (a bulk load drops them, and
    so does a migration that remakes cables_cable or cables_paragraph)."""
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    present = {row[0] for row in cursor.fetchall()}
    for name, statement in trigger_statements().items():
        if name not in present:
            cursor.execute(statement)
