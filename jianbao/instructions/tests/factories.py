"""A printed entry and an instruction follow-up made at a fixed moment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from jianbao.accounts.models import Unit, User
from jianbao.assessment.models import LeaderLevel
from jianbao.bulletins.models import Entry, EntrySource, Issue, Series
from jianbao.bulletins.workflow import IssueState
from jianbao.instructions.models import FollowUp
from jianbao.instructions.services import do_create_follow_up

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = date(2025, 9, 22)
DUE = date(2025, 9, 26)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in the office's time zone."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def printed_entry(*, units: Iterable[Unit | None], title: str = "某街道推进老旧小区改造") -> Entry:
    """An entry of a published issue crediting `units` (made directly: publishing typesets)."""
    series, _ = Series.objects.get_or_create(title="上街信息", defaults={"organ": "区委办公室"})
    number = Issue.objects.filter(series=series).count() + 1
    issue = Issue.objects.create(
        series=series, year=DAY.year, number=number, issue_date=DAY,
        state=IssueState.PUBLISHED, updated_at=at(DAY), published_at=at(DAY),
    )  # fmt: skip
    entry = Entry.objects.create(
        issue=issue, order=1, title=title, body="正文。", updated_at=at(DAY)
    )
    for order, unit in enumerate(u for u in units if u is not None):
        EntrySource.objects.create(entry=entry, unit=unit, order=order)
    return entry


def make_follow_up(
    *,
    actor: User,
    units: Iterable[Unit | None],
    due_date: date = DUE,
    leader: User | None = None,
) -> FollowUp:
    chosen = [u for u in units if u is not None]
    return do_create_follow_up(
        actor=actor,
        entry=printed_entry(units=chosen),
        leader_name="王区长",
        leader_level=LeaderLevel.DISTRICT,
        day=DAY,
        text="请相关单位抓好落实，及时反馈进展。",
        units=chosen,
        due_date=due_date,
        leader=leader,
        now=at(DAY),
    )
