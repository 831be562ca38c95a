"""SQLite: paragraphs indexed under a search key (``cable_id * 4096 + position``), so a
search finds each match's cable from the index alone (see cables/reading/search.py and search_index.py).

Replaces 0004's full-text schema: its triggers and tables are dropped, the key column
and its unique index added, the new tables made and filled from the stored text. The
narrow (id, cable) index the old join read is no longer used. PostgreSQL: only that.
"""

import importlib

from django.db import migrations

from cables.writing import search_index

search_migration = importlib.import_module("cables.migrations.0004_search")


def to_search_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        search_migration.run_script(schema_editor, search_migration.SQLITE_DROP)
        search_migration.run_script(schema_editor, search_index.SQLITE_SCHEMA)


def to_paragraph_ids(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        search_migration.run_script(schema_editor, search_index.SQLITE_DROP)
        search_migration.run_script(schema_editor, search_migration.SQLITE_SCHEMA)


class Migration(migrations.Migration):
    dependencies = [
        ("cables", "0010_archive_version"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="paragraph", name="paragraph_id_cable"),
        migrations.RunPython(to_search_keys, to_paragraph_ids),
    ]
