"""PostgreSQL: rank by a small in-row tsvector of each document's first tokens (`head`), and add
the year and month tags of each document's date to its tsvector (see backends/postgres.py).

Both are filled from the tokens stored on each SearchDocument (no re-segmentation). The GIN index
is dropped while the rows are rewritten, so a large archive is not re-indexed row by row.
"""

from collections import defaultdict
from datetime import date

from django.db import migrations

# As in jianbao.search.backends when this was written.
HEAD_TOKENS = 64
TAG = "xq"
ID_BITS = 32
EPOCH = date(1900, 1, 1)
BATCH = 2000


def _key(doc_id, day):
    return (((day - EPOCH).days if day else 0) << ID_BITS) | doc_id


def _literal(tokens):
    positions = defaultdict(list)
    for index, token in enumerate(tokens, start=1):
        positions[token].append(index)
    return " ".join(
        "'" + token.replace("\\", "\\\\").replace("'", "''") + "':" + ",".join(map(str, places))
        for token, places in positions.items()
    )


def _periods(day):
    return f"{TAG}y{day.year} {TAG}m{day.year}{day.month:02d}" if day else ""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_tsv ADD COLUMN head tsvector")
    schema_editor.execute("DROP INDEX IF EXISTS search_tsv_gin")
    document = apps.get_model("search", "SearchDocument")
    rows = document.objects.values_list("id", "date", "tokens").iterator(chunk_size=BATCH)
    update = (
        "UPDATE search_tsv SET head = %s::tsvector, tsv = tsv || %s::tsvector WHERE key = %s"
    )
    with schema_editor.connection.cursor() as cursor:
        batch = []
        for doc_id, day, tokens in rows:
            head = _literal(tokens.split()[:HEAD_TOKENS])
            batch.append((head, _periods(day), _key(doc_id, day)))
            if len(batch) >= BATCH:
                cursor.executemany(update, batch)
                batch = []
        if batch:
            cursor.executemany(update, batch)
    schema_editor.execute("UPDATE search_tsv SET head = ''::tsvector WHERE head IS NULL")
    schema_editor.execute("ALTER TABLE search_tsv ALTER COLUMN head SET NOT NULL")
    schema_editor.execute("CREATE INDEX search_tsv_gin ON search_tsv USING gin (tsv)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The period tags stay in the tsvectors: harmless tokens no query asks for.
        schema_editor.execute("ALTER TABLE search_tsv DROP COLUMN head")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_hidden_audience_tags")]

    operations = [migrations.RunPython(forward, backward)]
