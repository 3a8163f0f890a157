"""The emergency panel of the 工作台: a one-button start for reporters, open threads for all."""

from __future__ import annotations

from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.emergency import selectors
from jianbao.emergency.models import ThreadState
from jianbao.workbench.panels import Panel

LIST_SIZE = 5


def emergency_panel(user: User) -> Panel | None:
    """Reporters: 「报送紧急信息」 and their unit's open threads; the office: every open thread."""
    if not (selectors.may_start(user) or selectors.may_manage(user)):
        return None
    rows = [
        row
        for row in selectors.thread_rows(user, limit=LIST_SIZE * 2)
        if row.thread.state == ThreadState.OPEN
    ][:LIST_SIZE]
    return Panel(
        key="emergency",
        title="紧急信息",
        template="emergency/_workbench.html",
        items=rows,
        link=reverse("emergency:list"),
        empty="",  # the template always draws the 「报送紧急信息」 button
        order=5,
        extra={"may_start": selectors.may_start(user)},
    )
