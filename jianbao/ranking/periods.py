"""Scoring periods: a month, a quarter, a year or any date range, with its Chinese name.

Text forms (CLI, URLs): 「2024-06」, 「2024-Q2」, 「2024」, 「2024-06-01..2024-06-30」.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["month", "quarter", "year", "range"]
QUARTER_NAMES = ("一", "二", "三", "四")
# A range longer than this is refused: nobody ranks units over decades, and it bounds the work.
MAX_RANGE_DAYS = 3 * 366


class PeriodError(ValueError):
    """The period text is malformed (the message is Chinese, for the user)."""


@dataclass(frozen=True, order=True)
class Period:
    """Inclusive dates `start`..`end` and the kind of period they make."""

    start: datetime.date
    end: datetime.date
    kind: PeriodKind = "range"

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """The calendar month."""
        last = calendar.monthrange(year, month)[1]
        return cls(datetime.date(year, month, 1), datetime.date(year, month, last), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        """The calendar quarter (1–4)."""
        first = 3 * (quarter - 1) + 1
        last = calendar.monthrange(year, first + 2)[1]
        return cls(datetime.date(year, first, 1), datetime.date(year, first + 2, last), "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year."""
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), "year")

    @classmethod
    def between(cls, start: datetime.date, end: datetime.date) -> Period:
        """Any range; a whole month, quarter or year is recognised as such."""
        if end < start:
            raise PeriodError("结束日期不能早于开始日期")
        if (end - start).days > MAX_RANGE_DAYS:
            raise PeriodError("时间范围不能超过三年")
        for candidate in (
            cls.month(start.year, start.month),
            cls.quarter(start.year, (start.month - 1) // 3 + 1),
            cls.year(start.year),
        ):
            if (candidate.start, candidate.end) == (start, end):
                return candidate
        return cls(start, end, "range")

    @property
    def label(self) -> str:
        """「2024年6月」, 「2024年第二季度」, 「2024年」 or 「2024年6月1日至2024年6月20日」."""
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{QUARTER_NAMES[(self.start.month - 1) // 3]}季度"
        if self.kind == "year":
            return f"{self.start.year}年"
        return f"{_chinese(self.start)}至{_chinese(self.end)}"

    @property
    def key(self) -> str:
        """The text form that `parse_period` reads back."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def months(self) -> list[Period]:
        """The calendar months the period touches, clipped to it (for monthly trends)."""
        result = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            whole = Period.month(year, month)
            result.append(
                Period(max(whole.start, self.start), min(whole.end, self.end), whole.kind)
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    def overlaps(self, other: Period) -> bool:
        """True when the two periods share at least one day."""
        return self.start <= other.end and other.start <= self.end


def _chinese(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|~|至)\s*(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> Period:
    """Read 「2024-06」, 「2024-Q2」, 「2024」 or 「2024-06-01..2024-06-30」."""
    value = text.strip()
    try:
        if match := _MONTH.match(value):
            month = int(match[2])
            if not 1 <= month <= 12:
                raise PeriodError(f"月份“{match[2]}”无效")
            return Period.month(int(match[1]), month)
        if match := _QUARTER.match(value):
            return Period.quarter(int(match[1]), int(match[2]))
        if match := _YEAR.match(value):
            return Period.year(int(match[1]))
        if match := _RANGE.match(value):
            start = datetime.date.fromisoformat(match[1])
            end = datetime.date.fromisoformat(match[2])
            return Period.between(start, end)
    except ValueError as error:
        if isinstance(error, PeriodError):
            raise
        raise PeriodError(f"日期“{value}”无效") from error
    raise PeriodError(
        f"时间段“{value}”无法识别，应为 2024-06、2024-Q2、2024 或 2024-06-01..2024-06-30"
    )
