"""Fresh query-planner statistics on SQLite.

SQLite plans without statistics until someone runs ANALYZE, and nobody does in a deployment:
it then reads a word filter's 2,000 submissions and search documents row by row (bodies and
all) instead of through the covering indexes made for them (`submission_by_id_listed_idx`,
`search_doc_object_idx`), about twice the time. A sampled ANALYZE (`PRAGMA analysis_limit`)
takes ~50 ms at 100,000 submissions; the background worker runs it at start-up and every
`JIANBAO_ANALYZE_SECONDS`. PostgreSQL's autovacuum keeps its own statistics.
"""

from __future__ import annotations

from django.db import connection, transaction

# Rows SQLite samples per index (its recommended range is 100–1000).
ANALYSIS_LIMIT = 1000


@transaction.atomic
def refresh_query_statistics() -> bool:
    """Refresh SQLite's planner statistics from a sample; True when run (SQLite only)."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
