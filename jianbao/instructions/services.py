"""Every write to instruction follow-ups: record, feedback (反馈), ask more (追问), remind, close.

Each service is atomic, records an audit event and notifies the people who must act. Time is
passed in (`now`), so due dates and lateness are tested without waiting.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.accounts.selectors import office_staff
from jianbao.accounts.services import record_audit_event
from jianbao.assessment.services.records import do_record_instruction
from jianbao.bulletins.models import Entry
from jianbao.instructions.models import (
    FollowUp,
    FollowUpMessage,
    FollowUpState,
    FollowUpTarget,
    MessageKind,
    TargetState,
)
from jianbao.instructions.selectors import is_leader, may_manage, may_record, target_for
from jianbao.notifications.models import NotificationKind
from jianbao.notifications.services import do_notify

TEXT_MAX = 5000
ATTACHMENT_SUFFIXES = {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}


def _url(follow_up: FollowUp) -> str:
    return reverse("instructions:detail", args=[follow_up.pk])


def _reporters(units: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(unit_id__in=list(units), is_reporter=True, is_active=True)


def _text(text: str, *, field: str = "text", what: str = "内容") -> str:
    text = text.strip()
    if not text:
        raise ValidationError({field: f"请填写{what}。"})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: f"{what}不能超过 {TEXT_MAX} 字。"})
    return text


def check_attachment(attachment: UploadedFile | None) -> None:
    """PDF, Word (.docx), Excel (.xlsx) or a photo, no larger than JIANBAO_MAX_ATTACHMENT_BYTES."""
    if attachment is None:
        return
    if PurePath(attachment.name or "").suffix.lower() not in ATTACHMENT_SUFFIXES:
        raise ValidationError({"attachment": "附件只能是 PDF、DOCX、XLSX、JPG 或 PNG 文件。"})
    limit = settings.JIANBAO_MAX_ATTACHMENT_BYTES
    if (attachment.size or 0) > limit:
        raise ValidationError({"attachment": f"附件超过 {limit // (1024 * 1024)} MB。"})


def _check_units(units: Iterable[Unit]) -> list[Unit]:
    ids = {u.pk for u in units}
    chosen = list(Unit.objects.filter(pk__in=ids, active=True).order_by("order", "name"))
    if not chosen:
        raise ValidationError({"units": "请至少选择一个承办单位。"})
    if len(chosen) != len(ids):
        raise ValidationError({"units": "所选单位中有已停用或不存在的单位。"})
    return chosen


@transaction.atomic
def do_create_follow_up(
    *,
    actor: User,
    entry: Entry,
    leader_name: str,
    leader_level: str,
    day: date,
    text: str,
    units: Iterable[Unit],
    due_date: date,
    leader: User | None = None,
    evidence: UploadedFile | None = None,
    now: datetime | None = None,
) -> FollowUp:
    """Record a leader's instruction on a printed entry and hand it to units with a due date."""
    if not may_record(actor):
        raise PermissionDenied("只有领导或信息科编辑可以记录批示。")
    now = now or timezone.now()
    if not may_manage(actor):
        leader = actor  # a leader records only his own instructions
        leader_name = leader_name.strip() or str(actor)
    text = _text(text, what="批示内容")
    if due_date < timezone.localdate(now):
        raise ValidationError({"due_date": "反馈期限不能早于今天。"})
    chosen = _check_units(units)
    instruction = do_record_instruction(
        actor=actor, leader_name=leader_name, leader_level=leader_level, day=day, text=text,
        entry=entry, evidence=evidence,
    )  # fmt: skip
    follow_up = FollowUp.objects.create(
        instruction=instruction, leader=leader, due_date=due_date, created_at=now, created_by=actor
    )
    FollowUpTarget.objects.bulk_create(
        FollowUpTarget(follow_up=follow_up, unit=unit, round_due=due_date) for unit in chosen
    )
    record_audit_event(
        action="instruction.follow_up_create",
        actor=actor,
        object_type="follow_up",
        object_id=follow_up.pk,
        detail={"instruction": instruction.pk, "due": due_date.isoformat(), "units": len(chosen)},
    )
    do_notify(
        recipients=_reporters(u.pk for u in chosen),
        kind=NotificationKind.INSTRUCTION_TASK,
        title=f"批示督办：{leader_name}批示，请于{due_date:%Y年%-m月%-d日}前反馈",
        url=_url(follow_up),
        body=text[:500],
        actor=actor,
    )
    return follow_up


def _open(follow_up: FollowUp) -> None:
    if follow_up.state != FollowUpState.OPEN:
        raise ValidationError("该批示已办结。")


