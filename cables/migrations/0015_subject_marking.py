"""A subject's own marking (``SUBJECT: (C/NF) …``) is kept apart from its words.

On SQLite, adding the column remakes cables_cable, which drops its search triggers:
re-create them, and rebuild the subjects' index so that it matches the table again.
"""

from django.db import migrations, models

from cables.writing import search_index


def restore_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        search_index.create_missing_triggers(cursor)
        cursor.execute("INSERT INTO cables_subject_fts(cables_subject_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("cables", "0014_postgresql_search_vector_inline"),
    ]

    operations = [
        migrations.AddField(
            model_name="cable",
            name="subject_marking",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
    ]
