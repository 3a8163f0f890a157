"""Demo instructions (批示督办), an emergency report (紧急信息) and a forwarding (转报):

- 张书记's instruction on an item of the published 《上街信息》, open (units still to report back);
- an instruction recorded by the office from paper, answered by the unit;
- a traffic accident reported by 工业路街道: 初报 on time, 续报 late, forwarded as a 送阅件;
- an item forwarded to the city office and adopted by 《郑州信息》 (an outside adoption).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.assessment.models import LeaderLevel
from jianbao.assessment.services.records import OutsideAdoption
from jianbao.bulletins.models import Entry
from jianbao.bulletins.workflow import IssueState
from jianbao.emergency.services import (
    Elements,
    do_add_report,
    do_forward_to_leaders,
    do_start_emergency,
)
from jianbao.forwarding.services import do_forward_entries, do_record_forward_outcome
from jianbao.instructions.services import do_create_follow_up, do_submit_feedback

ACCIDENT = Elements(
    occurred="今日上午9时40分", place="工业路与中原西路交叉口",
    what="一辆货车与一辆公交车发生碰撞，公交车上部分乘客受伤。",
    casualties="3人轻伤，已送医；车辆受损", causes="初步判断为货车闯红灯，具体原因正在调查",
    measures="交警、120、街道工作人员已到场处置，现场交通已疏导",
    next_steps="跟踪伤员救治情况，配合交警部门调查", contact="工业路街道 刘娜 13800000000",
)  # fmt: skip


def _entries() -> list[Entry]:
    return list(
        Entry.objects.filter(issue__state=IssueState.PUBLISHED, sources__isnull=False)
        .distinct()
        .order_by("issue__issue_date", "order")[:3]
    )


def _instructions(users: dict[str, User], entries: list[Entry], street: Unit) -> None:
    today = timezone.localdate()
    units = [s.unit for s in entries[0].sources.select_related("unit")] + [street]
    do_create_follow_up(
        actor=users["lingdao"], entry=entries[0], leader_name="张书记",
        leader_level=LeaderLevel.DISTRICT, day=today,
        text="此做法很好，请相关单位总结经验，进一步扩大覆盖面，一周内报进展。",
        units=units, due_date=today + timedelta(days=7), leader=users["lingdao"],
    )  # fmt: skip
    answered = do_create_follow_up(
        actor=users["wangsiyu"], entry=entries[1], leader_name="刘区长",
        leader_level=LeaderLevel.DISTRICT, day=today - timedelta(days=3),
        text="请区委宣传部抓好宣传推广，及时反馈。",
        units=[u for u in (users["xcb"].unit,) if u is not None],
        due_date=today + timedelta(days=2),
    )  # fmt: skip
    do_submit_feedback(
        actor=users["xcb"], follow_up=answered,
        text="已按批示要求制定宣传方案，在区融媒体中心开设专栏，本月底前完成系列报道。",
    )  # fmt: skip


def _emergency(users: dict[str, User]) -> None:
    now = timezone.now()
    start = now - timedelta(hours=6)
    thread = do_start_emergency(actor=users["gyl"], title="工业路一货车与公交车相撞", now=start)
    do_add_report(
        actor=users["gyl"], thread=thread, kind="initial", elements=ACCIDENT,
        now=start + timedelta(minutes=50),
    )  # fmt: skip
    followup = Elements(**{**ACCIDENT.__dict__, "casualties": "3名伤员均无生命危险，1人已出院"})
    do_add_report(
        actor=users["gyl"], thread=thread, kind="followup", elements=followup,
        now=start + timedelta(hours=5, minutes=20),  # due 4 hours after the 初报: late
    )  # fmt: skip
    do_forward_to_leaders(actor=users["wangsiyu"], thread=thread, now=now - timedelta(minutes=20))


def _forwarding(users: dict[str, User], entries: list[Entry]) -> None:
    entry = entries[-1]
    package = do_forward_entries(
        actor=users["wangsiyu"], entries=[entry], to_office="市政府办公室", note="推荐上报"
    )
    do_record_forward_outcome(
        actor=users["wangsiyu"], package=package, entry=entry,
        adoption=OutsideAdoption(
            outlet="郑州信息", level="city", form="single", date=timezone.localdate(),
            outlet_issue="第12期",
        ),
    )  # fmt: skip


def build_instructions_demo(users: dict[str, User], units: dict[str, Unit]) -> None:
    """An open and an answered instruction, an emergency thread, a forwarded item adopted."""
    entries = _entries()
    if len(entries) >= 2:
        _instructions(users, entries, units["工业路街道"])
        _forwarding(users, entries)
    _emergency(users)
