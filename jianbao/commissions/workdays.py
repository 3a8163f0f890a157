"""Working days in China: the official holiday and make-up-day calendar (no Django).

The State Council publishes each year's arrangement (放假调休安排) late in the previous year; the
maintained package `chinesecalendar` carries it. For a year it does not cover yet, weekdays count
as working days and weekends do not, and every result says so (`estimated`), so that the UI can
show 「该年度节假日安排尚未发布，按周末计算」.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

MAX_WORKING_DAYS = 250  # about a year of working days; longer requests make no sense here


@dataclass(frozen=True)
class WorkdayResult:
    """A date computed in working days, and whether a year without published data was crossed."""

    day: date
    estimated: bool


def calendar_covers(year: int) -> bool:
    """Whether the official arrangement of `year` is in the calendar data."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> tuple[bool, bool]:
    """(whether `day` is a working day, whether the official calendar knew it)."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_workdays(start: date, days: int) -> WorkdayResult:
    """The date `days` working days after `start` (the issuing day itself does not count)."""
    if not 1 <= days <= MAX_WORKING_DAYS:
        raise ValueError(f"working days must be between 1 and {MAX_WORKING_DAYS}")
    day, counted, estimated = start, 0, False
    while counted < days:
        day += timedelta(days=1)
        working, known = is_workday(day)
        estimated = estimated or not known
        counted += working
    return WorkdayResult(day=day, estimated=estimated)


def workdays_left(today: date, deadline: date) -> int:
    """Working days from `today` to `deadline`: 0 on the deadline itself (or a holiday just
    before it), the count of working days in (today, deadline] before it, and minus the working
    days in (deadline, today] after it (how far overdue)."""
    if today == deadline:
        return 0
    low, high, sign = (today, deadline, 1) if today < deadline else (deadline, today, -1)
    count, day = 0, low
    while day < high:
        day += timedelta(days=1)
        count += is_workday(day)[0]
    return sign * count
