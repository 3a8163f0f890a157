"""Demo distribution (分发签收): 《上街信息》's 报/送/发 lists, and the published 第34期 delivered
with some receipts missing — 张书记 read and signed, 矿山街道 signed, 区委宣传部 only read it,
the others have not opened it yet (the office can remind them)."""

from __future__ import annotations

from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.workflow import IssueState
from jianbao.distribution.models import Distribution, Line, RecipientKind
from jianbao.distribution.services import (
    deliver,
    do_acknowledge,
    do_add_series_recipient,
    do_record_read,
    do_save_group,
    start_distribution,
)

# 发：峡窝镇、各街道办事处、区直各单位负责同志 — the demo's units with accounts.
DISTRIBUTE_TO = ("区委宣传部", "工业路街道", "矿山街道", "区总工会", "先进制造业开发区")


def _lists(series: Series, editor: User, users: dict[str, User], units: dict[str, Unit]) -> None:
    leaders = do_save_group(
        actor=editor,
        name="区县处级领导",
        description="《上街信息》本期送：区县处级领导",
        members=[users["lingdao"]],
    )
    do_add_series_recipient(
        actor=editor, series=series, line=Line.SEND, kind=RecipientKind.GROUP, group=leaders,
        paper=True,
    )  # fmt: skip
    for name in DISTRIBUTE_TO:
        do_add_series_recipient(
            actor=editor, series=series, line=Line.DISTRIBUTE, kind=RecipientKind.UNIT,
            unit=units[name],
        )  # fmt: skip


def build_distribution_demo(users: dict[str, User], units: dict[str, Unit]) -> None:
    """Give 《上街信息》 its lists and deliver the published 第34期 with receipts missing."""
    editor = users["wangsiyu"]
    issue = Issue.objects.filter(series__title="上街信息", state=IssueState.PUBLISHED).first()
    if issue is None:
        return
    _lists(issue.series, editor, users, units)
    start_distribution(issue=issue, actor=editor)  # 第34期 was printed before the lists existed
    deliver(Distribution.objects.get(issue=issue).pk)  # the queued task then finds nothing to do
    now = timezone.now()
    for username in ("lingdao", "xcb"):
        do_record_read(issue=issue, user=users[username], now=now)
    for username in ("lingdao", "ks_shenhe"):
        do_acknowledge(issue=issue, user=users[username], now=now)
