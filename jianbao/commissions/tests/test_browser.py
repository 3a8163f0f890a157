"""Commissions in a real browser: a reporter answers from the home page, the editor sees the
answer and another unit's missed deadline. Playwright driving Debian's headless chromium."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.commissions.models import TargetState
from jianbao.commissions.services import do_sweep_commissions
from jianbao.commissions.tests.factories import make_commission
from jianbao.conftest import BROWSER_TEST, browser_login

pytestmark = BROWSER_TEST


def test_reporter_answers_and_editor_sees_answer_and_lateness(
    browser: Any, live_server: Any, editor: User, reporter_a: User, reporter_b: User
) -> None:
    base = live_server.url
    current = make_commission(
        editor=editor,
        units=[reporter_a.unit, reporter_b.unit],
        title="关于报送基层治理创新做法的约稿",
        issued_on=timezone.localdate(),
    )
    earlier = make_commission(
        editor=editor, units=[reporter_b.unit], title="关于报送国庆假期活动的约稿",
        issued_on=date(2025, 9, 25),
    )  # fmt: skip
    do_sweep_commissions()  # the worker's sweep: 区总工会 missed the earlier deadline

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    browser_login(page, base, reporter_a)
    page.click("#commissions >> text=关于报送基层治理创新做法的约稿")
    page.wait_for_selector("text=剩余")
    page.click("text=报送稿件")
    page.fill("#id_title", "区委宣传部“网格+志愿”破解基层治理难题")
    page.fill("#id_body", "一是划细网格。\n二是志愿者常驻网格。")
    page.click("button:has-text('报送')")
    page.wait_for_selector("text=已报送并关联本约稿")
    assert current.targets.get(unit=reporter_a.unit).state == TargetState.ANSWERED

    office = browser.new_page(viewport={"width": 1366, "height": 900})
    browser_login(office, base, editor)
    panel = office.locator("#commission-answers")
    assert "区委宣传部" in panel.inner_text()
    assert "逾期未报" in panel.inner_text() and "区总工会" in panel.inner_text()
    office.click("#commission-answers >> text=关于报送基层治理创新做法的约稿")
    table = office.locator("#targets").inner_text()
    assert "网格+志愿" in table and "已按时报送" in table and "待报送" in table
    office.goto(f"{base}/commissions/{earlier.pk}/")
    assert "逾期未报" in office.locator("#targets").inner_text()
