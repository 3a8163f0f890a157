"""The time limits as pure functions, with a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jianbao.emergency.clock import Limits, countdown, due_of_next, is_late

START = datetime(2025, 9, 22, 8, 0, tzinfo=UTC)
LIMITS = Limits(first_minutes=60, followup_hours=4)


def test_first_report_is_due_an_hour_after_the_start() -> None:
    assert due_of_next(started_at=START, reported=[], limits=LIMITS) == START + timedelta(hours=1)


def test_follow_ups_are_due_after_the_last_report() -> None:
    reports = [START + timedelta(minutes=50), START + timedelta(hours=3)]
    due = due_of_next(started_at=START, reported=reports, limits=LIMITS)
    assert due == START + timedelta(hours=7)


def test_lateness_at_the_second() -> None:
    due = START + timedelta(hours=1)
    assert not is_late(due_at=due, reported_at=due)
    assert is_late(due_at=due, reported_at=due + timedelta(seconds=1))


def test_countdown_before_and_after() -> None:
    due = START + timedelta(hours=1)
    assert countdown(due_at=due, now=START).seconds_left == 3600
    late = countdown(due_at=due, now=due + timedelta(minutes=5))
    assert late.overdue and late.seconds_left == -300
