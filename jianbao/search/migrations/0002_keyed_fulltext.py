"""Key the full-text rows by (date, id) and keep each document's units beside them.

The rows are refilled from the tokens stored on each SearchDocument, so no re-segmentation runs.
"""

from datetime import date

from django.db import migrations

ID_BITS = 32
EPOCH = date(1900, 1, 1)


def _key(doc_id, day):
    return (((day - EPOCH).days if day else 0) << ID_BITS) | doc_id


def _create_sqlite(schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    # Contentless with columnsize=0: ranking reads only the postings (DESIGN.md §10).
    schema_editor.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "tokens, content='', columnsize=0, tokenize='unicode61 remove_diacritics 0')"
    )
    schema_editor.execute(
        "CREATE TABLE search_units (key INTEGER PRIMARY KEY, units TEXT NOT NULL)"
    )


def _create_postgres(schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS search_tsv")
    # A narrow table keeps the tsvector inline and the GIN index small (DESIGN.md §10).
    schema_editor.execute(
        "CREATE TABLE search_tsv (key bigint PRIMARY KEY, tsv tsvector NOT NULL, "
        "unit_ids integer[] NOT NULL DEFAULT '{}')"
    )
    schema_editor.execute("CREATE INDEX search_tsv_gin ON search_tsv USING gin (tsv)")
    schema_editor.execute("ALTER TABLE search_tsv ALTER COLUMN tsv SET STATISTICS 1000")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _create_sqlite(schema_editor)
    elif vendor == "postgresql":
        _create_postgres(schema_editor)
    else:
        return
    document = apps.get_model("search", "SearchDocument")
    rows = document.objects.values_list("id", "date", "tokens", "unit_ids").iterator()
    with schema_editor.connection.cursor() as cursor:
        for doc_id, day, tokens, unit_ids in rows:
            key = _key(doc_id, day)
            if vendor == "sqlite":
                cursor.execute("INSERT INTO search_fts(rowid, tokens) VALUES (%s, %s)", [key, tokens])
                cursor.execute(
                    "INSERT INTO search_units(key, units) VALUES (%s, %s)",
                    [key, ",".join(map(str, unit_ids or []))],
                )
            else:
                cursor.execute(
                    "INSERT INTO search_tsv (key, tsv, unit_ids) "
                    "VALUES (%s, array_to_tsvector(string_to_array(%s, ' ')), %s)",
                    [key, tokens, list(unit_ids or [])],
                )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
