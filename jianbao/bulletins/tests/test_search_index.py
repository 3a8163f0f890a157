"""An issue's entries are findable as soon as they are saved, and gone when removed or voided."""

from __future__ import annotations

import pytest

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services import (
    do_create_entry,
    do_remove_entry,
    do_transition_issue,
    do_update_entry,
    do_update_footer,
)
from jianbao.search.selectors import SearchFilters, search

pytestmark = pytest.mark.django_db


def titles(user: User, query: str) -> list[str]:
    return [hit.title for hit in search(user, query, SearchFilters()).hits]


def test_saved_entries_follow_every_write(issue: Issue, editor: User, reporter_a: User) -> None:
    entry = do_create_entry(
        issue=issue,
        actor=editor,
        kind="item",
        title="区总工会深入推进集体协商",
        body="召开启动会。",
    )
    assert "区总工会深入推进集体协商" in titles(editor, "集体协商")
    assert titles(reporter_a, "集体协商") == []  # a draft issue is the office's business
    entry = do_update_entry(
        entry=entry,
        actor=editor,
        expected_version=entry.version,
        kind="item",
        title="区总工会推进工资集体协商",
        body="召开要约行动启动会。",
        section="",
        source_line=None,
    )
    assert "区总工会推进工资集体协商" in titles(editor, "要约行动")
    do_remove_entry(entry=entry, actor=editor)
    assert titles(editor, "要约行动") == []


def test_a_voided_issue_leaves_the_index(issue: Issue, editor: User) -> None:
    do_create_entry(issue=issue, actor=editor, kind="item", title="网格化治理", body="织密服务网。")
    assert titles(editor, "网格化治理")
    do_transition_issue(issue=issue, action="void", actor=editor, reason="重复编号")
    assert titles(editor, "网格化治理") == []


def test_footer_editors_are_found_once_saved(issue: Issue, editor: User) -> None:
    do_create_entry(issue=issue, actor=editor, kind="item", title="网格化治理", body="织密服务网。")
    assert titles(editor, "欧阳明远") == []
    issue.refresh_from_db()
    do_update_footer(
        issue=issue, actor=editor, expected_version=issue.version, editors=["欧阳明远"]
    )
    assert titles(editor, "欧阳明远") == ["网格化治理"]
