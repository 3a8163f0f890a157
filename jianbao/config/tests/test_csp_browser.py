"""Under the Content-Security-Policy the pages still work in a real browser (htmx included),
and the browser reports no violation."""

from __future__ import annotations

from jianbao.accounts.models import User
from jianbao.conftest import BROWSER_TEST, browser_login
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = BROWSER_TEST


def test_htmx_filters_work_and_nothing_violates_the_policy(
    browser: object, live_server: object, reporter_a: User, editor: User, unit_b: object
) -> None:
    make_submission(author=reporter_a, title="宣传部的信息", state=State.SUBMITTED)
    base = live_server.url  # type: ignore[attr-defined]
    page = browser.new_page()  # type: ignore[attr-defined]
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    browser_login(page, base, editor)
    page.goto(f"{base}/submissions/inbox/")
    assert "宣传部的信息" in page.content()
    csp = page.evaluate("() => document.querySelector('meta[name=htmx-config]').content")
    assert '"allowEval": false' in csp
    page.select_option("#id_unit", label="区总工会")  # htmx swaps the results in place
    page.wait_for_selector("text=没有符合条件的稿件")
    assert "宣传部的信息" not in page.content()
    assert violations == []
