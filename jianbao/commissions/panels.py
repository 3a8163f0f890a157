"""The commission panels of the 工作台 (see `jianbao.workbench.panels`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.commissions import selectors
from jianbao.commissions.models import CommissionTarget
from jianbao.commissions.workdays import workdays_left
from jianbao.workbench.panels import Panel

LIST_SIZE = 8


@dataclass(frozen=True)
class OpenRow:
    target: CommissionTarget
    days_left: int  # working days; negative when overdue
    overdue: bool


def open_commissions_panel(user: User) -> Panel | None:
    """Reporter / unit approver: open commissions for my unit with working days left."""
    if not selectors.is_unit_member(user):
        return None
    qs = selectors.open_targets_for_unit(user)
    now = timezone.now()
    today = timezone.localdate(now)
    rows = [
        OpenRow(
            target=t,
            days_left=workdays_left(today, t.commission.deadline),
            overdue=now >= t.commission.deadline_end,
        )
        for t in qs[:LIST_SIZE]
    ]
    count = len(rows) if len(rows) < LIST_SIZE else qs.count()  # counted only past a page
    return Panel(
        key="commissions",
        title="约稿待报",
        template="commissions/_workbench_open.html",
        items=rows,
        count=count,
        link=reverse("commissions:list") + "?state=open",
        empty="没有需要本单位报送的约稿。",
        order=20,
    )


def commission_answers_panel(user: User) -> Panel | None:
    """Editor: recent answers to commissions, and units past a deadline without an answer."""
    if not selectors.may_manage(user):
        return None
    answers = list(selectors.recent_answers(user, limit=LIST_SIZE))
    overdue = list(selectors.overdue_targets(user, limit=LIST_SIZE))
    return Panel(
        key="commission-answers",
        title="约稿回复",
        template="commissions/_workbench_answers.html",
        items=answers + overdue,  # the template reads the two lists from `extra`
        link=reverse("commissions:list"),
        empty="还没有单位回复约稿。",
        order=35,
        extra={"answers": answers, "overdue": overdue},
    )
