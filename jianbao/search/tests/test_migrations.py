"""The search migrations run on a database that already holds documents."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jianbao.search.backends import get_backend
from jianbao.search.backends.base import MatchQuery

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("search", "0002_keyed_fulltext")]
TOKENS = "区总工会 集体 协商 集体协商 xqall xqtarchiveentry xqvoffice xqvpublished xqy2023"


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_documents_indexed_before_0003_are_found_after_every_later_migration() -> None:
    executor = _migrate(BEFORE)
    document = executor.loader.project_state(BEFORE).apps.get_model("search", "SearchDocument")
    doc = document.objects.create(
        doc_type="archive_entry", object_id=7, title="区总工会推进集体协商", body="召开推进会。",
        date=date(2023, 3, 10), visibility="office published", tokens=TOKENS,
    )  # fmt: skip
    key = ((date(2023, 3, 10) - date(1900, 1, 1)).days << 32) | doc.pk
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_fts(rowid, tokens) VALUES (%s, %s)", [key, TOKENS])
            cursor.execute("INSERT INTO search_units(key, units) VALUES (%s, '')", [key])
        else:
            cursor.execute(
                "INSERT INTO search_tsv (key, tsv) VALUES (%s, array_to_tsvector(%s::text[]))",
                [key, TOKENS.split()],
            )
    _migrate(executor.loader.graph.leaf_nodes())
    backend = get_backend()
    # 0003 tagged the document as hidden from leaders: an office search finds it, a leader's not.
    assert backend.newest(
        MatchQuery(required=["集体协商"], excluded=["xqvnotoffice"]), limit=5
    ) == [doc.pk]
    assert (
        backend.newest(MatchQuery(required=["集体协商"], excluded=["xqvnotleader"]), limit=5) == []
    )
    dated = MatchQuery(required=["协商"], date_from=date(2023, 1, 1), date_to=date(2023, 12, 31))
    assert get_backend().newest(dated, limit=5) == [doc.pk]
    # 0004 (PostgreSQL) and 0005 (SQLite) filled the head relevance is computed from.
    ranked = get_backend().window(MatchQuery(required=["集体协商"], words=["集体协商"]))
    assert [row.score > 0 for row in ranked] == [True]
