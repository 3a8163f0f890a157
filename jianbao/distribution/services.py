"""Every write of distribution: recipient groups and lists, delivery, reads, 签收 and 催阅.

Publishing calls `start_distribution` inside its own transaction: it writes the pending
`Distribution` and queues `deliver_distribution` for after the commit, so the publish request
never waits for thousands of receipts. `deliver` is idempotent and crash-safe: one transaction
under the distribution's row lock, receipts unique per issue × person (`ignore_conflicts`), and
only people who had no receipt yet are notified; a lost task is queued again by the worker.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.accounts.services import record_audit_event
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.workflow import IssueState
from jianbao.distribution.models import (
    Distribution,
    DistributionState,
    Line,
    Receipt,
    RecipientGroup,
    RecipientKind,
    RecipientRole,
    SeriesRecipient,
)
from jianbao.distribution.policy import may_manage_lists, may_receive, may_see_ledger
from jianbao.distribution.recipients import Planned, plan_for
from jianbao.notifications.models import NotificationKind
from jianbao.notifications.services import do_notify

BATCH = 500  # receipts per INSERT, recipients per notification call
NAME_MAX = 50
DESCRIPTION_MAX = 200
MEMBERS_MAX = 5000


def issue_name(issue: Issue) -> str:
    """「《上街信息》2024年第35期」 (with the correction mark for a later edition)."""
    name = f"《{issue.series.title}》{issue.year}年第{issue.number}期"
    return name if issue.edition == 1 else f"{name}（更正版）"


def _require_manager(actor: User) -> None:
    if not may_manage_lists(actor):
        raise PermissionDenied("只有信息科编辑、签发人和管理员可以维护分发名单。")


def _require_office(actor: User) -> None:
    if not may_see_ledger(actor):
        raise PermissionDenied("只有信息科可以查看和催阅签收情况。")


def _members(members: Iterable[User]) -> list[User]:
    people = list({u.pk: u for u in members}.values())
    if len(people) > MEMBERS_MAX:
        raise ValidationError({"members": f"一个分组最多 {MEMBERS_MAX} 人。"})
    refused = [str(u) for u in people if not may_receive(u)]
    if refused:
        raise ValidationError({"members": f"「{refused[0]}」没有阅读简报的权限，不能加入分组。"})
    return people


@transaction.atomic
def do_save_group(
    *,
    actor: User,
    name: str,
    description: str = "",
    members: Iterable[User],
    group: RecipientGroup | None = None,
) -> RecipientGroup:
    """Create or change a named recipient group (「区县处级领导」) and its members."""
    _require_manager(actor)
    name, description = " ".join(name.split()), description.strip()
    if not name:
        raise ValidationError({"name": "请填写分组名称。"})
    if len(name) > NAME_MAX or len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            {"name": f"名称不超过 {NAME_MAX} 字，说明不超过 {DESCRIPTION_MAX} 字。"}
        )
    clash = RecipientGroup.objects.filter(name=name)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise ValidationError({"name": f"已有名为「{name}」的分组。"})
    people = _members(members)
    now = timezone.now()
    target = group or RecipientGroup(created_at=now)
    target.name, target.description, target.updated_at = name, description, now
    target.save()
    target.members.set(people)
    record_audit_event(
        action="distribution.group_save",
        actor=actor,
        object_type="recipient_group",
        object_id=target.pk,
        detail={"name": name, "members": len(people)},
    )
    return target


@transaction.atomic
def do_delete_group(*, actor: User, group: RecipientGroup) -> None:
    """Remove a group that no series list uses any more."""
    _require_manager(actor)
    users = SeriesRecipient.objects.filter(group=group).select_related("series").first()
    if users is not None:
        raise ValidationError(f"分组「{group}」仍在{users.series}的分发名单中，请先移除。")
    record_audit_event(
        action="distribution.group_delete",
        actor=actor,
        object_type="recipient_group",
        object_id=group.pk,
        detail={"name": group.name},
    )
    group.delete()


def _target(
    kind: str, user: User | None, unit: Unit | None, role: str, group: RecipientGroup | None
) -> dict[str, object]:
    if kind == RecipientKind.USER:
        if user is None:
            raise ValidationError({"user": "请选择人员。"})
        if not may_receive(user):
            raise ValidationError({"user": f"「{user}」没有阅读简报的权限，不能列入分发名单。"})
        return {"user": user}
    if kind == RecipientKind.UNIT:
        if unit is None or not unit.active:
            raise ValidationError({"unit": "请选择一个启用的单位。"})
        return {"unit": unit}
    if kind == RecipientKind.ROLE:
        if role not in RecipientRole.values:
            raise ValidationError({"role": "请选择角色。"})
        return {"role": role}
    if kind == RecipientKind.GROUP:
        if group is None:
            raise ValidationError({"group": "请选择分组。"})
        return {"group": group}
    raise ValidationError({"kind": f"未知的分发对象类型「{kind}」。"})


@transaction.atomic
def do_add_series_recipient(
    *,
    actor: User,
    series: Series,
    line: str,
    kind: str,
    user: User | None = None,
    unit: Unit | None = None,
    role: str = "",
    group: RecipientGroup | None = None,
    paper: bool = False,
) -> SeriesRecipient:
    """Put a user, unit, role or group on one 报/送/发/增发 line of a series' list."""
    _require_manager(actor)
    if line not in Line.values:
        raise ValidationError({"line": f"未知的报尾行「{line}」。"})
    target = _target(kind, user, unit, role, group)
    if SeriesRecipient.objects.filter(series=series, line=line, kind=kind, **target).exists():
        raise ValidationError("该对象已在这一行的分发名单中。")
    entry = SeriesRecipient.objects.create(
        series=series, line=line, kind=kind, paper=paper, created_at=timezone.now(), **target
    )
    record_audit_event(
        action="distribution.recipient_add",
        actor=actor,
        object_type="series",
        object_id=series.pk,
        detail={"line": entry.get_line_display(), "target": entry.target_label, "paper": paper},
    )
    return entry


