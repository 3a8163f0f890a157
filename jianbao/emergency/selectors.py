"""Permission-scoped reads of emergency reports, their time limits, and the 送阅件 facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.emergency.clock import Countdown, Limits, countdown
from jianbao.emergency.models import EmergencyReport, EmergencyThread, ThreadState


def limits() -> Limits:
    """The configured time limits (JIANBAO_EMERGENCY_FIRST_MINUTES / _FOLLOWUP_HOURS)."""
    return Limits(
        first_minutes=settings.JIANBAO_EMERGENCY_FIRST_MINUTES,
        followup_hours=settings.JIANBAO_EMERGENCY_FOLLOWUP_HOURS,
    )


def may_manage(user: User) -> bool:
    """Editors and chiefs watch every thread and forward 送阅件."""
    return user.is_authenticated and user.is_active and user.is_office_staff


def is_unit_member(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.unit_id is not None
        and (user.is_reporter or user.is_unit_approver)
    )


def may_start(user: User) -> bool:
    """Reporters start an emergency report for their unit."""
    return (
        user.is_authenticated and user.is_active and user.unit_id is not None and user.is_reporter
    )


def threads_visible_to(user: User) -> QuerySet[EmergencyThread]:
    """Office: all; a unit: its own; a leader: those forwarded to leaders as 送阅件."""
    qs = EmergencyThread.objects.select_related("unit", "started_by")
    if may_manage(user):
        return qs
    mine = Q(pk__in=[])
    if is_unit_member(user):
        mine |= Q(unit_id=user.unit_id)
    if user.is_authenticated and user.is_active and user.is_leader:
        mine |= Q(compiled_at__isnull=False)
    return qs.filter(mine)


def get_thread(user: User, pk: int) -> EmergencyThread:
    """One thread `user` may read, or 404."""
    found = threads_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("紧急信息不存在或无权查看。")
    return found


def reports_of(thread: EmergencyThread) -> QuerySet[EmergencyReport]:
    return thread.reports.select_related("reported_by")


def thread_countdown(thread: EmergencyThread, *, now: datetime | None = None) -> Countdown | None:
    """Time left until the next report is due (None once the final report is in)."""
    if thread.state != ThreadState.OPEN or thread.next_due_at is None:
        return None
    return countdown(due_at=thread.next_due_at, now=now or timezone.now())


@dataclass(frozen=True)
class ThreadRow:
    thread: EmergencyThread
    countdown: Countdown | None
    late_reports: int


def thread_rows(user: User, *, now: datetime | None = None, limit: int = 50) -> list[ThreadRow]:
    """Recent threads with their countdown and how many of their reports came late."""
    now = now or timezone.now()
    threads = list(threads_visible_to(user).prefetch_related("reports")[:limit])
    return [
        ThreadRow(
            thread=t,
            countdown=thread_countdown(t, now=now),
            late_reports=sum(1 for r in t.reports.all() if r.late),
        )
        for t in threads
    ]


@dataclass(frozen=True)
class ForwardedReport:
    """A 送阅件 forwarded to leaders: the fact scoring counts (R4: 送阅件 adopted)."""

    thread_id: int
    unit_id: int
    date: date


def forwarded_reports(*, start: date, end: date) -> list[ForwardedReport]:
    """Threads compiled into a 送阅件 whose forwarding day lies in [start, end]."""
    zone = timezone.get_current_timezone()
    rows = EmergencyThread.objects.filter(
        compiled_at__date__gte=start, compiled_at__date__lte=end
    ).values_list("pk", "unit_id", "compiled_at")
    return [
        ForwardedReport(thread_id=pk, unit_id=unit, date=at.astimezone(zone).date())
        for pk, unit, at in rows
        if at is not None
    ]
