"""Every write to commissions: publish, answer, decline, close, remind, and the reminder sweep.

Each service is atomic, records an audit event and notifies the people who must act. Time is
passed in (`now`), so deadlines and lateness are tested without waiting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import Unit, UnitKind, User
from jianbao.accounts.services import record_audit_event
from jianbao.commissions.models import (
    Commission,
    CommissionAnswer,
    CommissionState,
    CommissionTarget,
    TargetMode,
    TargetState,
    deadline_end,
)
from jianbao.commissions.selectors import may_manage, target_for
from jianbao.commissions.workdays import MAX_WORKING_DAYS, add_workdays, workdays_left
from jianbao.notifications.models import NotificationKind
from jianbao.notifications.services import do_notify
from jianbao.submissions.models import Kind, Submission
from jianbao.submissions.services import do_create_submission, do_transition
from jianbao.submissions.workflow import State

TITLE_MAX = 200
DESCRIPTION_MAX = 5000
REASON_MAX = 500
QUOTA_MAX = 50


def _url(commission: Commission) -> str:
    return reverse("commissions:detail", args=[commission.pk])


def _reporters(units: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(unit_id__in=list(units), is_reporter=True, is_active=True)


def _target_units(*, mode: str, unit_kind: str, units: Iterable[Unit]) -> list[Unit]:
    active = Unit.objects.filter(active=True).order_by("order", "name")
    if mode == TargetMode.ALL:
        chosen = list(active)
    elif mode == TargetMode.KIND:
        if unit_kind not in UnitKind.values:
            raise ValidationError({"unit_kind": "请选择单位类别。"})
        chosen = list(active.filter(kind=unit_kind))
    elif mode == TargetMode.CHOSEN:
        ids = {u.pk for u in units}
        chosen = list(active.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise ValidationError({"units": "所选单位中有已停用或不存在的单位。"})
    else:
        raise ValidationError({"target_mode": f"未知的约稿对象「{mode}」。"})
    if not chosen:
        raise ValidationError({"units": "没有可约稿的单位，请至少选择一个单位。"})
    return chosen


def _validate(*, title: str, description: str, working_days: int, quota: int | None) -> str:
    title = " ".join(title.split())
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "请填写约稿主题。"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"约稿主题不能超过 {TITLE_MAX} 字。"
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = f"说明与要求不能超过 {DESCRIPTION_MAX} 字。"
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        errors["working_days"] = f"期限须为 1 至 {MAX_WORKING_DAYS} 个工作日。"
    if quota is not None and not 1 <= quota <= QUOTA_MAX:
        errors["quota_per_unit"] = f"每单位篇数须为 1 至 {QUOTA_MAX}。"
    if errors:
        raise ValidationError(errors)
    return title


@transaction.atomic
def do_create_commission(
    *,
    actor: User,
    title: str,
    description: str = "",
    working_days: int,
    target_mode: str = TargetMode.CHOSEN,
    unit_kind: str = "",
    units: Iterable[Unit] = (),
    quota_per_unit: int | None = None,
    issued_on: date | None = None,
    now: datetime | None = None,
) -> Commission:
    """Publish a commission to units; its deadline is `working_days` official working days on."""
    if not may_manage(actor):
        raise PermissionDenied("只有信息科编辑可以发布约稿。")
    now = now or timezone.now()
    issued_on = issued_on or timezone.localdate(now)
    title = _validate(
        title=title, description=description, working_days=working_days, quota=quota_per_unit
    )
    chosen = _target_units(mode=target_mode, unit_kind=unit_kind, units=units)
    due = add_workdays(issued_on, working_days)
    commission = Commission.objects.create(
        title=title,
        description=description.strip(),
        created_by=actor,
        created_at=now,
        issued_on=issued_on,
        working_days=working_days,
        deadline=due.day,
        deadline_estimated=due.estimated,
        quota_per_unit=quota_per_unit,
        target_mode=target_mode,
        target_kind=unit_kind if target_mode == TargetMode.KIND else "",
    )
    CommissionTarget.objects.bulk_create(
        CommissionTarget(commission=commission, unit=unit) for unit in chosen
    )
    record_audit_event(
        action="commission.create",
        actor=actor,
        object_type="commission",
        object_id=commission.pk,
        detail={"title": title, "deadline": due.day.isoformat(), "units": len(chosen)},
    )
    do_notify(
        recipients=_reporters(u.pk for u in chosen),
        kind=NotificationKind.COMMISSION_RECEIVED,
        title=f"约稿：{title}（{due.day:%Y年%-m月%-d日}前报送）",
        url=_url(commission),
        body=description[:500],
        actor=actor,
    )
    return commission


def _open_for_answers(commission: Commission) -> None:
    if commission.state != CommissionState.OPEN:
        raise ValidationError("该约稿已结束或已撤销，不再接收报送。")


def _locked_target(actor: User, commission: Commission) -> CommissionTarget:
    target = target_for(actor, commission)  # 404 when the commission is not addressed to it
    if not actor.is_reporter:
        raise PermissionDenied("只有本单位信息员可以报送约稿。")
    return CommissionTarget.objects.select_for_update().get(pk=target.pk)


def _answered_state(commission: Commission, at: datetime, *, declined: bool) -> str:
    if at >= deadline_end(commission.deadline):
        return TargetState.LATE
    return TargetState.DECLINED if declined else TargetState.ANSWERED


def _check_answerable(actor: User, submissions: list[Submission]) -> None:
    if not submissions:
        raise ValidationError("请至少选择一篇稿件。")
    for submission in submissions:
        if submission.unit_id != actor.unit_id:
            raise PermissionDenied("只能用本单位的稿件报送约稿。")
        if submission.state == State.DRAFT:
            raise ValidationError(f"稿件「{submission}」尚未报送，请先报送再关联约稿。")
    taken = CommissionAnswer.objects.filter(submission__in=submissions).select_related("submission")
    for answer in taken:
        raise ValidationError(f"稿件「{answer.submission}」已用于报送约稿。")


@transaction.atomic
def do_answer_commission(
    *,
    commission: Commission,
    actor: User,
    submissions: Iterable[Submission],
    now: datetime | None = None,
) -> CommissionTarget:
    """Link reported items of the actor's unit to a commission addressed to it."""
    now = now or timezone.now()
    _open_for_answers(commission)
    target = _locked_target(actor, commission)
    items = list(submissions)
    _check_answerable(actor, items)
    CommissionAnswer.objects.bulk_create(
        CommissionAnswer(target=target, submission=s, linked_by=actor, linked_at=now) for s in items
    )
    first_answer = target.answered_at is None or target.declined
    if target.answered_at is None:
        target.answered_at = now
    if first_answer:
        target.declined = False
        target.state = _answered_state(commission, target.answered_at, declined=False)
        target.save(update_fields=["answered_at", "declined", "state"])
    record_audit_event(
        action="commission.answer",
        actor=actor,
        object_type="commission",
        object_id=commission.pk,
        detail={"unit": target.unit.name, "submissions": [s.pk for s in items]},
    )
    late = "（逾期）" if target.state == TargetState.LATE else ""
    do_notify(
        recipients=[commission.created_by],
        kind=NotificationKind.COMMISSION_ANSWERED,
        title=f"{target.unit}报送了约稿「{commission.title}」{late}",
        url=_url(commission),
        body="；".join(str(s) for s in items)[:500],
        actor=actor,
    )
    return target


