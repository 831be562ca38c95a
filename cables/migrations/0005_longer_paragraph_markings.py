"""Paragraph markings such as ``C/Releasable to Italy`` need more than 20 characters.

On SQLite, altering a column remakes the table, which drops the search triggers with
it (see 0004_search): drop the search schema first, then re-create and rebuild it.
"""

import importlib

from django.db import migrations, models

search_migration = importlib.import_module("cables.migrations.0004_search")


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        search_migration.drop(apps, schema_editor)


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        search_migration.create(apps, schema_editor)
        for table in ("cables_paragraph_fts", "cables_subject_fts"):
            schema_editor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("cables", "0004_search"),
    ]

    operations = [
        migrations.RunPython(drop_search, create_search),
        migrations.AlterField(
            model_name="paragraph",
            name="marking",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.RunPython(create_search, drop_search),
    ]