@transaction.atomic
def do_remove_series_recipient(*, actor: User, entry: SeriesRecipient) -> None:
    """Take an entry off a series' list (issues already delivered keep their receipts)."""
    _require_manager(actor)
    record_audit_event(
        action="distribution.recipient_remove",
        actor=actor,
        object_type="series",
        object_id=entry.series_id,
        detail={"line": entry.get_line_display(), "target": entry.target_label},
    )
    entry.delete()


def start_distribution(*, issue: Issue, actor: User | None) -> bool:
    """Open the distribution of a just-published issue and queue its delivery after the commit.

    Called by publishing inside its transaction. Returns False (nothing written) when the
    issue has nobody to go to: no list on its series and no distributed edition it corrects.
    """
    has_list = SeriesRecipient.objects.filter(series_id=issue.series_id).exists()
    corrects_delivered = (
        issue.corrects_id is not None
        and Receipt.objects.filter(issue_id=issue.corrects_id).exists()
    )
    if not (has_list or corrects_delivered):
        return False
    now = timezone.now()
    note = f"更正版：{issue.correction_notice}"[:300] if issue.corrects_id else ""
    distribution, created = Distribution.objects.get_or_create(
        issue=issue,
        defaults={
            "note": note,
            "print_count": issue.copies,
            "created_by": actor if actor is not None and actor.pk else None,
            "created_at": now,
            "queued_at": now,
        },
    )
    if created:
        record_audit_event(
            action="distribution.start",
            actor=actor,
            object_type="issue",
            object_id=issue.pk,
            detail={"correction": bool(issue.corrects_id)},
        )
        distribution_id = distribution.pk
        transaction.on_commit(lambda: _enqueue(distribution_id), robust=True)
    return True


