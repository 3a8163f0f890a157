"""Objections (异议): a unit disputes a ledger line or a period; the office accepts (with a
correction line) or rejects, with a reason either way."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.selectors import office_staff
from jianbao.accounts.services import record_audit_event
from jianbao.assessment.models import (
    LedgerEvent,
    Objection,
    ObjectionState,
    RuleSetVersion,
    UnitClass,
)
from jianbao.assessment.rankings import points_text
from jianbao.assessment.selectors import (
    can_manage_scoring,
    freezes_overlapping,
    rule_set_in_force,
    unit_class_map,
)
from jianbao.notifications.models import NotificationKind
from jianbao.notifications.services import do_notify
from jianbao.scoring import compute
from jianbao.scoring.model import CorrectionFact, Facts, Period, RuleSet


@transaction.atomic
def do_submit_objection(
    *,
    actor: User,
    reason: str,
    event: LedgerEvent | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Objection:
    """A unit's people object to one of their ledger lines or to a period's figures."""
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError({"reason": "请写明异议理由（至少 5 个字）。"})
    if actor.unit_id is None:
        raise PermissionDenied("只有单位人员可以提出异议。")
    if event is not None:
        if event.unit_id != actor.unit_id:
            raise PermissionDenied("只能对本单位的计分提出异议。")
        period_start, period_end = event.date, event.date
    if period_start is None or period_end is None or period_end < period_start:
        raise ValidationError("请选择有异议的计分明细或期间。")
    objection = Objection.objects.create(
        unit_id=actor.unit_id,
        event=event,
        event_summary=(
            f"{event.date:%Y-%m-%d} {event.explanation} {event.points}分" if event else ""
        )[:300],
        period_start=period_start,
        period_end=period_end,
        reason=reason,
        created_by=actor,
        created_at=timezone.now(),
    )
    record_audit_event(
        action="scores.objection_submitted",
        actor=actor,
        object_type="objection",
        object_id=objection.pk,
        detail={"unit": actor.unit_id, "event": event.pk if event else None},
    )
    do_notify(
        recipients=office_staff(),
        kind=NotificationKind.OBJECTION_SUBMITTED,
        title=f"{actor.unit}对计分提出异议",
        url=reverse("assessment:objections"),
        body=f"{objection.event_summary}\n{reason}".strip()[:500],
        actor=actor,
    )
    return objection


def _notify_answer(objection: Objection, actor: User) -> None:
    verdict = "已采纳" if objection.state == ObjectionState.ACCEPTED else "未采纳"
    points = objection.correction_points
    correction = f"，更正 {'+' if points > 0 else ''}{points_text(points)}分" if points else ""
    do_notify(
        recipients=[objection.created_by] if objection.created_by else [],
        kind=NotificationKind.OBJECTION_ANSWERED,
        title=f"您提出的计分异议{verdict}{correction}",
        url=reverse("assessment:objections"),
        body=objection.answer[:500],
        actor=actor,
    )


def _answerable(actor: User, objection: Objection, answer: str) -> str:
    if not can_manage_scoring(actor):
        raise PermissionDenied("只有信息科可以处理异议。")
    if objection.state != ObjectionState.OPEN:
        raise ValidationError("该异议已经处理过了。")
    answer = answer.strip()
    if len(answer) < 2:
        raise ValidationError({"answer": "请填写答复理由。"})
    return answer


@transaction.atomic
def do_accept_objection(
    *, actor: User, objection: Objection, answer: str, points: Decimal
) -> Objection:
    """Accept an objection; a non-zero figure adds a correction line to the ledger (dated in the
    disputed period, or today when that period is frozen by a published 通报)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    answer = _answerable(actor, objection, answer)
    if abs(points) > 1000 or points != points.quantize(Decimal("0.01")):
        raise ValidationError({"points": "更正分值须在 ±1000 以内，最多两位小数。"})
    objection.state = ObjectionState.ACCEPTED
    objection.answer = answer
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    if points:
        day = objection.period_end
        if freezes_overlapping(day, day).exists():
            day = timezone.localdate()
        objection.correction_points = points
        objection.correction_date = day
        objection.correction_event = _correction_event(objection, day, points, answer)
    objection.save()
    record_audit_event(
        action="scores.objection_accepted",
        actor=actor,
        object_type="objection",
        object_id=objection.pk,
        detail={"points": f"{points:f}", "unit": objection.unit_id},
    )
    _notify_answer(objection, actor)
    return objection


def _correction_event(objection: Objection, day: date, points: Decimal, answer: str) -> LedgerEvent:
    """The correction line, made by the engine exactly as a recompute would make it."""
    fact = CorrectionFact(id=str(objection.pk), unit=objection.unit_id, date=day, points=points,
                          reason=answer[:100])  # fmt: skip
    (line,) = compute(RuleSet(name="更正"), Facts(corrections=(fact,)), Period(day, day))
    version: RuleSetVersion | None = rule_set_in_force(day)
    unit_class: UnitClass | None = unit_class_map().get(objection.unit_id)
    return LedgerEvent.objects.create(
        unit_id=objection.unit_id, unit_class=unit_class, date=line.date,
        period_start=line.period_start, period_end=line.period_end, kind=line.kind,
        points=line.points, explanation=line.explanation[:300], rule_ref=line.rule_ref,
        fact_type=line.fact_type, fact_id=line.fact_id, rule_set_version=version,
        computed_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def do_reject_objection(*, actor: User, objection: Objection, answer: str) -> Objection:
    """Reject an objection with a reason."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    answer = _answerable(actor, objection, answer)
    objection.state = ObjectionState.REJECTED
    objection.answer = answer
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    objection.save()
    record_audit_event(
        action="scores.objection_rejected",
        actor=actor,
        object_type="objection",
        object_id=objection.pk,
        detail={"unit": objection.unit_id},
    )
    _notify_answer(objection, actor)
    return objection
