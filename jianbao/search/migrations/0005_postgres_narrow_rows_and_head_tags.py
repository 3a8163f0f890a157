"""PostgreSQL: keep `search_tsv` rows narrow and tag the words of each document's head.

Both vectors move out of line (`toast_tuple_target = 128`, `STORAGE EXTERNAL`), so a row is its
key, its units and two pointers (~100 bytes) and the heap pages a window of newest matches visits
stay in PostgreSQL's buffers. Ranking still reads `head`, but only for the matches whose head holds
a query word: each word of the head is also in the tsvector as `xqh<word>` (see
backends/postgres.py). The table is rewritten in key order in plain SQL, from the rows as 0004 left
them.
"""

from django.db import migrations

# As in jianbao.search.backends.postgres when this was written.
HEAD_TAG = "xqh"

CREATE = """
CREATE TABLE search_tsv_narrow (
    key bigint PRIMARY KEY,
    tsv tsvector NOT NULL,
    head tsvector NOT NULL,
    unit_ids integer[] NOT NULL DEFAULT '{}'
) WITH (toast_tuple_target = 128)
"""
STORAGE = (
    "ALTER TABLE search_tsv_narrow ALTER COLUMN tsv SET STORAGE EXTERNAL, "
    "ALTER COLUMN head SET STORAGE EXTERNAL, ALTER COLUMN tsv SET STATISTICS 1000"
)
COPY = f"""
INSERT INTO search_tsv_narrow (key, tsv, head, unit_ids)
SELECT key,
       tsv || array_to_tsvector(ARRAY(SELECT '{HEAD_TAG}' || lexeme FROM unnest(head))),
       head, unit_ids
FROM search_tsv ORDER BY key
"""
SWAP = [
    "DROP TABLE search_tsv",
    "ALTER TABLE search_tsv_narrow RENAME TO search_tsv",
    "ALTER INDEX search_tsv_narrow_pkey RENAME TO search_tsv_pkey",
    "CREATE INDEX search_tsv_gin ON search_tsv USING gin (tsv)",
    "ANALYZE search_tsv",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [CREATE, STORAGE, COPY, *SWAP]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_head_and_period_tags")]

    # Backwards the narrow table serves as it is: the head tags are tokens no query asks for.
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
