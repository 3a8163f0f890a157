"""Emergency reports in a real browser: a follow-up filed after its limit is flagged late for
the reporter and the office, and the countdown shows 已逾期. Playwright with Debian's chromium."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.conftest import BROWSER_TEST, browser_login
from jianbao.emergency.models import EmergencyReport
from jianbao.emergency.services import Elements, do_add_report, do_start_emergency

pytestmark = BROWSER_TEST


def test_a_late_follow_up_is_flagged(
    browser: Any, live_server: Any, reporter_a: User, editor: User, settings: Any
) -> None:
    settings.JIANBAO_EMERGENCY_FOLLOWUP_HOURS = 1
    base = live_server.url
    start = timezone.now() - timedelta(hours=2)
    thread = do_start_emergency(actor=reporter_a, title="中心路货车与公交车相撞", now=start)
    elements = Elements(occurred="9时40分", place="中心路", what="两车相撞。", contact="李明 138")
    do_add_report(
        actor=reporter_a, thread=thread, kind="initial", elements=elements,
        now=start + timedelta(minutes=10),
    )  # fmt: skip

    unit = browser.new_page(viewport={"width": 390, "height": 844})
    browser_login(unit, base, reporter_a)
    unit.click("#emergency >> text=中心路货车与公交车相撞")
    unit.wait_for_selector("[data-countdown-due]:has-text('已逾期')")
    unit.select_option("#id_kind", "followup")
    unit.fill("#id_what", "伤员已送医，均无生命危险。")
    unit.click("#report-form button:has-text('报送')")
    unit.wait_for_selector("text=逾期报送")
    assert EmergencyReport.objects.filter(thread=thread, kind="followup", late=True).exists()
    width = unit.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width

    office = browser.new_page(viewport={"width": 1366, "height": 900})
    browser_login(office, base, editor)
    office.goto(f"{base}/emergency/")
    assert "逾期 1" in office.locator("#threads").inner_text()
