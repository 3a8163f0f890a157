"""Resolving a series' distribution list into the people who receive an issue (reads only).

The rules (also in the README):
- a **user** receives it if the account is active;
- a **unit** is read by its 负责同志: its active users holding the leader or unit-approver role;
  a unit with none of them receives it through its active reporters (信息员), who pass it on;
- a **role** is every active user holding it (leaders, unit approvers or reporters);
- a **group** (「区县处级领导」) is its active members.
A person reached by several entries gets one receipt: the first line (报, 送, 发, 增发 in that
order) and entry wins, and the person gets a paper copy if any entry reaching them asks for one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, Series
from jianbao.distribution.models import (
    LINE_ORDER,
    Receipt,
    RecipientKind,
    RecipientRole,
    SeriesRecipient,
)

ROLE_FLAGS = {
    RecipientRole.LEADER: "is_leader",
    RecipientRole.UNIT_APPROVER: "is_unit_approver",
    RecipientRole.REPORTER: "is_reporter",
}


@dataclass
class Planned:
    """One person an issue is to be delivered to."""

    user_id: int
    line: str
    via: str
    paper: bool
    copy_number: int | None = None


def _people(qs: QuerySet[User]) -> list[int]:
    return list(
        qs.filter(is_active=True).order_by("unit__order", "username").values_list("pk", flat=True)
    )


def _unit_readers(unit_id: int) -> list[int]:
    heads = _people(
        User.objects.filter(Q(is_leader=True) | Q(is_unit_approver=True), unit_id=unit_id)
    )
    return heads or _people(User.objects.filter(unit_id=unit_id, is_reporter=True))


def people_of(entry: SeriesRecipient) -> list[int]:
    """The ids of the active people one list entry reaches, in a stable order."""
    if entry.kind == RecipientKind.USER:
        return _people(User.objects.filter(pk=entry.user_id)) if entry.user_id else []
    if entry.kind == RecipientKind.UNIT:
        return _unit_readers(entry.unit_id) if entry.unit_id else []
    if entry.kind == RecipientKind.GROUP:
        return _people(User.objects.filter(recipient_groups=entry.group_id))
    flag = ROLE_FLAGS.get(RecipientRole(entry.role)) if entry.role in RecipientRole.values else None
    return _people(User.objects.filter(**{flag: True})) if flag else []


def list_of(series: Series) -> list[SeriesRecipient]:
    """The series' list entries in line order."""
    entries = SeriesRecipient.objects.filter(series=series).select_related("user", "unit", "group")
    return sorted(entries, key=lambda e: (LINE_ORDER[e.line], e.pk))


def plan_for_series(series: Series) -> list[Planned]:
    """Everyone the series' list reaches, once each; paper copies numbered 1, 2, … in order."""
    planned: dict[int, Planned] = {}
    for entry in list_of(series):
        via = "" if entry.kind == RecipientKind.USER else entry.target_label
        for user_id in people_of(entry):
            found = planned.get(user_id)
            if found is None:
                planned[user_id] = Planned(user_id, entry.line, via, entry.paper)
            elif entry.paper:
                found.paper = True
    return number_copies(planned.values())


def number_copies(planned: Iterable[Planned]) -> list[Planned]:
    """Give the paper recipients copy numbers (份号) 1, 2, … in list order."""
    rows = list(planned)
    number = 0
    for row in rows:
        if row.paper:
            number += 1
            row.copy_number = number
    return rows


def plan_for_correction(issue: Issue) -> list[Planned] | None:
    """A correction goes to whoever received the edition it corrects, with the same 份号;
    None when that edition was never distributed."""
    if issue.corrects_id is None:
        return None
    earlier = Receipt.objects.filter(issue_id=issue.corrects_id).order_by("pk")
    rows = [
        Planned(r.recipient_id, r.line, r.via, r.copy_number is not None, r.copy_number)
        for r in earlier.only("recipient_id", "line", "via", "copy_number")
    ]
    return rows or None


def plan_for(issue: Issue) -> list[Planned]:
    """Who receives this issue: a correction's earlier recipients, else the series' list."""
    return plan_for_correction(issue) or plan_for_series(issue.series)