def _enqueue(distribution_id: int) -> None:
    from jianbao.distribution.tasks import enqueue_delivery  # noqa: PLC0415  (tasks import us)

    enqueue_delivery(distribution_id)


def deliver(distribution_id: int) -> int:
    """Create the missing receipts of a distribution and notify their people; how many new."""
    issue_id = (
        Distribution.objects.filter(pk=distribution_id).values_list("issue_id", flat=True).first()
    )
    if issue_id is None:
        return 0
    # Before the lock: a fresh worker's first `reverse` imports the whole URLconf (seconds).
    url = reverse("bulletins:read", args=[issue_id])
    return _deliver_locked(distribution_id, url)


@transaction.atomic
def _deliver_locked(distribution_id: int, url: str) -> int:
    locked = Distribution.objects.filter(pk=distribution_id)
    # This first write locks the row (and SQLite's database), so two runs never interleave.
    if not locked.filter(state=DistributionState.PENDING).update(attempts=F("attempts") + 1):
        return 0
    distribution = locked.select_related("issue__series").get()
    issue = distribution.issue
    if issue.state != IssueState.PUBLISHED:
        return 0
    planned = plan_for(issue)
    existing = dict(Receipt.objects.filter(issue=issue).values_list("recipient_id", "copy_number"))
    new = _new_receipts(issue, planned, existing)
    Receipt.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    _notify_delivered(distribution, [r.recipient_id for r in new], url)
    now = timezone.now()
    distribution.state, distribution.delivered_at = DistributionState.DELIVERED, now
    distribution.recipients = len(existing) + len(new)
    distribution.paper_copies = sum(1 for n in existing.values() if n) + sum(
        1 for r in new if r.copy_number
    )
    distribution.save(update_fields=["state", "delivered_at", "recipients", "paper_copies"])
    record_audit_event(
        action="distribution.deliver",
        object_type="issue",
        object_id=issue.pk,
        detail={"recipients": distribution.recipients, "new": len(new)},
    )
    return len(new)


def _new_receipts(
    issue: Issue, planned: list[Planned], existing: dict[int, int | None]
) -> list[Receipt]:
    """Receipts for the planned people without one; copy numbers never clash with kept ones."""
    taken = {n for n in existing.values() if n}
    next_number = max(taken, default=0)
    now = timezone.now()
    rows = []
    for plan in planned:
        if plan.user_id in existing:
            continue
        number = plan.copy_number
        if number is not None and number in taken:
            next_number += 1
            number = next_number
        if number is not None:
            taken.add(number)
            next_number = max(next_number, number)
        rows.append(
            Receipt(
                issue=issue,
                recipient_id=plan.user_id,
                line=plan.line,
                via=plan.via[:100],
                copy_number=number,
                delivered_at=now,
            )
        )
    return rows


def _read_url(issue: Issue) -> str:
    return reverse("bulletins:read", args=[issue.pk])


def _notifiable(user_ids: list[int]) -> QuerySet[User]:
    """The people to notify, with only what `do_notify` reads (not thousands of full rows)."""
    return User.objects.filter(pk__in=user_ids).only("pk", "is_active", "email")


def _notify_delivered(distribution: Distribution, user_ids: list[int], url: str) -> None:
    issue = distribution.issue
    title = f"请阅{issue_name(issue)}并签收"
    if distribution.note:
        title = f"{title}（{distribution.note}）"
    for start in range(0, len(user_ids), BATCH):
        do_notify(
            recipients=_notifiable(user_ids[start : start + BATCH]),
            kind=NotificationKind.ISSUE_DELIVERED,
            title=title,
            url=url,
            actor=distribution.created_by,
        )


@transaction.atomic
def do_record_read(*, issue: Issue, user: User, now: datetime | None = None) -> Receipt | None:
    """Record the first time a recipient opens the issue (page or file); their receipt or None."""
    if not user.is_authenticated:
        return None
    now = now or timezone.now()
    first = Receipt.objects.filter(issue=issue, recipient=user, first_read_at__isnull=True).update(
        first_read_at=now
    )
    if first:
        record_audit_event(
            action="distribution.read", actor=user, object_type="issue", object_id=issue.pk
        )
    return Receipt.objects.filter(issue=issue, recipient=user).first()


