"""Instruction follow-up in a real browser: a leader's instruction leads to a unit's feedback,
the leader reads it on 「我的批示」 and the office closes it. Playwright with Debian's chromium."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.conftest import BROWSER_TEST, browser_login
from jianbao.instructions.models import FollowUp, FollowUpState
from jianbao.instructions.tests.factories import printed_entry

pytestmark = BROWSER_TEST


def test_leader_instruction_unit_feedback_and_closure(
    browser: Any, live_server: Any, leader: User, editor: User, reporter_a: User
) -> None:
    base = live_server.url
    entry = printed_entry(units=[reporter_a.unit])
    due = timezone.localdate() + timedelta(days=5)

    boss = browser.new_page(viewport={"width": 390, "height": 844})
    browser_login(boss, base, leader)
    boss.goto(f"{base}/instructions/new/?entry={entry.pk}")
    boss.select_option("#id_leader_level", "district")
    boss.fill("#id_text", "请宣传部总结经验，一周内报进展。")
    boss.fill("#id_due_date", due.isoformat())
    boss.click("button:has-text('记录并交办')")
    boss.wait_for_selector("text=批示已记录并交办")
    follow_up = FollowUp.objects.get()

    unit = browser.new_page(viewport={"width": 390, "height": 844})
    browser_login(unit, base, reporter_a)
    unit.click("#instructions >> text=请宣传部总结经验")
    unit.fill("#id_text", "已制定方案，开设专栏。")
    unit.click("button:has-text('报送反馈')")
    unit.wait_for_selector("text=反馈已报送")

    boss.goto(f"{base}/instructions/mine/")
    assert "已制定方案，开设专栏" in boss.locator("#follow-ups").inner_text()

    office = browser.new_page(viewport={"width": 1366, "height": 900})
    browser_login(office, base, editor)
    assert "已反馈" in office.locator("#instruction-feedback").inner_text()
    office.click("#instruction-feedback >> text=区委宣传部")
    office.click("button:has-text('办结')")
    office.wait_for_selector("text=批示已办结")
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.CLOSED