@transaction.atomic
def do_answer_with_new_submission(
    *,
    commission: Commission,
    actor: User,
    title: str,
    body: str,
    kind: str = Kind.ITEM,
    contact: str = "",
    now: datetime | None = None,
) -> Submission:
    """Write an item for a commission, report it and link it, all or nothing (「报送稿件」)."""
    _open_for_answers(commission)
    target_for(actor, commission)
    submission = do_create_submission(
        author=actor, title=title, body=body, kind=kind, contact=contact
    )
    submission = do_transition(submission=submission, action="submit", actor=actor)
    do_answer_commission(commission=commission, actor=actor, submissions=[submission], now=now)
    return submission


@transaction.atomic
def do_decline_commission(
    *, commission: Commission, actor: User, reason: str, now: datetime | None = None
) -> CommissionTarget:
    """Answer 「无此情况」 with a reason instead of an item."""
    now = now or timezone.now()
    _open_for_answers(commission)
    target = _locked_target(actor, commission)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请说明无此情况的原因。"})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"说明不能超过 {REASON_MAX} 字。"})
    if target.answers.exists():
        raise ValidationError("本单位已报送稿件，不能再答复无此情况。")
    target.declined = True
    target.decline_reason = reason
    if target.answered_at is None:
        target.answered_at = now
        target.state = _answered_state(commission, now, declined=True)
    target.save(update_fields=["declined", "decline_reason", "answered_at", "state"])
    record_audit_event(
        action="commission.decline",
        actor=actor,
        object_type="commission",
        object_id=commission.pk,
        detail={"unit": target.unit.name, "reason": reason},
    )
    do_notify(
        recipients=[commission.created_by],
        kind=NotificationKind.COMMISSION_ANSWERED,
        title=f"{target.unit}答复约稿「{commission.title}」：无此情况",
        url=_url(commission),
        body=reason,
        actor=actor,
    )
    return target


@transaction.atomic
def do_close_commission(
    *, commission: Commission, actor: User, cancel: bool = False, now: datetime | None = None
) -> Commission:
    """End a commission (no more answers) or cancel it (it then counts for nobody)."""
    if not may_manage(actor):
        raise PermissionDenied("只有信息科编辑可以结束约稿。")
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    if commission.state != CommissionState.OPEN:
        raise ValidationError("该约稿已结束或已撤销。")
    commission.state = CommissionState.CANCELLED if cancel else CommissionState.CLOSED
    commission.closed_at = now or timezone.now()
    commission.closed_by = actor
    commission.save(update_fields=["state", "closed_at", "closed_by"])
    record_audit_event(
        action="commission.cancel" if cancel else "commission.close",
        actor=actor,
        object_type="commission",
        object_id=commission.pk,
        detail={"title": commission.title},
    )
    return commission