@transaction.atomic
def do_submit_feedback(
    *,
    actor: User,
    follow_up: FollowUp,
    text: str,
    attachment: UploadedFile | None = None,
    now: datetime | None = None,
) -> FollowUpMessage:
    """A unit reports back (反馈) on an instruction addressed to it."""
    target = target_for(actor, follow_up)
    if target is None:
        raise PermissionDenied("该批示未交办本单位。")
    _open(follow_up)
    text = _text(text, what="反馈内容")
    check_attachment(attachment)
    now = now or timezone.now()
    target = FollowUpTarget.objects.select_for_update().get(pk=target.pk)
    message = FollowUpMessage(
        target=target, kind=MessageKind.FEEDBACK, round=target.round, text=text, author=actor,
        created_at=now,
    )  # fmt: skip
    if attachment is not None:
        message.attachment.save(attachment.name or "attachment", attachment, save=False)
    message.save()
    target.state = TargetState.ANSWERED
    target.first_answered_at = target.first_answered_at or now
    target.save(update_fields=["state", "first_answered_at"])
    late = timezone.localdate(now) > target.round_due
    record_audit_event(
        action="instruction.feedback",
        actor=actor,
        object_type="follow_up",
        object_id=follow_up.pk,
        detail={"unit": target.unit_id, "round": target.round, "late": late},
    )
    leader = [follow_up.leader] if follow_up.leader else []
    do_notify(
        recipients=[*office_staff(), *leader],
        kind=NotificationKind.INSTRUCTION_FEEDBACK,
        title=f"批示反馈：{target.unit}（{follow_up.instruction}）",
        url=_url(follow_up),
        body=text[:500],
        actor=actor,
    )
    return message


def _may_ask(actor: User, follow_up: FollowUp) -> bool:
    return may_manage(actor) or (is_leader(actor) and follow_up.leader_id == actor.pk)


@transaction.atomic
def do_ask_more(
    *,
    actor: User,
    target: FollowUpTarget,
    text: str,
    due_date: date,
    now: datetime | None = None,
) -> FollowUpMessage:
    """Ask a unit for more (追问): another round with its own due date."""
    follow_up = target.follow_up
    if not _may_ask(actor, follow_up):
        raise PermissionDenied("只有信息科编辑或批示领导可以追问。")
    _open(follow_up)
    text = _text(text, what="追问内容")
    now = now or timezone.now()
    if due_date < timezone.localdate(now):
        raise ValidationError({"due_date": "反馈期限不能早于今天。"})
    if target.state != TargetState.ANSWERED:
        raise ValidationError("该单位本轮尚未反馈，无需追问。")
    target.round += 1
    target.round_due = due_date
    target.state = TargetState.PENDING
    target.save(update_fields=["round", "round_due", "state"])
    message = FollowUpMessage.objects.create(
        target=target, kind=MessageKind.QUESTION, round=target.round, text=text, author=actor,
        created_at=now,
    )  # fmt: skip
    record_audit_event(
        action="instruction.ask_more",
        actor=actor,
        object_type="follow_up",
        object_id=follow_up.pk,
        detail={"unit": target.unit_id, "round": target.round, "due": due_date.isoformat()},
    )
    do_notify(
        recipients=_reporters([target.unit_id]),
        kind=NotificationKind.INSTRUCTION_TASK,
        title=f"批示追问：请于{due_date:%Y年%-m月%-d日}前补充反馈",
        url=_url(follow_up),
        body=text[:500],
        actor=actor,
    )
    return message


@transaction.atomic
def do_remind_follow_up(*, actor: User, follow_up: FollowUp, now: datetime | None = None) -> int:
    """Remind every unit that has not reported back (催办); returns how many."""
    if not may_manage(actor):
        raise PermissionDenied("只有信息科编辑可以催办。")
    _open(follow_up)
    now = now or timezone.now()
    pending = list(follow_up.targets.filter(state=TargetState.PENDING).select_related("unit"))
    if not pending:
        raise ValidationError("所有单位均已反馈，无需催办。")
    FollowUpTarget.objects.filter(pk__in=[t.pk for t in pending]).update(last_reminded_at=now)
    do_notify(
        recipients=_reporters(t.unit_id for t in pending),
        kind=NotificationKind.INSTRUCTION_TASK,
        title=f"催办：{follow_up.instruction}，请尽快反馈",
        url=_url(follow_up),
        actor=actor,
    )
    record_audit_event(
        action="instruction.remind",
        actor=actor,
        object_type="follow_up",
        object_id=follow_up.pk,
        detail={"units": [t.unit.name for t in pending]},
    )
    return len(pending)


@transaction.atomic
def do_close_follow_up(*, actor: User, follow_up: FollowUp, now: datetime | None = None) -> None:
    """Close (办结) an instruction: no more feedback is taken."""
    if not may_manage(actor):
        raise PermissionDenied("只有信息科编辑可以办结批示。")
    _open(follow_up)
    now = now or timezone.now()
    follow_up.state = FollowUpState.CLOSED
    follow_up.closed_at = now
    follow_up.closed_by = actor
    follow_up.save(update_fields=["state", "closed_at", "closed_by"])
    record_audit_event(
        action="instruction.close",
        actor=actor,
        object_type="follow_up",
        object_id=follow_up.pk,
        detail={"instruction": follow_up.instruction_id},
    )
    if follow_up.leader is not None:
        do_notify(
            recipients=[follow_up.leader],
            kind=NotificationKind.INSTRUCTION_FEEDBACK,
            title=f"批示已办结：{follow_up.instruction}",
            url=_url(follow_up),
            actor=actor,
        )
