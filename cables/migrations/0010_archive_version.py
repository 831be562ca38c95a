"""The archive's version: one row, bumped by every write to what the public pages show,
which the page cache (cables/web/caching.py) keys its pages by."""

from django.db import migrations, models
from django.utils import timezone


def create_the_row(apps, schema_editor):
    ArchiveVersion = apps.get_model("cables", "ArchiveVersion")
    ArchiveVersion.objects.using(schema_editor.connection.alias).create(
        pk=1, version=1, changed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cables", "0009_date_order_and_date_facts_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArchiveVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField(default=1)),
                ("changed_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
