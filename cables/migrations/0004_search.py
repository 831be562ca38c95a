"""Full-text search: FTS5 tables and triggers on SQLite, generated tsvector columns with
GIN indexes on PostgreSQL. The SQL lives in cables/writing/search_index.py; cables/reading/search.py
documents the layout.

On SQLite, a later migration that makes Django rebuild cables_cable or cables_paragraph
(a "table remake": copy, drop, rename) drops the triggers with the old table; such a
migration must drop and re-create the search schema (tests/test_search.py checks that
the triggers exist).

The SQLite schema is the one this migration made, kept here as it was: 0011_search_keys
replaced it with cables/writing/search_index.py's current one.
"""

from django.db import migrations

from cables.writing import search_index

SQLITE_SCHEMA = """
CREATE VIRTUAL TABLE cables_paragraph_fts USING fts5(
    heading, text, content='cables_paragraph', content_rowid='id',
    tokenize='unicode61', prefix='2 3'
);
CREATE TRIGGER cables_paragraph_fts_insert AFTER INSERT ON cables_paragraph BEGIN
    INSERT INTO cables_paragraph_fts(rowid, heading, text)
    VALUES (new.id, new.heading, new.text);
END;
CREATE TRIGGER cables_paragraph_fts_delete AFTER DELETE ON cables_paragraph BEGIN
    INSERT INTO cables_paragraph_fts(cables_paragraph_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
END;
CREATE TRIGGER cables_paragraph_fts_update AFTER UPDATE OF heading, text ON cables_paragraph
BEGIN
    INSERT INTO cables_paragraph_fts(cables_paragraph_fts, rowid, heading, text)
    VALUES ('delete', old.id, old.heading, old.text);
    INSERT INTO cables_paragraph_fts(rowid, heading, text)
    VALUES (new.id, new.heading, new.text);
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
"""


def run_script(schema_editor, script):
    for statement in split_statements(script):
        schema_editor.execute(statement, params=None)


def split_statements(script):
    """Split on ';' at the end of a line, keeping trigger bodies (BEGIN … END;) whole."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and (not text.upper().startswith("CREATE TRIGGER") or text.endswith("END;")):
            statements.append(text)
            current = []
    return statements


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        run_script(schema_editor, SQLITE_SCHEMA)
    elif vendor == "postgresql":
        run_script(schema_editor, search_index.POSTGRESQL_SCHEMA)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        run_script(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        run_script(schema_editor, search_index.POSTGRESQL_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("cables", "0003_import_records"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
