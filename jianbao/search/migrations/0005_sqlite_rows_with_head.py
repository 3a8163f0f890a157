"""SQLite: rank by each document's first tokens instead of FTS5's bm25 (see backends/sqlite.py).

`search_units` becomes `search_rows` and gains `head`, the document's first tokens, each wrapped
in its own spaces. They are filled from the tokens stored on each SearchDocument (no
re-segmentation).
"""

from datetime import date

from django.db import migrations

# As in jianbao.search.backends when this was written.
HEAD_TOKENS = 64
ID_BITS = 32
EPOCH = date(1900, 1, 1)
BATCH = 2000


def _key(doc_id, day):
    return (((day - EPOCH).days if day else 0) << ID_BITS) | doc_id


def _head(tokens):
    return "".join(f" {token} " for token in tokens.split()[:HEAD_TOKENS])


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("ALTER TABLE search_units RENAME TO search_rows")
    schema_editor.execute("ALTER TABLE search_rows ADD COLUMN head TEXT NOT NULL DEFAULT ''")
    document = apps.get_model("search", "SearchDocument")
    rows = document.objects.values_list("id", "date", "tokens").iterator(chunk_size=BATCH)
    update = "UPDATE search_rows SET head = %s WHERE key = %s"
    with schema_editor.connection.cursor() as cursor:
        batch = []
        for doc_id, day, tokens in rows:
            batch.append((_head(tokens), _key(doc_id, day)))
            if len(batch) >= BATCH:
                cursor.executemany(update, batch)
                batch = []
        if batch:
            cursor.executemany(update, batch)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ALTER TABLE search_rows DROP COLUMN head")
        schema_editor.execute("ALTER TABLE search_rows RENAME TO search_units")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_head_and_period_tags")]

    operations = [migrations.RunPython(forward, backward)]
