"""Demo commissions (约稿): one open with some answers, one overdue with a late and a missed unit.

Dates are relative to the day the demo is built, so home pages and the list always show real
work: the open one is due in a few working days, the overdue one passed its deadline weeks ago.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.commissions.models import Commission, TargetMode
from jianbao.commissions.services import (
    do_answer_with_new_submission,
    do_create_commission,
    do_decline_commission,
    do_sweep_commissions,
)

OPEN_UNITS = ("区委宣传部", "工业路街道", "区总工会", "团区委", "先进制造业开发区")
OVERDUE_UNITS = ("区司法局", "区检察院", "区法院", "区妇联")


def _publish(
    *, editor: User, title: str, description: str, units: list[Unit], issued: datetime, days: int
) -> Commission:
    return do_create_commission(
        actor=editor,
        title=title,
        description=description,
        working_days=days,
        target_mode=TargetMode.CHOSEN,
        units=units,
        issued_on=timezone.localdate(issued),
        now=issued,
    )


def _answer(commission: Commission, user: User, title: str, body: str, at: datetime) -> None:
    do_answer_with_new_submission(commission=commission, actor=user, title=title, body=body, now=at)


def _open_commission(users: dict[str, User], units: dict[str, Unit], now: datetime) -> None:
    issued = now - timedelta(days=2)
    commission = _publish(
        editor=users["wangsiyu"],
        title="关于报送“我们的节日”主题文明实践活动情况的约稿",
        description="请各单位报送近期开展“我们的节日”主题文明实践活动的做法、成效和典型事例，"
        "突出群众参与和创新举措，每篇不超过800字，注明联系人。",
        units=[units[name] for name in OPEN_UNITS],
        issued=issued,
        days=7,
    )
    _answer(
        commission,
        users["xcb"],
        "区委宣传部“我们的节日”活动吸引群众广泛参与",
        "区委宣传部依托新时代文明实践中心，组织开展诵读、非遗展示、志愿服务等活动23场，"
        "参与群众4000余人次。\n活动注重群众点单、中心派单，满意度明显提升。",
        issued + timedelta(days=1),
    )
    do_decline_commission(
        commission=commission,
        actor=users["zgh"],
        reason="本单位近期未开展相关主题活动，下一阶段将结合职工文化活动另行报送。",
        now=issued + timedelta(days=1, hours=3),
    )


def _overdue_commission(users: dict[str, User], units: dict[str, Unit], now: datetime) -> None:
    issued = now - timedelta(days=30)
    commission = _publish(
        editor=users["wangsiyu"],
        title="关于报送未成年人保护工作经验做法的约稿",
        description="请相关单位报送今年以来未成年人保护工作的主要做法、取得成效及下一步打算，"
        "每篇1000字以内。",
        units=[units[name] for name in OVERDUE_UNITS],
        issued=issued,
        days=5,
    )
    _answer(
        commission,
        users["sfj"],
        "区司法局“三个当天”做好未成年人法律援助",
        "区司法局对未成年人法律援助申请做到当天受理、当天审查、当天指派，"
        "今年以来办理未成年人法律援助案件36件。",
        issued + timedelta(days=1),
    )
    do_decline_commission(
        commission=commission,
        actor=users["fl"],
        reason="相关工作已在上期专报中报送，本次无新增情况。",
        now=issued + timedelta(days=2),
    )
    _answer(
        commission,
        users["fy"],
        "区法院少年审判“圆桌”模式护航成长",
        "区法院推行少年审判圆桌审理模式，联合学校、社区开展回访帮教，涉少案件回访率100%。",
        commission.deadline_end + timedelta(days=2, hours=10),
    )
    # 区检察院 never answers: the sweep marks it 逾期未报 and tells its reporter.


def build_commissions_demo(users: dict[str, User], units: dict[str, Unit]) -> None:
    """The open and the overdue commission, then one sweep as the worker would run it."""
    now = timezone.now()
    _overdue_commission(users, units, now)
    _open_commission(users, units, now)
    do_sweep_commissions(now=now)
