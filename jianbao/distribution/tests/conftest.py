"""Fixtures of the distribution tests: a series with a list, and publishing an issue of it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from jianbao.accounts.models import Role, Unit, User
from jianbao.accounts.tests.factories import UnitFactory, UserFactory
from jianbao.bulletins import rendering
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.services import (
    do_create_entry,
    do_create_issue,
    do_create_series,
    do_transition_issue,
)

FAKE_PDF = b"%PDF-1.7\n% test stand-in\n"
FAKE_OFD = b"PK\x05\x06" + bytes(18)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def stub_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Typst: publishing stores stand-in PDF and OFD files."""
    monkeypatch.setattr(rendering, "render_pdf", lambda bulletin: FAKE_PDF)
    monkeypatch.setattr(rendering, "render_ofd", lambda bulletin: FAKE_OFD)


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    """Queued tasks run at once (when the publishing transaction's on-commit callbacks run)."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def series(editor: User) -> Series:
    return do_create_series(
        actor=editor,
        title="上街信息",
        organ="中共上街区委办公室",
        send_to="区县处级领导",
        distribute_to="区直各单位负责同志",
        copies=40,
    )


@pytest.fixture
def town(db: None) -> Unit:
    return UnitFactory(name="峡窝镇")


@pytest.fixture
def leaders(db: None) -> list[User]:
    """Three 区县处级领导."""
    return [
        UserFactory(username=f"leader{i}", display_name=name, roles=[Role.LEADER])
        for i, name in enumerate(["张书记", "李区长", "王部长"], start=1)
    ]


Publish = Callable[..., Issue]


@pytest.fixture
def publish(
    series: Series, editor: User, chief: User, django_capture_on_commit_callbacks: Any
) -> Publish:
    """Publish a new one-entry issue of `series` and run what the commit queues."""
    numbers = iter(range(1, 1000))

    def _publish(*, issue: Issue | None = None) -> Issue:
        if issue is None:
            issue = do_create_issue(
                series=series, actor=editor, issue_date=datetime.date(2024, 6, 17)
            )
            do_create_entry(
                issue=issue, actor=editor, kind="item", title=f"标题{next(numbers)}", body="正文。"
            )
        issue = do_transition_issue(issue=issue, action="proof", actor=editor)
        issue = do_transition_issue(issue=issue, action="sign", actor=chief)
        with django_capture_on_commit_callbacks(execute=True):
            issue = do_transition_issue(issue=issue, action="publish", actor=editor)
        return Issue.objects.get(pk=issue.pk)

    return _publish
