"""The submission desk in a real browser: Playwright driving Debian's headless chromium."""

from __future__ import annotations

from jianbao.accounts.models import User
from jianbao.conftest import BROWSER_TEST
from jianbao.submissions.models import Submission
from jianbao.submissions.workflow import State

pytestmark = BROWSER_TEST


def new_page(browser: object, base: str, username: str) -> object:
    page = browser.new_page(viewport={"width": 1366, "height": 768})  # type: ignore[attr-defined]
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "test-password-123")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_reporter_submits_and_editor_adopts_in_the_browser(
    browser: object, live_server: object, reporter_a: User, editor: User, unit_b: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    page = new_page(browser, base, "reporter_a")
    page.click("text=写信息")  # type: ignore[attr-defined]
    page.fill("#id_title", "区委宣传部开展文明实践“夜间模式”")  # type: ignore[attr-defined]
    page.fill("#id_body", "延长新时代文明实践中心开放时间。\n晚间持续开展公益课堂。")  # type: ignore[attr-defined]
    page.click("button[value=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("text=操作成功")  # type: ignore[attr-defined]
    item = Submission.objects.get()
    assert item.state == State.SUBMITTED

    office = new_page(browser, base, "editor")
    assert "区委宣传部开展文明实践" in office.content()  # type: ignore[attr-defined]
    # The editor lands on the 工作台 (new items listed there); the inbox has the filters.
    office.goto(f"{base}/submissions/inbox/")  # type: ignore[attr-defined]
    # Filtering by another unit swaps the results in place (htmx) and keeps the URL shareable.
    office.select_option("#id_unit", label="区总工会")  # type: ignore[attr-defined]
    office.wait_for_selector("text=没有符合条件的稿件")  # type: ignore[attr-defined]
    assert "unit=" in office.url  # type: ignore[attr-defined]
    office.goto(f"{base}/submissions/{item.pk}/")  # type: ignore[attr-defined]
    office.click("button:text-is('认领')")  # type: ignore[attr-defined]
    office.wait_for_selector("text=已认领")  # type: ignore[attr-defined]
    office.click("button:text-is('采用')")  # type: ignore[attr-defined]
    office.wait_for_selector(".badge.state-adopted")  # type: ignore[attr-defined]
    item.refresh_from_db()
    assert item.state == State.ADOPTED
    assert item.claimed_by == editor
