"""The pages through HTTP: rule editor, recompute preview/confirm, recording facts, the ledger
drill-down and the objection flow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, User
from jianbao.assessment.models import (
    Instruction,
    LedgerEvent,
    Objection,
    RecomputeRun,
    RuleSetVersion,
)
from jianbao.bulletins.models import Adoption
from jianbao.submissions.models import Submission

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _editor_post(version: RuleSetVersion, **changes: str) -> dict[str, str]:
    """The rule editor's form as the browser would post it, from the page itself."""
    from jianbao.assessment.rule_editor import SECTIONS, state_from_rules

    state = state_from_rules(version.rules)
    data = {
        "name": state.name,
        "effective_from": "2024-07-01",
        "note": "",
        "shared_credit": state.shared_credit,
        "multi_outlet": state.multi_outlet,
        "commissioned_bonus": state.commissioned_bonus,
    }
    for key, value in state.penalties.items():
        data[f"penalty-{key}"] = value
    for section, rows in state.rows.items():
        data[f"{section}-count"] = str(len(rows))
        for index, row in enumerate(rows):
            for column in SECTIONS[section]:
                data[f"{section}-{index}-{column}"] = row[column]
    data.update(changes)
    return data


def test_rule_editor_saves_a_new_version_and_refuses_bad_figures(
    chief: User, rules: RuleSetVersion, login: Login
) -> None:
    client = login(chief)
    page = client.get(reverse("assessment:rules_edit")).content.decode()
    assert "采用计分表" in page and 'value="重要信息"' in page
    bad = client.post(
        reverse("assessment:rules_edit"), _editor_post(rules, **{"outlet-0-points": "五"})
    )
    assert bad.status_code == 400
    assert "outlets 第1行 points：「五」不是数字" in bad.content.decode()
    response = client.post(
        reverse("assessment:rules_edit"),
        _editor_post(rules, **{"outlet-0-points": "6", "outlet-1-delete": "on", "name": "R5 修订"}),
    )
    assert response.status_code == 302
    new = RuleSetVersion.objects.get(name="R5 修订")
    assert new.rules["outlets"][0]["points"] == "6"
    assert len(new.rules["outlets"]) == len(rules.rules["outlets"]) - 1
    assert new.effective_from == date(2024, 7, 1)
    assert rules.rules["outlets"][0]["points"] == "5"  # the old version is untouched


def test_record_facts_then_recompute_and_drill_down(  # noqa: PLR0917
    editor: User,
    chief: User,
    reporter_a: User,
    rules: RuleSetVersion,
    reported: Submission,
    login: Login,
) -> None:
    office = login(editor)
    url = reverse("assessment:adoption_new") + f"?submission={reported.pk}"
    response = office.post(
        url,
        {
            "outlet": "《郑州信息》",
            "outlet_issue": "2024年第12期",
            "level": "city",
            "form": "single",
            "date": "2024-06-03",
        },
    )
    assert response.status_code == 302
    assert Adoption.objects.get().outlet == "郑州信息"
    again = office.post(
        url,
        {
            "outlet": "郑州信息",
            "outlet_issue": "2024年第12期",
            "level": "city",
            "form": "single",
            "date": "2024-06-03",
        },
    )
    assert again.status_code == 400 and "已经记录过" in again.content.decode()
    url = reverse("assessment:instruction_new") + f"?submission={reported.pk}"
    office.post(url, {"leader_name": "张书记", "leader_level": "district", "date": "2024-06-05"})
    assert Instruction.objects.count() == 1
    detail = (
        login(reporter_a).get(reverse("submissions:detail", args=[reported.pk])).content.decode()
    )
    assert "《郑州信息》2024年第12期" in detail and "张书记批示" in detail

    boss = login(chief)
    response = boss.post(
        reverse("assessment:recompute"), {"start": "2024-06-01", "end": "2024-06-30"}
    )
    run = RecomputeRun.objects.get()
    assert response["Location"] == reverse("assessment:recompute_run", args=[run.pk])
    assert not LedgerEvent.objects.exists()
    assert "确认替换" in boss.get(response["Location"]).content.decode()
    boss.post(reverse("assessment:recompute_confirm", args=[run.pk]))
    assert LedgerEvent.objects.count() == 2

    page = (
        login(reporter_a)
        .get(reverse("assessment:ledger_unit", args=[reporter_a.unit_id]) + "?period=2024-06")
        .content.decode()
    )
    assert "区委宣传部 2024年6月 10分 = 采用 1 次 × 10" in page
    assert "《郑州信息》2024年第12期（市级）采用 单条 10分" in page


def test_objection_flow_over_http(
    editor: User, reporter_a: User, rules: RuleSetVersion, reported: Submission, login: Login
) -> None:
    from jianbao.assessment.services import do_recompute, do_record_adoption
    from jianbao.assessment.services.records import OutsideAdoption

    do_record_adoption(
        actor=editor,
        submission=reported,
        adoption=OutsideAdoption(
            outlet="郑州信息", level="city", form="single", date=date(2024, 6, 3)
        ),
    )
    do_recompute(actor=editor, start=date(2024, 6, 1), end=date(2024, 6, 30))
    event = LedgerEvent.objects.get()
    unit = login(reporter_a)
    unit.post(
        reverse("assessment:objection_new", args=[event.pk]), {"reason": "实为省级采用，应计20分"}
    )
    objection = Objection.objects.get()
    office = login(editor)
    assert "实为省级采用" in office.get(reverse("assessment:objections")).content.decode()
    response = office.post(
        reverse("assessment:objection_answer", args=[objection.pk]),
        {"decision": "accept", "answer": "核实属实", "points": "10"},
    )
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.state == "accepted" and objection.correction_event is not None
    page = unit.get(
        reverse("assessment:ledger_unit", args=[reporter_a.unit_id]) + "?period=2024-06"
    )
    assert "异议更正 +10分：核实属实" in page.content.decode()
    assert AuditEvent.objects.filter(action__startswith="scores.objection").count() == 2


def test_bad_period_is_a_chinese_message(editor: User, login: Login) -> None:
    page = login(editor).get(reverse("assessment:ledger") + "?period=2024-13", follow=True)
    assert "无法识别的期间" in page.content.decode()
