"""Tag each document with the broad audiences it is hidden from (see services.BROAD_AUDIENCES).

Only tag tokens change, so the full-text rows are rewritten from the stored tokens; no words
are segmented again.
"""

from django.db import migrations

BROAD_AUDIENCES = ("office", "published", "leader")
PREFIX = "xqvnot"


def forward(apps, schema_editor):
    from jianbao.search.backends import IndexRow, get_backend

    if schema_editor.connection.vendor not in ("sqlite", "postgresql"):
        return
    backend = get_backend()
    document = apps.get_model("search", "SearchDocument")
    for doc in document.objects.iterator():
        old_tokens = doc.tokens.split()
        visibility = doc.visibility.split()
        tokens = [t for t in old_tokens if not t.startswith(PREFIX)]
        tokens += [PREFIX + tag for tag in BROAD_AUDIENCES if tag not in visibility]
        if tokens == old_tokens:
            continue
        units = list(doc.unit_ids or [])
        backend.upsert(
            IndexRow(doc.pk, doc.date, tokens, units), old=IndexRow(doc.pk, doc.date, old_tokens, units)
        )
        doc.tokens = " ".join(tokens)
        doc.save(update_fields=["tokens"])


class Migration(migrations.Migration):
    dependencies = [("search", "0002_keyed_fulltext")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
