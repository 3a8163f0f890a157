"""Bulk actions of the inbox: several items claimed, archived or put in an issue in one go.

Each item is done in its own savepoint: one refused item does not undo the others, and the
editor gets a line per item saying what happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.bulletins.models import Issue
from jianbao.submissions.models import Submission
from jianbao.submissions.selectors import submissions_visible_to
from jianbao.submissions.services import StaleVersionError, do_transition
from jianbao.submissions.workflow import Action, State
from jianbao.versioning import StaleWriteError

BULK_ACTIONS = {"claim": "认领", "archive": "存档（未采用）", "add_to_issue": "编入期刊"}
BULK_MAX = 200


@dataclass(frozen=True)
class BulkOutcome:
    submission_id: int
    label: str
    ok: bool
    message: str


def _label(submission: Submission) -> str:
    text = submission.title or submission.body
    return text if len(text) <= 24 else text[:24] + "…"


def _reason_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(str(m) for m in error.messages)
    return str(error) or "您无权执行此操作。"


def _claimed(submission: Submission, actor: User) -> Submission:
    """The item held by the actor: an unclaimed item is claimed first."""
    if submission.state == State.SUBMITTED:
        return do_transition(submission=submission, action=Action.CLAIM, actor=actor)
    return submission


def _add_to_issue(submission: Submission, actor: User, issue: Issue) -> str:
    # Imported here: bulletins' services import the submission services this module builds on.
    from jianbao.bulletins.services import do_add_submissions  # noqa: PLC0415

    item = submission
    if item.state in (State.SUBMITTED, State.IN_REVIEW):
        item = do_transition(submission=_claimed(item, actor), action=Action.ADOPT, actor=actor)
    do_add_submissions(issue=issue, actor=actor, submissions=[item])
    return f"已采用并编入{issue}" if submission.state != State.ADOPTED else f"已编入{issue}"


def _one(
    submission: Submission, *, actor: User, action: str, reason: str, issue: Issue | None
) -> str:
    if action == "claim":
        if submission.state != State.SUBMITTED:
            holder = f"（{submission.claimed_by}已认领）" if submission.claimed_by else ""
            raise ValidationError(
                f"当前状态为「{submission.get_state_display()}」{holder}，不能认领。"
            )
        do_transition(submission=submission, action=Action.CLAIM, actor=actor)
        return "已认领"
    if action == "archive":
        item = _claimed(submission, actor)
        do_transition(submission=item, action=Action.ARCHIVE, actor=actor, reason=reason)
        return "已存档（未采用）"
    if issue is None:
        raise ValidationError("请选择要编入的期刊。")
    return _add_to_issue(submission, actor, issue)


@transaction.atomic
def do_bulk_action(
    *,
    actor: User,
    submission_ids: Sequence[int],
    action: str,
    reason: str = "",
    issue: Issue | None = None,
) -> list[BulkOutcome]:
    """Apply one inbox action to several items, each atomically; one outcome line per item."""
    if not actor.is_office_staff:
        raise PermissionDenied("只有信息科编辑可以批量处理稿件。")
    if action not in BULK_ACTIONS:
        raise ValidationError(f"未知的批量操作「{action}」。")
    ids = list(dict.fromkeys(submission_ids))
    if not ids:
        raise ValidationError("请先勾选稿件。")
    if len(ids) > BULK_MAX:
        raise ValidationError(f"一次最多处理 {BULK_MAX} 篇稿件。")
    reason = reason.strip()
    if action == "archive" and not reason:
        raise ValidationError({"reason": "批量存档须填写理由。"})
    found = submissions_visible_to(actor).select_related("claimed_by").in_bulk(ids)
    outcomes = []
    for pk in ids:
        submission = found.get(pk)
        if submission is None:
            outcomes.append(BulkOutcome(pk, f"#{pk}", False, "稿件不存在或您无权查看。"))
            continue
        try:
            with transaction.atomic():
                message = _one(submission, actor=actor, action=action, reason=reason, issue=issue)
        except (ValidationError, PermissionDenied, StaleVersionError, StaleWriteError) as error:
            outcomes.append(BulkOutcome(pk, _label(submission), False, _reason_of(error)))
        else:
            outcomes.append(BulkOutcome(pk, _label(submission), True, message))
    record_audit_event(
        action="submission.bulk",
        actor=actor,
        detail={
            "action": action,
            "issue": issue.pk if issue else None,
            "done": [o.submission_id for o in outcomes if o.ok],
            "refused": [o.submission_id for o in outcomes if not o.ok],
        },
    )
    return outcomes
