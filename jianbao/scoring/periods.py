"""Calendar periods: parsing 「2024-06」-style names and the week/month/quarter/year a day is in."""

from __future__ import annotations

import re
from datetime import date, timedelta

from jianbao.scoring.model import Period


class PeriodError(ValueError):
    """A period name that cannot be read (the message is Chinese and one line)."""


def month_period(year: int, month: int) -> Period:
    """The whole of one calendar month."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return Period(first, following - timedelta(days=1))


def quota_period(day: date, kind: str) -> Period:
    """The week (ISO, Monday–Sunday), month, quarter or year that contains a day."""
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6))
    if kind == "month":
        return month_period(day.year, day.month)
    if kind == "quarter":
        first_month = 3 * ((day.month - 1) // 3) + 1
        return Period(
            month_period(day.year, first_month).start, month_period(day.year, first_month + 2).end
        )
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31))
    raise PeriodError(f"未知的定额周期：{kind}")


def quota_periods_ending_in(period: Period, kind: str) -> list[Period]:
    """Every quota period of a kind whose last day falls inside `period`, in order."""
    found: list[Period] = []
    current = quota_period(period.start, kind)
    while current.start <= period.end:
        if current.end in period:
            found.append(current)
        current = quota_period(current.end + timedelta(days=1), kind)
    return found


def months_of(period: Period) -> list[Period]:
    """The calendar months a period touches, each cut to the period."""
    months = []
    current = month_period(period.start.year, period.start.month)
    while current.start <= period.end:
        months.append(Period(max(current.start, period.start), min(current.end, period.end)))
        following = current.end + timedelta(days=1)
        current = month_period(following.year, following.month)
    return months


_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.|～|~)(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> Period:
    """「2024」, 「2024-Q2」, 「2024-06」, 「2024-06-03」 or 「2024-06-01..2024-06-30」."""
    value = text.strip()
    try:
        if match := _RANGE.match(value):
            start, end = date.fromisoformat(match[1]), date.fromisoformat(match[2])
            if end < start:
                raise PeriodError(f"期间「{text}」的结束日期早于开始日期")
            return Period(start, end)
        if re.fullmatch(r"\d{4}", value):
            return quota_period(date(int(value), 1, 1), "year")
        if match := re.fullmatch(r"(\d{4})-[Qq]([1-4])", value):
            return quota_period(date(int(match[1]), 3 * int(match[2]) - 2, 1), "quarter")
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
            return month_period(int(match[1]), int(match[2]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value)
            return Period(day, day)
    except ValueError as error:
        if isinstance(error, PeriodError):
            raise
        raise PeriodError(f"无法识别的期间「{text}」：日期无效") from error
    raise PeriodError(
        f"无法识别的期间「{text}」（可用 2024、2024-Q2、2024-06、2024-06-01..2024-06-30）"
    )


def period_label(period: Period) -> str:
    """A Chinese name for a period: 「2024年6月」, 「2024年第2季度」, 「2024年」 or a range."""
    start, end = period.start, period.end
    if period == month_period(start.year, start.month):
        return f"{start.year}年{start.month}月"
    if start.month in (1, 4, 7, 10) and period == quota_period(start, "quarter"):
        return f"{start.year}年第{(start.month + 2) // 3}季度"
    if period == quota_period(start, "year"):
        return f"{start.year}年"
    return f"{start:%Y-%m-%d}～{end:%Y-%m-%d}"
