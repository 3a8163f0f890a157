"""The worker keeps SQLite's planner statistics, so a word filter's id lists are read through
the covering indexes made for them, not row by row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from jianbao.accounts.models import User
from jianbao.operations import task_worker
from jianbao.operations.query_statistics import refresh_query_statistics
from jianbao.submissions import selectors
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db(transaction=True)  # the worker manages its connections


def _plan(sql: str, params: list[Any]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return " ".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL's autovacuum analyzes")
def test_the_worker_analyzes_so_word_filters_use_their_covering_indexes(
    reporter_a: User, editor: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(task_worker.time, "sleep", lambda _: None)
    for n in range(40):
        make_submission(author=reporter_a, state=State.SUBMITTED, title=f"网格化治理第{n}篇")
    counts = selectors.state_counts(
        selectors.submissions_visible_to(editor).filter(pk__any_of=frozenset(range(1, 400)))
    )
    assert counts == {State.SUBMITTED: 40}
    query = (
        selectors.submissions_visible_to(editor)
        .filter(pk__any_of=frozenset(range(1, 400)))
        .order_by()
        .values("state")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:  # as deployed: no statistics (other tests analyze)
        cursor.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'")
        if cursor.fetchone()[0]:
            cursor.execute("DELETE FROM sqlite_stat1")
    connection.close()  # the next connection plans without them
    assert "submission_by_id_listed_idx" not in _plan(sql, list(params))

    task_worker.ResilientWorker(interval=0.1, batch=True).run()  # no task: analyzes, ends

    assert "COVERING INDEX submission_by_id_listed_idx" in _plan(sql, list(params))


def test_statistics_are_refreshed_on_sqlite_only() -> None:
    assert refresh_query_statistics() is (connection.vendor == "sqlite")
