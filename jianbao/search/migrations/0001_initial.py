from django.db import migrations, models

FTS_TABLE = "search_fts"
TSV_TABLE = "search_tsv"


def create_fulltext(apps, schema_editor):
    """The full-text structure differs per database; both are keyed by SearchDocument.id."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        # Contentless with columnsize=0: ranking reads only the postings (DESIGN.md §10).
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "tokens, content='', columnsize=0, tokenize='unicode61 remove_diacritics 0')"
        )
    elif vendor == "postgresql":
        # A narrow table keeps the tsvector inline and the GIN index small (DESIGN.md §10).
        schema_editor.execute(
            f"CREATE TABLE {TSV_TABLE} (doc_id bigint PRIMARY KEY REFERENCES "
            "search_searchdocument(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, "
            "tsv tsvector NOT NULL)"
        )
        schema_editor.execute(f"CREATE INDEX {TSV_TABLE}_gin ON {TSV_TABLE} USING gin (tsv)")
        schema_editor.execute(f"ALTER TABLE {TSV_TABLE} ALTER COLUMN tsv SET STATISTICS 1000")


def drop_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TSV_TABLE}")


class Migration(migrations.Migration):
    initial = True

    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("doc_type", models.CharField(choices=[("submission", "稿件"), ("entry", "简报条目"), ("archive_entry", "历史档案")], max_length=20)),
                ("object_id", models.BigIntegerField()),
                ("title", models.CharField(blank=True, max_length=300)),
                ("body", models.TextField(blank=True)),
                ("unit_ids", models.JSONField(blank=True, default=list)),
                ("unit_names", models.CharField(blank=True, max_length=500)),
                ("series", models.CharField(blank=True, max_length=100)),
                ("year", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("number", models.PositiveIntegerField(blank=True, null=True)),
                ("state", models.CharField(blank=True, max_length=30)),
                ("kind", models.CharField(blank=True, max_length=20)),
                ("date", models.DateField(blank=True, null=True)),
                ("visibility", models.CharField(blank=True, max_length=200)),
                ("tokens", models.TextField(blank=True)),
                ("indexed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "检索文档",
                "verbose_name_plural": "检索文档",
                "constraints": [models.UniqueConstraint(fields=("doc_type", "object_id"), name="search_doc_unique")],
                "indexes": [models.Index(fields=["date", "id"], name="search_doc_date_idx")],
            },
        ),
        migrations.RunPython(create_fulltext, drop_fulltext),
    ]
