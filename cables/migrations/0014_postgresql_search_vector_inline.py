"""PostgreSQL: keep each paragraph's search vector in its row, compressed (storage MAIN),
rather than out of line in the TOAST table (EXTENDED, the default). A paragraph row with
its vector passes PostgreSQL's 2 kB threshold about half the time, and a phrase search
reads the vector of every candidate paragraph to check the words' positions: out of
line, each costs a TOAST index lookup and its chunks. Measured on 500,000 paragraphs: a
phrase in a third of the cables 157-184 ms -> 88-90 ms; one word unchanged (its index
needs no recheck); the table's total size the same.

New rows are stored so at once. Rows already stored keep their place until rewritten:
``VACUUM FULL cables_paragraph`` (minutes at full size, the table locked) or a reload;
see the README's deployment section. SQLite: nothing to do."""

from django.db import migrations


def inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE cables_paragraph ALTER COLUMN search_vector SET STORAGE MAIN"
        )


def out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE cables_paragraph ALTER COLUMN search_vector SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    dependencies = [("cables", "0013_postgresql_newest_index")]

    operations = [migrations.RunPython(inline, out_of_line)]
