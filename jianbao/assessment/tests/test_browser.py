"""Scoring in a real browser: the rule editor saves a new version, the ledger total opens into
its lines, and a unit's objection is accepted with a correction. Playwright with Debian's
headless chromium."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jianbao.accounts.models import User
from jianbao.assessment.models import Objection, RuleSetVersion
from jianbao.assessment.services import do_recompute, do_record_adoption
from jianbao.assessment.services.records import OutsideAdoption
from jianbao.conftest import BROWSER_TEST, browser_login
from jianbao.submissions.models import Submission

pytestmark = BROWSER_TEST


@pytest.fixture
def scored(editor: User, rules: RuleSetVersion, reported: Submission) -> Submission:
    adoption = OutsideAdoption(
        outlet="郑州信息",
        level="city",
        form="single",
        date=date(2024, 6, 3),
        outlet_issue="2024年第12期",
    )
    do_record_adoption(actor=editor, adoption=adoption, submission=reported)
    do_recompute(actor=editor, start=date(2024, 6, 1), end=date(2024, 6, 30))
    return reported


def _page(browser: Any, base: str, user: User) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    browser_login(page, base, user)
    return page


def test_rule_editor_changes_a_figure_and_saves_a_new_version(
    browser: Any, live_server: Any, chief: User, rules: RuleSetVersion
) -> None:
    page = _page(browser, live_server.url, chief)
    page.goto(f"{live_server.url}/assessment/rules/")
    page.click("text=新建版本（复制现行）")
    assert page.input_value("input[name=outlet-0-outlet]") == "重要信息"
    page.fill("input[name=outlet-0-points]", "abc")
    page.fill("#effective_from", "2024-07-01")
    page.click("button[name=save]")
    page.wait_for_selector("#rule-errors")
    assert "不是数字" in page.inner_text("#rule-errors")
    page.fill("input[name=outlet-0-points]", "6")
    page.fill("#name", "R5 修订版")
    page.fill("#effective_from", "2024-07-01")
    page.click("button[name=save]")
    page.wait_for_selector("text=已保存新版本「R5 修订版」")
    assert "R5 修订版" in page.inner_text("#versions")
    assert RuleSetVersion.objects.get(name="R5 修订版").rules["outlets"][0]["points"] == "6"


def test_ledger_total_opens_into_its_lines(
    browser: Any, live_server: Any, editor: User, scored: Submission
) -> None:
    page = _page(browser, live_server.url, editor)
    page.goto(f"{live_server.url}/assessment/ledger/?period=2024-06")
    page.click("#ledger-totals >> text=10")
    page.wait_for_selector("#formula")
    assert "区委宣传部 2024年6月 10分 = 采用 1 次 × 10" in page.inner_text("#formula")
    assert "《郑州信息》2024年第12期（市级）采用 单条 10分" in page.inner_text("#ledger-lines")


def test_objection_flow_in_the_browser(
    browser: Any, live_server: Any, editor: User, reporter_a: User, scored: Submission
) -> None:
    base = live_server.url
    unit = _page(browser, base, reporter_a)
    unit.goto(f"{base}/assessment/ledger/?period=2024-06")  # a unit's people land on their own
    unit.click("text=提出异议")
    unit.fill("#ledger-lines textarea[name=reason]", "该条实为省级采用，应计20分")
    unit.click("text=提交异议")
    unit.wait_for_selector("text=异议已提交")
    office = _page(browser, base, editor)
    office.goto(f"{base}/assessment/objections/")
    assert "该条实为省级采用" in office.inner_text("#objections")
    office.check("input[name=decision][value=accept]")
    office.fill("input[name=points]", "10")
    office.fill("textarea[name=answer]", "核实属实，补记10分")
    office.click("text=提交答复")
    office.wait_for_selector("text=已采纳")
    assert Objection.objects.get().state == "accepted"
    unit.goto(f"{base}/assessment/ledger/?period=2024-06")
    assert "异议更正 +10分：核实属实，补记10分" in unit.inner_text("#ledger-lines")
    assert "20分" in unit.inner_text("#formula")