@transaction.atomic
def do_acknowledge(*, issue: Issue, user: User, now: datetime | None = None) -> Receipt:
    """签收: the recipient confirms receipt (and, if not recorded yet, reading) of the issue."""
    receipt = Receipt.objects.select_for_update().filter(issue=issue, recipient=user).first()
    if receipt is None:
        raise ValidationError("本期简报没有分发给您，无需签收。")
    if receipt.acknowledged_at is not None:
        raise ValidationError(
            f"您已于{timezone.localtime(receipt.acknowledged_at):%Y-%m-%d %H:%M}签收本期简报。"
        )
    now = now or timezone.now()
    receipt.acknowledged_at = now
    receipt.first_read_at = receipt.first_read_at or now
    receipt.save(update_fields=["acknowledged_at", "first_read_at"])
    record_audit_event(
        action="distribution.acknowledge", actor=user, object_type="issue", object_id=issue.pk
    )
    return receipt


def remind_interval() -> timedelta:
    return timedelta(minutes=settings.JIANBAO_DISTRIBUTION_REMIND_MINUTES)


def _unacknowledged(issue: Issue) -> QuerySet[Receipt]:
    return Receipt.objects.filter(issue=issue, acknowledged_at__isnull=True)


@transaction.atomic
def do_remind(*, issue: Issue, actor: User, now: datetime | None = None) -> int:
    """催阅: notify every recipient who has not signed yet; at most once per interval per issue."""
    _require_office(actor)
    now = now or timezone.now()
    distribution = Distribution.objects.select_for_update().filter(issue=issue).first()
    if distribution is None or distribution.state != DistributionState.DELIVERED:
        raise ValidationError("本期简报尚未分发完毕，暂不能催阅。")
    last = distribution.last_reminded_at
    if last is not None and now < last + remind_interval():
        wait = int((last + remind_interval() - now).total_seconds() // 60) + 1
        raise ValidationError(
            f"{timezone.localtime(last):%H:%M}已催阅过，请 {wait} 分钟后再催（每期每 "
            f"{settings.JIANBAO_DISTRIBUTION_REMIND_MINUTES} 分钟最多催阅一次）。"
        )
    pending = _unacknowledged(issue)
    ids = list(pending.values_list("recipient_id", flat=True))
    if not ids:
        raise ValidationError("所有分发对象均已签收，无需催阅。")
    pending.update(reminded_at=now, reminders=F("reminders") + 1)
    distribution.last_reminded_at = now
    distribution.save(update_fields=["last_reminded_at"])
    for start in range(0, len(ids), BATCH):
        do_notify(
            recipients=_notifiable(ids[start : start + BATCH]),
            kind=NotificationKind.ISSUE_READ_REMINDER,
            title=f"催阅：请尽快阅读{issue_name(issue)}并签收",
            url=_read_url(issue),
            actor=actor,
        )
    record_audit_event(
        action="distribution.remind",
        actor=actor,
        object_type="issue",
        object_id=issue.pk,
        detail={"recipients": len(ids)},
    )
    return len(ids)


@transaction.atomic
def requeue_stale(now: datetime | None = None) -> list[int]:
    """Queue again the distributions whose task was lost (worker crash, queue failure)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.JIANBAO_DISTRIBUTION_REQUEUE_SECONDS)
    stale = Distribution.objects.filter(state=DistributionState.PENDING, queued_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True)[:100])
    if ids:
        Distribution.objects.filter(pk__in=ids).update(queued_at=now)
        transaction.on_commit(lambda: _enqueue_all(ids), robust=True)
    return ids


def _enqueue_all(ids: list[int]) -> None:
    for distribution_id in ids:
        _enqueue(distribution_id)
