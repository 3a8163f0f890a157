"""Commissions made through the real services, at a fixed moment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from jianbao.accounts.models import Unit, User
from jianbao.commissions.models import Commission, TargetMode
from jianbao.commissions.services import do_create_commission

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Thursday before the 2025 National Day holiday: 3 working days → Mon 2025-09-29.
ISSUED_ON = date(2025, 9, 25)
DEADLINE = date(2025, 9, 29)


def at(day: date, hour: int = 10, minute: int = 0, second: int = 0) -> datetime:
    """A moment in the office's time zone."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)


def make_commission(
    *,
    editor: User,
    units: Iterable[Unit | None],  # a persona's `reporter.unit` (never None for reporters)
    title: str = "关于报送国庆假期文明实践活动情况的约稿",
    working_days: int = 3,
    issued_on: date = ISSUED_ON,
) -> Commission:
    return do_create_commission(
        actor=editor,
        title=title,
        description="请各单位报送国庆、中秋假期期间开展文明实践活动的做法和成效，每篇不超过800字。",
        working_days=working_days,
        target_mode=TargetMode.CHOSEN,
        units=[unit for unit in units if unit is not None],
        issued_on=issued_on,
        now=at(issued_on),
    )
