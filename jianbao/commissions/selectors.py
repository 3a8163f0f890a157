"""Permission-scoped reads of commissions, and the outcomes scoring reads (R3: missed/late)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.commissions.models import (
    Commission,
    CommissionAnswer,
    CommissionState,
    CommissionTarget,
    TargetState,
    deadline_end,
)
from jianbao.submissions.models import Submission
from jianbao.submissions.selectors import submissions_visible_to
from jianbao.submissions.workflow import State

OutcomeState = Literal["on_time", "late", "missed", "open"]
UNANSWERED = (TargetState.PENDING, TargetState.MISSED)
RESPONDED = (TargetState.ANSWERED, TargetState.DECLINED, TargetState.LATE)


@dataclass(frozen=True)
class CommissionOutcome:
    """How one unit answered one commission: the fact scoring turns into points."""

    commission_id: int
    title: str
    unit_id: int
    deadline: date
    answered_at: datetime | None
    declined: bool  # answered 「无此情况」 (with a reason) instead of an item
    state: OutcomeState


def outcome_state(*, deadline: date, answered_at: datetime | None, now: datetime) -> OutcomeState:
    """on_time / late by the first answer against the end of the deadline day; without an
    answer, open until the deadline day ends and missed after."""
    end = deadline_end(deadline)
    if answered_at is not None:
        return "on_time" if answered_at < end else "late"
    return "open" if now < end else "missed"


def commission_outcomes(
    *, start: date, end: date, now: datetime | None = None
) -> list[CommissionOutcome]:
    """Every unit's outcome for commissions whose deadline lies in [start, end].

    Cancelled commissions count for nobody. A commission the office closed before its deadline
    leaves the units that had not answered by then out (they could no longer answer).
    """
    now = now or timezone.now()
    targets = (
        CommissionTarget.objects.filter(
            commission__deadline__gte=start, commission__deadline__lte=end
        )
        .exclude(commission__state=CommissionState.CANCELLED)
        .select_related("commission")
        .order_by("commission__deadline", "commission_id", "unit_id")
    )
    outcomes = []
    for target in targets:
        commission = target.commission
        closed_early = (
            commission.state == CommissionState.CLOSED
            and commission.closed_at is not None
            and commission.closed_at < commission.deadline_end
        )
        if closed_early and target.answered_at is None:
            continue
        outcomes.append(
            CommissionOutcome(
                commission_id=commission.pk,
                title=commission.title,
                unit_id=target.unit_id,
                deadline=commission.deadline,
                answered_at=target.answered_at,
                declined=target.declined,
                state=outcome_state(
                    deadline=commission.deadline, answered_at=target.answered_at, now=now
                ),
            )
        )
    return outcomes


def may_manage(user: User) -> bool:
    """Editors and chiefs publish, close and remind commissions."""
    return user.is_authenticated and user.is_active and user.is_office_staff


def is_unit_member(user: User) -> bool:
    """Reporters and unit approvers see their unit's commissions."""
    return (
        user.is_authenticated
        and user.is_active
        and user.unit_id is not None
        and (user.is_reporter or user.is_unit_approver)
    )


def commissions_visible_to(user: User) -> QuerySet[Commission]:
    """The office sees every commission; a unit the ones addressed to it (not cancelled)."""
    qs = Commission.objects.all()
    if may_manage(user):
        return qs
    if is_unit_member(user) and user.unit_id is not None:
        mine = CommissionTarget.objects.filter(commission=OuterRef("pk"), unit_id=user.unit_id)
        return qs.filter(Exists(mine)).exclude(state=CommissionState.CANCELLED)
    return qs.none()


def get_commission(user: User, pk: int) -> Commission:
    """One commission `user` may read, or 404 (a unit never learns of others' commissions)."""
    commission = (
        commissions_visible_to(user).select_related("created_by", "closed_by").filter(pk=pk).first()
    )
    if commission is None:
        raise Http404("约稿不存在或未向本单位约稿。")
    return commission


def target_for(user: User, commission: Commission) -> CommissionTarget:
    """The target of the user's unit in this commission, or 404 when it is not addressed to it."""
    if not is_unit_member(user) or user.unit_id is None:
        raise Http404("该约稿未向您的单位约稿。")
    target = (
        CommissionTarget.objects.select_related("unit", "commission")
        .filter(commission=commission, unit_id=user.unit_id)
        .first()
    )
    if target is None:
        raise Http404("该约稿未向您的单位约稿。")
    return target


