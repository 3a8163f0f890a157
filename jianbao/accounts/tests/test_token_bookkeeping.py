"""A token's last use is bookkeeping: written at most once per JIANBAO_TOKEN_TOUCH_MINUTES, and
a request never fails (nor waits) because that write could not be made."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from jianbao.accounts.models import ApiToken, User
from jianbao.accounts.services import do_issue_api_token
from jianbao.search.tests.disk_db import migrated_database, run_in_django

pytestmark = pytest.mark.django_db


def _get(key: str) -> int:
    response = Client().get("/api/v1/submissions", headers={"Authorization": f"Bearer {key}"})
    return response.status_code


@contextmanager
def _token_writes_fail() -> Iterator[list[str]]:
    """Every UPDATE of a token fails as a locked SQLite database does."""
    refused: list[str] = []

    def refuse(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if sql.startswith("UPDATE") and "accounts_apitoken" in sql:
            refused.append(sql)
            raise OperationalError("database is locked")
        return execute(sql, *args)

    with connection.execute_wrapper(refuse):
        yield refused


def test_last_use_is_written_once_within_the_window(reporter_a: User) -> None:
    token, key = do_issue_api_token(user=reporter_a, name="OA")
    assert _get(key) == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert _get(key) == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # the second use within 5 minutes wrote nothing


def test_last_use_is_written_again_after_the_window(reporter_a: User, settings: Any) -> None:
    settings.JIANBAO_TOKEN_TOUCH_MINUTES = 5
    token, key = do_issue_api_token(user=reporter_a, name="OA")
    long_ago = timezone.now() - timedelta(minutes=6)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    assert _get(key) == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > long_ago


def test_request_succeeds_when_the_bookkeeping_write_fails(reporter_a: User) -> None:
    token, key = do_issue_api_token(user=reporter_a, name="OA")
    with _token_writes_fail() as refused:
        assert _get(key) == 200
    assert refused  # the write was tried, and failed
    token.refresh_from_db()
    assert token.last_used_at is None
    assert _get(key) == 200  # the connection is still usable
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_still_refused(reporter_a: User) -> None:
    token, key = do_issue_api_token(user=reporter_a, name="OA")
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    assert _get(key) == 401


LOCKED = """
import sqlite3
from django.conf import settings
from jianbao.accounts.models import ApiToken
from jianbao.accounts.services import do_create_user, do_issue_api_token, touch_api_token
user = do_create_user(username="oa", password="x-password-1")
token, key = do_issue_api_token(user=user, name="OA")
holder = sqlite3.connect(settings.DATABASES["default"]["NAME"])
holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
started = time.perf_counter()
found = touch_api_token(key=key)
took = time.perf_counter() - started
holder.rollback()
print(json.dumps({"user": found.username, "took": took,
                  "written": ApiToken.objects.get().last_used_at is not None}))
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite write lock")
def test_busy_database_skips_the_bookkeeping_without_waiting(tmp_path: Path) -> None:
    template = migrated_database(tmp_path / "template")
    result = run_in_django(template, tmp_path / "data", LOCKED)
    assert result["user"] == "oa"
    assert result["written"] is False
    assert result["took"] < 1.0  # not the 5 s busy timeout
