"""A reporter's published item names the issue, shows what the office changed and its points."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services import do_add_submissions, do_transition_issue, do_update_entry
from jianbao.bulletins.tests.conftest import AdoptedFactory, CaptureOnCommit

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_published_item_page_shows_issue_changes_and_points(
    login: Login,
    issue: Issue,
    editor: User,
    *,
    chief: User,
    reporter_a: User,
    adopted: AdoptedFactory,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    item = adopted(title="文明实践三个模式", body="一是打造夜间模式，延长开放时间。")
    (entry,) = do_add_submissions(issue=issue, actor=editor, submissions=[item])
    do_update_entry(
        entry=entry, actor=editor, expected_version=entry.version, kind="item",
        title="区委宣传部创新打造文明实践“三个模式”", body="一是打造夜间模式。",
        section="", source_line=None,
    )  # fmt: skip
    issue = do_transition_issue(issue=issue, action="proof", actor=editor)
    issue = do_transition_issue(issue=issue, action="sign", actor=chief)
    with django_capture_on_commit_callbacks(execute=True):
        do_transition_issue(issue=issue, action="publish", actor=editor)
    page = login(reporter_a).get(reverse("submissions:detail", args=[item.pk])).content.decode()
    assert "刊发结果" in page
    assert f"《上街信息》{issue.year}年第{issue.number}期" in page
    assert reverse("bulletins:read", args=[issue.pk]) in page
    assert "<del>，延长开放时间</del>" in page  # what the office cut
    assert "积分" in page
