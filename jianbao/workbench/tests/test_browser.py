"""The 工作台 in a real browser: Playwright driving Debian's headless chromium."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from jianbao.accounts.models import User
from jianbao.bulletins import rendering
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services import (
    do_add_submissions,
    do_create_issue,
    do_create_series,
    do_transition_issue,
)
from jianbao.bulletins.workflow import IssueState
from jianbao.conftest import BROWSER_TEST, browser_login
from jianbao.submissions.services import do_transition
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = BROWSER_TEST


def signed_in(browser: Any, base: str, user: User) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    browser_login(page, base, user)
    return page


def test_returned_item_appears_on_the_reporters_home_with_its_reason(
    browser: Any, live_server: Any, reporter_a: User, editor: User
) -> None:
    item = make_submission(
        author=reporter_a, state=State.IN_REVIEW, editor=editor, title="夜间模式"
    )
    do_transition(submission=item, action="return", actor=editor, reason="请补充参与人数")
    page = signed_in(browser, live_server.url, reporter_a)
    assert page.url.rstrip("/") == live_server.url  # every role lands on the 工作台
    panel = page.locator("#returned")
    assert "夜间模式" in panel.inner_text()
    assert "请补充参与人数" in panel.inner_text()
    assert page.locator("header .bell .count").inner_text() == "1"
    panel.locator("a", has_text="夜间模式").click()
    page.wait_for_load_state("networkidle")
    assert f"/submissions/{item.pk}/" in page.url
    assert "请补充参与人数" in page.content()


def test_chief_signs_from_his_home_page(  # noqa: PLR0917
    browser: Any,
    live_server: Any,
    reporter_a: User,
    editor: User,
    chief: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rendering, "render_pdf", lambda bulletin: b"%PDF-1.7\n")
    item = make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)
    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    do_add_submissions(issue=issue, actor=editor, submissions=[item])
    issue.refresh_from_db()
    do_transition_issue(issue=issue, action="proof", actor=editor)
    page = signed_in(browser, live_server.url, chief)
    assert page.url.rstrip("/") == live_server.url, page.url
    panel = page.locator("#to-sign")
    assert "上街信息 2024年第1期" in panel.inner_text()
    panel.locator("a", has_text="审阅并签发").click()
    page.wait_for_selector("#sign-what")  # the confirmation shows what is signed
    page.fill("#sign-comment", "同意印发。")
    page.locator("form button", has_text="确认签发").click()
    page.wait_for_load_state("networkidle")
    issue.refresh_from_db()
    assert issue.state == IssueState.SIGNED and issue.signed_by == chief
    assert "已签发" in page.content()
    page.goto(live_server.url + "/")
    assert "没有等待签发的期刊" in page.locator("#to-sign").inner_text()
    assert Issue.objects.filter(state=IssueState.PROOF).count() == 0
