"""Time limits of an emergency report (紧急信息), as pure functions of the moments involved.

The first written report (初报) is due `first_minutes` after the report was started; after each
report a follow-up (续报) is due `followup_hours` later, until the final report (终报) ends the
thread. `now` is always passed in, so the limits are tested with a controllable clock.
No Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limits:
    first_minutes: int
    followup_hours: float


def due_of_next(*, started_at: datetime, reported: list[datetime], limits: Limits) -> datetime:
    """When the next report is due: the first one after the start, later ones after the last."""
    if not reported:
        return started_at + timedelta(minutes=limits.first_minutes)
    return max(reported) + timedelta(hours=limits.followup_hours)


def is_late(*, due_at: datetime, reported_at: datetime) -> bool:
    """A report made after its due moment is late."""
    return reported_at > due_at


@dataclass(frozen=True)
class Countdown:
    due_at: datetime
    seconds_left: int  # negative when overdue
    overdue: bool


def countdown(*, due_at: datetime, now: datetime) -> Countdown:
    """How long until `due_at` (negative: overdue by that much)."""
    left = int((due_at - now).total_seconds())
    return Countdown(due_at=due_at, seconds_left=left, overdue=left < 0)
