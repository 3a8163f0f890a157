"""The 「收件」 panel of the 工作台 (see `jianbao.workbench.panels`)."""

from __future__ import annotations

from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.distribution import selectors
from jianbao.distribution.policy import may_have_inbox
from jianbao.workbench.panels import Panel

LIST_SIZE = 8


def inbox_panel(user: User) -> Panel | None:
    """Recipients: delivered issues still to read or sign, unread first."""
    if not may_have_inbox(user):
        return None
    pending = selectors.inbox_of(user).filter(acknowledged_at__isnull=True)
    items = list(pending[:LIST_SIZE])
    if not items and not selectors.inbox_of(user).exists():
        return None  # never received anything: the panel does not concern this person
    return Panel(
        key="inbox",
        title="收件",
        template="distribution/_workbench_inbox.html",
        items=items,
        count=len(items) if len(items) < LIST_SIZE else pending.count(),
        link=reverse("distribution:inbox"),
        empty="分发给您的简报都已签收。",
        order=8,
    )
