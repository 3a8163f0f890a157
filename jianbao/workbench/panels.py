"""The panels of the 工作台: one builder per kind of work, each shown to the roles it concerns.

How to add a panel (e.g. from `jianbao.commissions`):

1. Write a builder next to your selectors, `def open_commissions_panel(user: User) -> Panel | None`,
   that returns None when the panel does not concern `user`, and otherwise a `Panel` whose
   `items` come from your app's permission-scoped selectors (keep it to a few indexed queries:
   the home page must answer in well under 150 ms).
2. Write the panel's body as a template include, e.g. `commissions/_workbench_open.html`; it
   gets `panel` (the `Panel`, with `panel.items`) and `user`. The heading, count, "more" link
   and empty text are drawn by the workbench around it.
3. Add the builder's dotted path to `PANEL_BUILDERS` below, where its `order` places it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.module_loading import import_string

from jianbao.accounts.models import User
from jianbao.accounts.selectors import audit_events_visible_to
from jianbao.notifications.selectors import failed_deliveries, notifications_of
from jianbao.workbench import selectors

PanelBuilder = Callable[[User], "Panel | None"]


@dataclass
class Panel:
    key: str  # the section's id, for links like /#to-sign
    title: str
    template: str  # renders `panel.items`
    items: list[Any] = field(default_factory=list)
    count: int | None = None
    link: str = ""  # "查看全部" target
    link_label: str = "查看全部"
    empty: str = "暂无待办。"
    order: int = 100  # smaller first
    extra: dict[str, Any] = field(default_factory=dict)


def returned_panel(user: User) -> Panel | None:
    if not user.is_reporter or user.unit_id is None:
        return None
    items = selectors.returned_items(user)
    return Panel(
        key="returned",
        title="退回修改",
        template="workbench/_returned.html",
        items=items,
        count=selectors.menu_counts_for(user).returned,
        link=reverse("submissions:unit_list") + "?state=returned",
        empty="没有被退回的信息。",
        order=10,
    )


def outcomes_panel(user: User) -> Panel | None:
    if not user.is_reporter or user.unit_id is None:
        return None
    return Panel(
        key="outcomes",
        title="我的信息最新结果",
        template="workbench/_outcomes.html",
        items=selectors.my_outcomes(user),
        link=reverse("submissions:unit_list"),
        empty="还没有已处理的信息。",
        order=30,
    )


def approval_panel(user: User) -> Panel | None:
    if not user.is_unit_approver or user.unit_id is None:
        return None
    queue = selectors.approval_queue(user)
    return Panel(
        key="to-approve",
        title="待我审核",
        template="workbench/_submissions.html",
        items=list(queue[: selectors.LIST_SIZE]),
        count=selectors.menu_counts_for(user).to_approve,
        link=reverse("submissions:unit_list"),
        empty="没有待审核的信息。",
        order=10,
    )


def inbox_panel(user: User) -> Panel | None:
    if not user.is_office_staff:
        return None
    return Panel(
        key="new",
        title="新收稿件",
        template="workbench/_submissions.html",
        items=list(selectors.new_submissions(user)[: selectors.LIST_SIZE]),
        count=selectors.menu_counts_for(user).inbox_new,
        link=reverse("submissions:inbox") + "?state=submitted",
        empty="没有待认领的稿件。",
        order=20,
    )


def claims_panel(user: User) -> Panel | None:
    if not user.is_office_staff:
        return None
    claims = selectors.my_claims(user)
    items = list(claims[: selectors.LIST_SIZE])
    return Panel(
        key="claimed",
        title="我认领的稿件",
        template="workbench/_submissions.html",
        items=items,
        count=len(items) if len(items) < selectors.LIST_SIZE else claims.count(),  # past a page
        link=reverse("submissions:inbox") + "?state=in_review",
        empty="您目前没有认领的稿件。",
        order=30,
    )


def issues_panel(user: User) -> Panel | None:
    if not user.is_editor:
        return None
    issues = list(selectors.issues_in_the_making(user)[: selectors.LIST_SIZE])
    return Panel(
        key="issues",
        title="编辑中和校样中的期刊",
        template="workbench/_issues.html",
        items=issues,
        count=len(issues),
        link=reverse("bulletins:list"),
        empty="没有正在编辑的期刊。",
        order=40,
    )


def sign_panel(user: User) -> Panel | None:
    if not user.is_chief:
        return None
    issues = selectors.issues_to_sign(user)
    return Panel(
        key="to-sign",
        title="待签发",
        template="workbench/_to_sign.html",
        items=list(issues[: selectors.LIST_SIZE]),
        count=selectors.menu_counts_for(user).to_sign,
        link=reverse("bulletins:list"),
        empty="没有等待签发的期刊。",
        order=5,
    )


def reading_panel(user: User) -> Panel | None:
    if not user.is_leader:
        return None
    return Panel(
        key="to-read",
        title="新印发的简报",
        template="workbench/_to_read.html",
        items=list(selectors.new_issues(user)[: selectors.LIST_SIZE]),
        link=reverse("bulletins:list"),
        empty="还没有印发的简报。",
        order=10,
    )


def admin_panel(user: User) -> Panel | None:
    if not user.is_superuser:
        return None
    failed = failed_deliveries(user)
    items = list(failed[:5])
    return Panel(
        key="admin",
        title="系统管理",
        template="workbench/_admin.html",
        items=items,
        count=len(items) if len(items) < 5 else failed.count(),
        empty="",
        order=10,
    )


def audit_panel(user: User) -> Panel | None:
    if not user.is_auditor:
        return None
    return Panel(
        key="audit",
        title="最近的审计事件",
        template="workbench/_audit.html",
        items=list(audit_events_visible_to(user).order_by("-pk")[:5]),
        link=reverse("accounts:audit"),
        empty="还没有审计事件。",
        order=10,
    )


def notifications_panel(user: User) -> Panel | None:
    unread = selectors.menu_counts_for(user).unread
    return Panel(
        key="notifications",
        title="未读消息",
        template="workbench/_notifications.html",
        items=list(notifications_of(user, unread_only=True)[:5]),
        count=unread,
        link=reverse("notifications:list"),
        empty="没有未读消息。",
        order=90,
    )


PANEL_BUILDERS: list[str] = [
    "jianbao.emergency.panels.emergency_panel",
    "jianbao.workbench.panels.sign_panel",
    "jianbao.distribution.panels.inbox_panel",
    "jianbao.workbench.panels.returned_panel",
    "jianbao.workbench.panels.approval_panel",
    "jianbao.workbench.panels.inbox_panel",
    "jianbao.workbench.panels.outcomes_panel",
    "jianbao.workbench.panels.claims_panel",
    "jianbao.commissions.panels.open_commissions_panel",
    "jianbao.commissions.panels.commission_answers_panel",
    "jianbao.instructions.panels.open_instructions_panel",
    "jianbao.instructions.panels.instruction_feedback_panel",
    "jianbao.workbench.panels.issues_panel",
    "jianbao.workbench.panels.reading_panel",
    "jianbao.workbench.panels.admin_panel",
    "jianbao.workbench.panels.audit_panel",
    "jianbao.workbench.panels.notifications_panel",
]


def panels_for(user: User) -> list[Panel]:
    """Every panel that concerns the user, in display order."""
    panels = []
    for path in PANEL_BUILDERS:
        builder: PanelBuilder = import_string(path)
        panel = builder(user)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda panel: panel.order)