def _unanswered(commission: Commission) -> QuerySet[CommissionTarget]:
    return CommissionTarget.objects.filter(
        commission=commission, state__in=[TargetState.PENDING, TargetState.MISSED]
    ).select_related("unit")


@transaction.atomic
def do_remind_commission(
    *, commission: Commission, actor: User, now: datetime | None = None
) -> int:
    """Remind every unit that has not answered (the office's 「催报」 button); returns how many."""
    if not may_manage(actor):
        raise PermissionDenied("只有信息科编辑可以催报。")
    _open_for_answers(commission)
    now = now or timezone.now()
    targets = list(_unanswered(commission))
    if not targets:
        raise ValidationError("所有单位均已答复，无需催报。")
    CommissionTarget.objects.filter(pk__in=[t.pk for t in targets]).update(last_reminded_at=now)
    overdue = now >= commission.deadline_end
    do_notify(
        recipients=_reporters(t.unit_id for t in targets),
        kind=NotificationKind.COMMISSION_OVERDUE
        if overdue
        else NotificationKind.COMMISSION_DUE_TOMORROW,
        title=f"催报：约稿「{commission.title}」{commission.deadline:%-m月%-d日}截止",
        url=_url(commission),
        actor=actor,
    )
    record_audit_event(
        action="commission.remind",
        actor=actor,
        object_type="commission",
        object_id=commission.pk,
        detail={"units": [t.unit.name for t in targets]},
    )
    return len(targets)


@dataclass(frozen=True)
class SweepResult:
    due_reminded: int  # units told the deadline is the next working day
    overdue: int  # units marked 逾期未报 and told so


def _claim(target: CommissionTarget, field: str, now: datetime, **changes: object) -> bool:
    """Set a reminder flag once: only the sweep that flips it from empty sends the reminder."""
    updated = CommissionTarget.objects.filter(pk=target.pk, **{f"{field}__isnull": True}).update(
        **{field: now}, **changes
    )
    return updated == 1


def _sweep_due(now: datetime) -> int:
    """Units of open commissions due on the next working day (or today) that have not answered."""
    today = timezone.localdate(now)
    candidates = CommissionTarget.objects.filter(
        commission__state=CommissionState.OPEN,
        commission__deadline__gte=today,
        state=TargetState.PENDING,
        due_reminded_at__isnull=True,
    ).select_related("commission", "unit")
    count = 0
    for target in candidates:
        commission = target.commission
        if workdays_left(today, commission.deadline) > 1 or not _claim(
            target, "due_reminded_at", now
        ):
            continue
        count += 1
        do_notify(
            recipients=_reporters([target.unit_id]),
            kind=NotificationKind.COMMISSION_DUE_TOMORROW,
            title=f"约稿「{commission.title}」将于{commission.deadline:%-m月%-d日}截止，请及时报送",
            url=_url(commission),
        )
    return count


def _sweep_overdue(now: datetime) -> int:
    """Units past the end of the deadline day without an answer become 逾期未报, told once."""
    today = timezone.localdate(now)
    candidates = CommissionTarget.objects.filter(
        Q(state=TargetState.PENDING)
        | Q(state=TargetState.MISSED, overdue_reminded_at__isnull=True),
        commission__state=CommissionState.OPEN,
        commission__deadline__lt=today,
    ).select_related("commission", "unit")
    count = 0
    for target in candidates:
        commission = target.commission
        if now < commission.deadline_end:
            continue
        if not _claim(target, "overdue_reminded_at", now, state=TargetState.MISSED):
            continue
        count += 1
        do_notify(
            recipients=_reporters([target.unit_id]),
            kind=NotificationKind.COMMISSION_OVERDUE,
            title=f"约稿「{commission.title}」已于{commission.deadline:%-m月%-d日}截止，本单位逾期未报",
            url=_url(commission),
        )
    return count


@transaction.atomic
def do_sweep_commissions(*, now: datetime | None = None) -> SweepResult:
    """Send due-tomorrow and overdue reminders and mark missed units; each reminder goes out
    once however often this runs (the worker runs it every JIANBAO_COMMISSION_SWEEP_SECONDS)."""
    now = now or timezone.now()
    result = SweepResult(due_reminded=_sweep_due(now), overdue=_sweep_overdue(now))
    if result.due_reminded or result.overdue:
        record_audit_event(
            action="commission.sweep",
            object_type="commission",
            detail={"due_reminded": result.due_reminded, "overdue": result.overdue},
        )
    return result
