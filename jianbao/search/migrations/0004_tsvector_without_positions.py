"""Store the PostgreSQL tsvectors without positions (backends.postgres.tsvector_literal).

Positions made each vector ~3.2 kB, read from TOAST for every row a search touches; nothing
needs them (phrases are confirmed as substrings). SQLite's FTS5 rows are left as they are.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("UPDATE search_tsv SET tsv = strip(tsv)")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_hidden_audience_tags")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
