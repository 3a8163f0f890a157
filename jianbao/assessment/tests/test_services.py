"""Services: rule versions, outside adoptions and instructions, recompute with preview, freezes,
objections; every write audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jianbao.accounts.models import AuditEvent, User
from jianbao.assessment.models import LedgerEvent, Objection, RuleSetVersion, RunState
from jianbao.assessment.selectors import ledger_for_unit, unit_totals
from jianbao.assessment.services import (
    do_accept_objection,
    do_confirm_recompute,
    do_freeze_period,
    do_preview_recompute,
    do_recompute,
    do_record_adoption,
    do_record_instruction,
    do_reject_objection,
    do_save_rule_set_version,
    do_submit_objection,
)
from jianbao.assessment.services.records import OutsideAdoption
from jianbao.notifications.models import Notification, NotificationKind
from jianbao.scoring.presets import R4
from jianbao.submissions.models import Submission

pytestmark = pytest.mark.django_db
JUNE = (date(2024, 6, 1), date(2024, 6, 30))


def outside(outlet="郑州信息", level="city", form="single", day=date(2024, 6, 3), **kw):
    return OutsideAdoption(outlet=outlet, level=level, form=form, date=day, **kw)


def test_rules_are_validated_in_chinese_and_versioned(chief: User, rules: RuleSetVersion):
    with pytest.raises(ValidationError, match="规则有误"):
        do_save_rule_set_version(
            actor=chief, name="坏", effective_from=date(2024, 7, 1),
            rules={"outlets": [{"outlet": "x", "level": "town", "points": "1"}]},
        )  # fmt: skip
    with pytest.raises(ValidationError, match="已存在"):
        do_save_rule_set_version(
            actor=chief, name="重复", effective_from=date(2024, 1, 1), rules=R4
        )
    assert AuditEvent.objects.filter(action="scores.rules_saved").count() == 1


def test_recompute_previews_then_confirms_and_explains(
    editor: User, rules: RuleSetVersion, reported: Submission, reported_b: Submission
):
    do_record_adoption(actor=editor, adoption=outside(), submission=reported)  # city 10
    do_record_adoption(
        actor=editor,
        adoption=outside("河南政务信息", "province", "research", forwarded=True),
        submission=reported_b,
    )  # province research 20 × 2 = 40
    do_record_instruction(
        actor=editor,
        leader_name="张书记",
        leader_level="district",
        day=date(2024, 6, 5),
        submission=reported,
    )  # R5 has no instruction figure: a 0 line that says so
    run = do_preview_recompute(actor=editor, start=JUNE[0], end=JUNE[1])
    assert run.state == RunState.PREVIEWED and not LedgerEvent.objects.exists()
    assert run.diff["new_total"] == "50.00" and run.diff["changed_units"] == 2
    do_confirm_recompute(actor=editor, run=run)
    lines = ledger_for_unit(user=editor, unit=reported_b.unit, start=JUNE[0], end=JUNE[1])
    assert [line.explanation for line in lines] == [
        "《河南政务信息》（省级）采用 调研 20分 × 2（经转报）= 40分"
    ]
    totals = {t.unit_name: t.points for t in unit_totals(start=JUNE[0], end=JUNE[1])}
    assert totals[reported.unit.name] == Decimal("10") and totals["区总工会"] == Decimal("40")
    with pytest.raises(ValidationError, match="已经确认"):
        do_confirm_recompute(actor=editor, run=run)
    # Recomputing again changes nothing.
    again = do_recompute(actor=editor, start=JUNE[0], end=JUNE[1])
    assert again.diff["changed_units"] == 0 and LedgerEvent.objects.count() == 3
    assert AuditEvent.objects.filter(action="scores.recompute_confirm").count() == 2


def test_each_month_is_scored_by_the_version_in_force(
    chief: User, editor: User, rules: RuleSetVersion, reported: Submission
):
    do_save_rule_set_version(actor=chief, name="R4", effective_from=date(2024, 6, 1), rules=R4)
    do_record_adoption(
        actor=editor, adoption=outside("衢州政务", day=date(2024, 5, 30)), submission=reported
    )
    do_record_adoption(
        actor=editor, adoption=outside("衢州政务", day=date(2024, 6, 3), outlet_issue="第2期"),
        submission=reported,
    )  # fmt: skip
    do_recompute(actor=editor, start=date(2024, 5, 1), end=JUNE[1])
    points = dict(LedgerEvent.objects.values_list("date", "points"))
    # May under R5 (any city outlet 10), June under R4 (《衢州政务》 信息版 2).
    assert points == {date(2024, 5, 30): Decimal("10"), date(2024, 6, 3): Decimal("2")}


def test_frozen_period_is_refused(editor: User, rules: RuleSetVersion):
    do_freeze_period(actor=editor, start=JUNE[0], end=JUNE[1], reason="2024年6月通报")
    with pytest.raises(ValidationError, match="已随通报冻结"):
        do_preview_recompute(actor=editor, start=date(2024, 6, 15), end=date(2024, 7, 31))


def test_outside_adoption_rules(editor: User, reported: Submission, reporter_a: User):
    do_record_adoption(actor=editor, adoption=outside(outlet_issue="第12期"), submission=reported)
    with pytest.raises(ValidationError, match="已经记录过"):
        do_record_adoption(
            actor=editor, adoption=outside(outlet_issue="第12期"), submission=reported
        )
    with pytest.raises(ValidationError, match="JPG"):
        do_record_adoption(
            actor=editor, adoption=outside(outlet_issue="第13期"), submission=reported,
            evidence=SimpleUploadedFile("x.exe", b"MZ"),
        )  # fmt: skip
    rows = do_record_adoption(
        actor=editor, adoption=outside(outlet_issue="第14期"), submission=reported,
        evidence=SimpleUploadedFile("page.png", b"\x89PNG"),
    )  # fmt: skip
    assert rows[0].evidence.name.endswith(".png")


def test_objection_accepted_with_correction_survives_recompute(
    editor: User, reporter_a: User, rules: RuleSetVersion, reported: Submission
):
    do_record_adoption(actor=editor, adoption=outside(), submission=reported)
    do_recompute(actor=editor, start=JUNE[0], end=JUNE[1])
    line = LedgerEvent.objects.get()
    with pytest.raises(ValidationError):
        do_submit_objection(actor=reporter_a, event=line, reason="短")
    objection = do_submit_objection(actor=reporter_a, event=line, reason="应按省级采用计分，见附件")
    with pytest.raises(PermissionDenied):
        do_accept_objection(actor=reporter_a, objection=objection, answer="好", points=Decimal(1))
    do_accept_objection(
        actor=editor, objection=objection, answer="核实属实，补记", points=Decimal(10)
    )
    objection.refresh_from_db()
    assert objection.correction_event is not None
    assert objection.correction_event.points == Decimal("10")
    do_recompute(actor=editor, start=JUNE[0], end=JUNE[1])
    objection.refresh_from_db()
    assert objection.correction_event is not None  # re-linked to the recomputed line
    totals = {t.unit_id: t.points for t in unit_totals(start=JUNE[0], end=JUNE[1])}
    assert totals[reported.unit_id] == Decimal("20")


def test_objection_rejected_and_other_units_refused(
    editor: User, reporter_a: User, reporter_b: User, rules: RuleSetVersion, reported: Submission
):
    do_record_adoption(actor=editor, adoption=outside(), submission=reported)
    do_recompute(actor=editor, start=JUNE[0], end=JUNE[1])
    line = LedgerEvent.objects.get()
    with pytest.raises(PermissionDenied):
        do_submit_objection(actor=reporter_b, event=line, reason="这不是我们的吗？？")
    with pytest.raises(PermissionDenied):
        ledger_for_unit(user=reporter_b, unit=reported.unit, start=JUNE[0], end=JUNE[1])
    objection = do_submit_objection(actor=reporter_a, event=line, reason="分值似乎偏低了")
    do_reject_objection(actor=editor, objection=objection, answer="按规则计分，无误")
    assert Objection.objects.get().state == "rejected"
    with pytest.raises(ValidationError, match="处理过"):
        do_reject_objection(actor=editor, objection=objection, answer="再次")


def test_objections_notify_the_office_and_the_answer_notifies_the_unit(
    editor: User, chief: User, reporter_a: User, rules: RuleSetVersion, reported: Submission
):
    do_record_adoption(actor=editor, adoption=outside(), submission=reported)
    do_recompute(actor=editor, start=JUNE[0], end=JUNE[1])
    line = LedgerEvent.objects.get()
    objection = do_submit_objection(actor=reporter_a, event=line, reason="应按省级采用计分")
    told = Notification.objects.filter(kind=NotificationKind.OBJECTION_SUBMITTED)
    assert {n.recipient for n in told} == {editor, chief}
    assert "应按省级采用计分" in told.first().body  # type: ignore[union-attr]
    do_accept_objection(
        actor=editor, objection=objection, answer="核实属实", points=Decimal("5.50")
    )
    (answer,) = Notification.objects.filter(kind=NotificationKind.OBJECTION_ANSWERED)
    assert answer.recipient == reporter_a
    assert answer.title == "您提出的计分异议已采纳，更正 +5.5分" and answer.body == "核实属实"
