"""The instruction panels of the 工作台 (see `jianbao.workbench.panels`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.instructions import selectors
from jianbao.workbench.panels import Panel

LIST_SIZE = 8


def open_instructions_panel(user: User) -> Panel | None:
    """Reporter / unit approver: instructions waiting for my unit's feedback."""
    if not selectors.is_unit_member(user):
        return None
    qs = selectors.open_targets_for_unit(user)
    items = list(qs[:LIST_SIZE])
    return Panel(
        key="instructions",
        title="批示待反馈",
        template="instructions/_workbench_open.html",
        items=items,
        count=len(items) if len(items) < LIST_SIZE else qs.count(),  # counted only past a page
        link=reverse("instructions:list") + "?state=open",
        empty="没有需要本单位反馈的批示。",
        order=21,
        extra={"today": timezone.localdate()},
    )


def instruction_feedback_panel(user: User) -> Panel | None:
    """Editor: feedback to read or close, and units past the due date."""
    if not selectors.may_manage(user):
        return None
    qs = selectors.office_attention()
    items = list(qs[:LIST_SIZE])
    return Panel(
        key="instruction-feedback",
        title="批示督办",
        template="instructions/_workbench_office.html",
        items=items,
        count=len(items) if len(items) < LIST_SIZE else qs.count(),  # counted only past a page
        link=reverse("instructions:list"),
        empty="没有待处理的批示反馈。",
        order=36,
    )
