"""Permission-scoped reads of instruction follow-ups, and the feedback outcomes scoring reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.commissions.models import deadline_end
from jianbao.commissions.selectors import OutcomeState, outcome_state
from jianbao.instructions.models import FollowUp, FollowUpState, FollowUpTarget, TargetState


@dataclass(frozen=True)
class FeedbackOutcome:
    """How one unit reported back on one instruction: the fact scoring turns into points."""

    follow_up_id: int
    title: str
    unit_id: int
    due_date: date
    state: OutcomeState


def may_manage(user: User) -> bool:
    """Editors and chiefs record, remind and close instructions."""
    return user.is_authenticated and user.is_active and user.is_office_staff


def is_unit_member(user: User) -> bool:
    """Reporters and unit approvers act on instructions addressed to their unit."""
    return (
        user.is_authenticated
        and user.is_active
        and user.unit_id is not None
        and (user.is_reporter or user.is_unit_approver)
    )


def is_leader(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_leader


def may_record(user: User) -> bool:
    """The office (for a paper instruction) or a leader (his own) records an instruction."""
    return may_manage(user) or is_leader(user)


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    """Office: all; leader: his own; unit: those addressed to it."""
    qs = FollowUp.objects.select_related("instruction", "instruction__entry__issue__series")
    if may_manage(user):
        return qs
    mine = Q(pk__in=[])
    if is_leader(user):
        mine |= Q(leader=user)
    if is_unit_member(user):
        addressed = FollowUpTarget.objects.filter(
            follow_up=OuterRef("pk"), unit_id=user.unit_id or 0
        )
        mine |= Q(Exists(addressed))
    return qs.filter(mine)


def get_follow_up(user: User, pk: int) -> FollowUp:
    """One follow-up `user` may read, or 404 (a unit never learns of others' instructions)."""
    found = follow_ups_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("批示不存在或未交办本单位。")
    return found


def target_for(user: User, follow_up: FollowUp) -> FollowUpTarget | None:
    """The user's unit's target on this follow-up, if the user acts for such a unit."""
    if not is_unit_member(user):
        return None
    return FollowUpTarget.objects.filter(follow_up=follow_up, unit_id=user.unit_id or 0).first()


def targets_of(follow_up: FollowUp) -> QuerySet[FollowUpTarget]:
    return follow_up.targets.select_related("unit").prefetch_related("messages__author")


@dataclass(frozen=True)
class FollowUpFilter:
    state: str | None = None  # open / answered / overdue / closed
    unit_id: int | None = None


def follow_up_list(
    user: User, filters: FollowUpFilter, *, today: date | None = None
) -> QuerySet[FollowUp]:
    """Follow-ups filtered by 待反馈, 已全部反馈, 逾期 (a unit past due) or 已办结."""
    today = today or timezone.localdate()
    qs = follow_ups_visible_to(user)
    pending = FollowUpTarget.objects.filter(follow_up=OuterRef("pk"), state=TargetState.PENDING)
    overdue = pending.filter(round_due__lt=today)
    if filters.state == "open":
        qs = qs.filter(state=FollowUpState.OPEN).filter(Exists(pending))
    elif filters.state == "answered":
        qs = qs.filter(state=FollowUpState.OPEN).exclude(Exists(pending))
    elif filters.state == "overdue":
        qs = qs.filter(state=FollowUpState.OPEN).filter(Exists(overdue))
    elif filters.state == "closed":
        qs = qs.filter(state=FollowUpState.CLOSED)
    if filters.unit_id:
        qs = qs.filter(targets__unit_id=filters.unit_id)
    return qs.prefetch_related("targets__unit").distinct()


def open_targets_for_unit(user: User) -> QuerySet[FollowUpTarget]:
    """Instructions waiting for this unit's feedback, earliest due first."""
    if not is_unit_member(user):
        return FollowUpTarget.objects.none()
    return (
        FollowUpTarget.objects.filter(
            unit_id=user.unit_id or 0,
            state=TargetState.PENDING,
            follow_up__state=FollowUpState.OPEN,
        )
        .select_related("follow_up__instruction")
        .order_by("round_due", "pk")
    )


def office_attention(*, today: date | None = None) -> QuerySet[FollowUpTarget]:
    """Open targets the office should look at: answered (to read or close) or past due."""
    today = today or timezone.localdate()
    return (
        FollowUpTarget.objects.filter(follow_up__state=FollowUpState.OPEN)
        .filter(Q(state=TargetState.ANSWERED) | Q(round_due__lt=today))
        .select_related("unit", "follow_up__instruction")
        .order_by("round_due", "pk")
    )


def feedback_outcomes(
    *, start: date, end: date, now: datetime | None = None
) -> list[FeedbackOutcome]:
    """Every unit's first-round feedback outcome for instructions due in [start, end].

    A follow-up the office closed before its due date leaves the units that had not answered
    by then out (they could no longer answer).
    """
    now = now or timezone.now()
    targets = (
        FollowUpTarget.objects.filter(follow_up__due_date__gte=start, follow_up__due_date__lte=end)
        .select_related("follow_up__instruction")
        .order_by("follow_up__due_date", "follow_up_id", "unit_id")
    )
    outcomes = []
    for target in targets:
        follow_up = target.follow_up
        closed_early = (
            follow_up.closed_at is not None
            and follow_up.closed_at < deadline_end(follow_up.due_date)
            and target.first_answered_at is None
        )
        if closed_early:
            continue
        state = outcome_state(
            deadline=follow_up.due_date, answered_at=target.first_answered_at, now=now
        )
        outcomes.append(
            FeedbackOutcome(
                follow_up_id=follow_up.pk,
                title=str(follow_up.instruction),
                unit_id=target.unit_id,
                due_date=follow_up.due_date,
                state=state,
            )
        )
    return outcomes
