"""Reads for the 工作台 and the header counts, built on each app's permission-scoped selectors."""

from __future__ import annotations

from dataclasses import dataclass

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.workflow import IssueState
from jianbao.notifications.selectors import UNREAD_CAP, unread_count
from jianbao.submissions.models import StateCount
from jianbao.submissions.workflow import State


@dataclass(frozen=True)
class MenuCounts:
    unread: int
    inbox_new: int  # 收稿箱: submitted, not yet claimed
    to_sign: int  # 待签发: issues in proof, for a chief
    to_approve: int  # 待审核: the unit approver's queue
    returned: int  # 退回: the reporter's unit's items returned or sent back

    @property
    def unread_label(self) -> str:
        return f"{UNREAD_CAP}+" if self.unread > UNREAD_CAP else str(self.unread)


def _state_total(states: list[State], unit_id: int | None = None) -> int:
    """From the per-unit counters the submission services keep: a few rows, not the table."""
    rows = StateCount.objects.filter(state__in=states, count__gt=0)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return sum(rows.values_list("count", flat=True))


def menu_counts_for(user: User) -> MenuCounts:
    """The counts shown in the header for this user's roles."""
    unit_id = user.unit_id
    in_unit = unit_id is not None
    return MenuCounts(
        unread=unread_count(user),
        inbox_new=_state_total([State.SUBMITTED]) if user.is_office_staff else 0,
        to_sign=Issue.objects.filter(state=IssueState.PROOF).count() if user.is_chief else 0,
        to_approve=(
            _state_total([State.AWAITING_UNIT_APPROVAL], unit_id)
            if in_unit and user.is_unit_approver
            else 0
        ),
        returned=(
            _state_total([State.RETURNED, State.SENT_BACK], unit_id)
            if in_unit and user.is_reporter
            else 0
        ),
    )
