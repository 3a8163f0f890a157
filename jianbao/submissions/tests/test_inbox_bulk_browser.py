"""Bulk actions in the inbox, in a real browser: tick several items, claim them at once."""

from __future__ import annotations

from typing import Any

import pytest

from jianbao.accounts.models import User
from jianbao.conftest import BROWSER_TEST, browser_login
from jianbao.submissions.models import Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = BROWSER_TEST
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_an_editor_ticks_several_inbox_items_and_claims_them_at_once(
    browser: Any, live_server: Any, reporter_a: User, editor: User, viewport: dict[str, int]
) -> None:
    first, second, third = (
        make_submission(author=reporter_a, state=State.SUBMITTED, title=title)
        for title in ("夜间模式开放", "文明实践站揭牌", "志愿服务队成立")
    )
    page = browser.new_page(viewport=viewport)
    browser_login(page, live_server.url, editor)
    page.goto(f"{live_server.url}/submissions/inbox/")
    for item in (first, third):
        page.locator(f"#pick-{item.pk}").check()
    page.select_option("#bulk-action", "claim")
    page.locator("#bulk-form .bulk-bar button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    messages = page.locator("ul.messages").inner_text()
    assert "批量操作完成：成功 2 篇，未成功 0 篇。" in messages
    assert "夜间模式开放" in messages and "志愿服务队成立" in messages
    claimed = dict(Submission.objects.values_list("title", "claimed_by"))
    assert claimed == {
        "夜间模式开放": editor.pk,
        "志愿服务队成立": editor.pk,
        "文明实践站揭牌": None,
    }
    assert "/submissions/inbox/" in page.url  # back on the same inbox view
    # The list now names the editor as the holder of the two items, not of the third.
    row = page.locator("tr", has=page.locator(f"#pick-{first.pk}"))
    assert str(editor) in row.inner_text()
    other = page.locator("tr", has=page.locator(f"#pick-{second.pk}"))
    assert str(editor) not in other.inner_text()
    wide = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not wide
