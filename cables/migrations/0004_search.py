"""Full-text search: FTS5 tables and triggers on SQLite, generated tsvector columns with
GIN indexes on PostgreSQL. The SQL lives in cables/search.py, which documents the layout.

On SQLite, a later migration that makes Django rebuild cables_cable or cables_paragraph
(a "table remake": copy, drop, rename) drops the triggers with the old table; such a
migration must drop and re-create the search schema (tests/test_search.py checks that
the triggers exist).
"""

from django.db import migrations

from cables import search


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
        run_script(schema_editor, search.SQLITE_SCHEMA)
    elif vendor == "postgresql":
        run_script(schema_editor, search.POSTGRESQL_SCHEMA)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        run_script(schema_editor, search.SQLITE_DROP)
    elif vendor == "postgresql":
        run_script(schema_editor, search.POSTGRESQL_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("cables", "0003_import_records"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
