"""Tag each document with the broad audiences it is hidden from (see services.BROAD_AUDIENCES).

Only tag tokens change, so the full-text rows are rewritten from the stored tokens; no words
are segmented again.
"""

from datetime import date

from django.db import migrations

ID_BITS = 32
EPOCH = date(1900, 1, 1)
BROAD_AUDIENCES = ("office", "published", "leader")
PREFIX = "xqvnot"


def _key(doc_id, day):
    return (((day - EPOCH).days if day else 0) << ID_BITS) | doc_id


def _rewrite(cursor, vendor, key, old_tokens, tokens):
    # Plain SQL on the tables as 0002 left them: the live backend writes later columns.
    if vendor == "sqlite":
        cursor.execute(
            "INSERT INTO search_fts(search_fts, rowid, tokens) VALUES ('delete', %s, %s)",
            [key, " ".join(old_tokens)],
        )
        cursor.execute("INSERT INTO search_fts(rowid, tokens) VALUES (%s, %s)", [key, " ".join(tokens)])
        return
    gone = sorted(set(old_tokens) - set(tokens))
    added = sorted(set(tokens) - set(old_tokens))
    cursor.execute(
        "UPDATE search_tsv SET tsv = ts_delete(tsv, %s::text[]) || array_to_tsvector(%s::text[]) "
        "WHERE key = %s",
        [gone, added, key],
    )


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    document = apps.get_model("search", "SearchDocument")
    with schema_editor.connection.cursor() as cursor:
        for doc in document.objects.iterator(chunk_size=2000):
            old_tokens = doc.tokens.split()
            visibility = doc.visibility.split()
            tokens = [t for t in old_tokens if not t.startswith(PREFIX)]
            tokens += [PREFIX + tag for tag in BROAD_AUDIENCES if tag not in visibility]
            if tokens == old_tokens:
                continue
            _rewrite(cursor, vendor, _key(doc.pk, doc.date), old_tokens, tokens)
            doc.tokens = " ".join(tokens)
            doc.save(update_fields=["tokens"])


class Migration(migrations.Migration):
    dependencies = [("search", "0002_keyed_fulltext")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