@dataclass(frozen=True)
class CommissionFilter:
    state: str | None = None
    unit_id: int | None = None
    date_from: date | None = None  # deadline on or after
    date_to: date | None = None  # deadline on or before
    overdue: bool = False  # past the deadline with units that have not answered


def _overdue(today: date) -> Q:
    late = CommissionTarget.objects.filter(commission=OuterRef("pk"), state__in=UNANSWERED)
    return Q(deadline__lt=today, state=CommissionState.OPEN) & Q(Exists(late))


def commission_list(
    user: User, filters: CommissionFilter, *, today: date | None = None
) -> QuerySet[Commission]:
    """Commissions for the list and the export, with counts of targets, answers and misses."""
    today = today or timezone.localdate()
    qs = commissions_visible_to(user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.unit_id:
        qs = qs.filter(Exists(CommissionTarget.objects.filter(
            commission=OuterRef("pk"), unit_id=filters.unit_id
        )))  # fmt: skip
    if filters.date_from:
        qs = qs.filter(deadline__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(deadline__lte=filters.date_to)
    if filters.overdue:
        qs = qs.filter(_overdue(today))
    return (
        qs.select_related("created_by")
        .annotate(
            n_targets=Count("targets", distinct=True),
            n_responded=Count("targets", filter=Q(targets__state__in=RESPONDED), distinct=True),
            n_late=Count("targets", filter=Q(targets__state=TargetState.LATE), distinct=True),
            n_missed=Count("targets", filter=Q(targets__state=TargetState.MISSED), distinct=True),
        )
        .order_by("-issued_on", "-pk")
    )


def targets_of(commission: Commission) -> QuerySet[CommissionTarget]:
    """Every unit of a commission with its answers and their submissions (office detail page)."""
    return (
        CommissionTarget.objects.filter(commission=commission)
        .select_related("unit")
        .prefetch_related("answers__submission")
        .order_by("unit__order", "unit__name")
    )


def answers_of(target: CommissionTarget) -> QuerySet[CommissionAnswer]:
    """The submissions a unit linked to its target, oldest first."""
    return target.answers.select_related("submission").order_by("linked_at", "pk")


def open_targets_for_unit(user: User) -> QuerySet[CommissionTarget]:
    """Open commissions addressed to the user's unit that still wait for it, soonest first
    (the unit's home panel; overdue ones included)."""
    if not is_unit_member(user) or user.unit_id is None:
        return CommissionTarget.objects.none()
    return (
        CommissionTarget.objects.filter(
            unit_id=user.unit_id,
            state__in=UNANSWERED,
            commission__state=CommissionState.OPEN,
        )
        .select_related("commission")
        .order_by("commission__deadline", "commission_id")
    )


def recent_answers(user: User, *, limit: int = 10) -> QuerySet[CommissionAnswer]:
    """The latest submissions units linked to commissions (the editor's home panel)."""
    if not may_manage(user):
        return CommissionAnswer.objects.none()
    return CommissionAnswer.objects.select_related(
        "target__unit", "target__commission", "submission"
    ).order_by("-linked_at", "-pk")[:limit]


def overdue_targets(user: User, *, limit: int = 20) -> QuerySet[CommissionTarget]:
    """Units past a deadline of an open commission without an answer (the editor's panel)."""
    if not may_manage(user):
        return CommissionTarget.objects.none()
    return (
        CommissionTarget.objects.filter(commission__state=CommissionState.OPEN)
        .filter(
            Q(state=TargetState.MISSED)
            | Q(state=TargetState.PENDING, commission__deadline__lt=timezone.localdate())
        )
        .select_related("unit", "commission")
        .order_by("commission__deadline", "unit__order")[:limit]
    )


def linkable_submissions(user: User) -> QuerySet[Submission]:
    """The user's unit's reported items not yet linked to any commission (newest first)."""
    if not is_unit_member(user) or user.unit_id is None:
        return Submission.objects.none()
    linked = CommissionAnswer.objects.filter(submission=OuterRef("pk"))
    return (
        submissions_visible_to(user)
        .filter(unit_id=user.unit_id)
        .exclude(state=State.DRAFT)
        .exclude(Exists(linked))
        .order_by("-updated_at", "-pk")
    )
