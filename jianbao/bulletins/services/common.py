"""Shared pieces of the bulletin services: locking, stale-version errors, state checks."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.bulletins.models import Entry, Issue, Series
from jianbao.bulletins.policy import may_edit_issues
from jianbao.bulletins.workflow import EDITABLE_STATES, IssueState
from jianbao.versioning import StaleWriteError


class StaleIssueError(StaleWriteError):
    """The issue (or one of its entries, or a series) changed since it was loaded."""

    def __init__(self, obj: Issue | Entry | Series) -> None:
        what = (
            "该条目" if isinstance(obj, Entry) else "该刊物" if isinstance(obj, Series) else "本期"
        )
        super().__init__(what, obj)


def lock_issue(issue: Issue, expected_version: int | None = None) -> Issue:
    """The issue re-read under a row lock; refused when the caller's version is stale."""
    current = (
        Issue.objects.select_for_update(of=("self",))
        .select_related("series", "updated_by")
        .get(pk=issue.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleIssueError(current)
    return current


def require_office(actor: User) -> None:
    """Only the bulletin office writes issues."""
    if not may_edit_issues(actor):
        raise PermissionDenied("只有信息科编辑和签发人可以编辑期刊。")


def require_editable(issue: Issue) -> None:
    """Text, order, header and footer change only while the issue is being edited."""
    if issue.state in EDITABLE_STATES:
        return
    state = IssueState(issue.state)
    if state == IssueState.PUBLISHED:
        raise ValidationError("已印发的期刊不能修改；如需更正，请发起更正版。")
    if state == IssueState.PROOF:
        raise ValidationError("本期已出校样，文字已冻结；如需修改，请先退回编辑。")
    raise ValidationError(f"本期当前状态为「{state.label}」，不能修改。")


def touch(
    issue: Issue, actor: User | None, now: datetime | None = None, *, bump: bool = True
) -> None:
    """Record who changed the issue; `bump` the version for header, footer and state changes.

    Entry changes leave the version alone: they are guarded by the state check under the row
    lock, and an unchanged version keeps the other forms of an open editor page valid.
    """
    if bump:
        issue.version += 1
    issue.updated_at = now or timezone.now()
    issue.updated_by = actor
    issue.save()
