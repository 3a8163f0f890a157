"""Writes to issues: create, header and footer, workflow transitions, corrections."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.bulletins.models import EntrySource, Issue, Series, VoidedNumber
from jianbao.bulletins.policy import may_perform_issue
from jianbao.bulletins.selectors import last_editor_id
from jianbao.bulletins.services.common import lock_issue, require_editable, require_office, touch
from jianbao.bulletins.services.indexing import index_issue
from jianbao.bulletins.services.numbering import check_number_free, proposed_number
from jianbao.bulletins.workflow import (
    ISSUE_TRANSITIONS,
    IssueAction,
    IssueState,
    IssueTransition,
)
from jianbao.notifications.models import NotificationKind
from jianbao.notifications.services import do_notify


def _names(values: Iterable[str]) -> list[str]:
    return [value.strip() for value in values if value and value.strip()]


def _series_defaults(series: Series) -> dict[str, Any]:
    """Marks and 报尾 a new issue starts with; later changes to the series leave it alone."""
    return {
        "organ": series.organ,
        "marks": list(series.marks),
        "report_to": series.report_to,
        "send_to": series.send_to,
        "distribute_to": series.distribute_to,
        "extra_to": series.extra_to,
        "editors": list(series.editors),
        "copies": series.copies,
    }


@transaction.atomic
def do_create_issue(
    *,
    series: Series,
    actor: User,
    issue_date: datetime.date | None = None,
    year: int | None = None,
    number: int | None = None,
    is_archive: bool = False,
) -> Issue:
    """Open a new draft with the next free number and the series' default footer."""
    require_office(actor)
    series = Series.objects.select_for_update().get(pk=series.pk)  # serialises numbering
    if not series.active:
        raise ValidationError(f"刊物{series}已停用。")
    issue_date = issue_date or timezone.localdate()
    year = year or issue_date.year
    proposed = proposed_number(series, year)
    if number is not None:
        check_number_free(series=series, year=year, number=number, issue=None)
    issue = Issue.objects.create(
        series=series,
        year=year,
        number=number or proposed.number,
        total_number=proposed.total_number,
        issue_date=issue_date,
        is_archive=is_archive,
        created_by=actor,
        updated_at=timezone.now(),
        updated_by=actor,
        **_series_defaults(series),
    )
    record_audit_event(
        action="issue.create",
        actor=actor,
        object_type="issue",
        object_id=issue.pk,
        detail={"series": series.title, "year": year, "number": issue.number},
    )
    return issue


@transaction.atomic
def do_update_issue(
    *,
    issue: Issue,
    actor: User,
    expected_version: int | None = None,
    number: int,
    issue_date: datetime.date,
    total_number: int | None = None,
    editor_note: str = "",
    marks: Iterable[str] = (),
) -> Issue:
    """Change the header of a draft: number, date, 编者按, marks."""
    require_office(actor)
    current = lock_issue(issue, expected_version)
    require_editable(current)
    if number != current.number:
        if current.edition > 1:
            raise ValidationError({"number": "更正版沿用原期号，不能修改。"})
        check_number_free(series=current.series, year=current.year, number=number, issue=current)
    if total_number is not None and total_number <= 0:
        raise ValidationError({"total_number": "总期号应为正整数。"})
    # Number and date are in every entry's index row; 编者按 and marks are not searched.
    searched_changed = (number, issue_date) != (current.number, current.issue_date)
    current.number, current.issue_date = number, issue_date
    if current.series.cumulative_numbering:
        current.total_number = total_number
    current.editor_note = "\n".join(_names(editor_note.replace("\r\n", "\n").split("\n")))
    current.marks = _names(marks)
    touch(current, actor)
    if searched_changed:
        index_issue(current)
    record_audit_event(action="issue.edit", actor=actor, object_type="issue", object_id=current.pk)
    return current


@transaction.atomic
def do_update_footer(
    *,
    issue: Issue,
    actor: User,
    expected_version: int | None = None,
    report_to: str = "",
    send_to: str = "",
    distribute_to: str = "",
    extra_to: str = "",
    editors: Iterable[str] = (),
    copies: int | None = None,
) -> Issue:
    """Set the 报尾 of a draft: 报 / 送 / 发 / 增发, 责任编辑, 印数."""
    require_office(actor)
    current = lock_issue(issue, expected_version)
    require_editable(current)
    if copies is not None and copies <= 0:
        raise ValidationError({"copies": "印数应为正整数。"})
    current.report_to, current.send_to = report_to.strip(), send_to.strip()
    current.distribute_to, current.extra_to = distribute_to.strip(), extra_to.strip()
    editors_changed = _names(editors) != current.editors
    current.editors, current.copies = _names(editors), copies
    touch(current, actor)
    if editors_changed:  # 责任编辑 are searchable on every entry
        index_issue(current)
    record_audit_event(
        action="issue.footer", actor=actor, object_type="issue", object_id=current.pk
    )
    return current


def do_transition_issue(
    *,
    issue: Issue,
    action: IssueAction | str,
    actor: User,
    reason: str = "",
    expected_version: int | None = None,
    comment: str = "",
) -> Issue:
    """Move an issue along the workflow table; publishing renders and freezes the files.

    Signing keeps the optional 签发意见 `comment` and the SHA-256 of the proof PDF signed."""
    try:
        transition = ISSUE_TRANSITIONS[IssueAction(action)]
    except ValueError:
        raise ValidationError(f"未知的操作「{action}」。") from None
    if transition.action == IssueAction.PUBLISH:
        # Imported here: publishing pulls in the typesetter, which plain edits never need. It
        # renders outside the write transaction and commits in its own short step.
        from jianbao.bulletins.services.publishing import do_publish_issue  # noqa: PLC0415

        return do_publish_issue(issue=issue, actor=actor, expected_version=expected_version)
    return _apply_transition(
        issue=issue,
        transition=transition,
        actor=actor,
        reason=reason,
        expected_version=expected_version,
        comment=comment,
    )


@transaction.atomic
def _apply_transition(
    *,
    issue: Issue,
    transition: IssueTransition,
    actor: User,
    reason: str,
    expected_version: int | None,
    comment: str = "",
) -> Issue:
    """Every transition but publishing, in one transaction under the issue's row lock."""
    current = lock_issue(issue, expected_version)
    check_transition(current, transition.action, actor)
    reason = reason.strip()
    if transition.reason_required and not reason:
        raise ValidationError({"reason": f"「{transition.action.label}」须填写理由。"})
    now = timezone.now()
    _apply_side_effects(current, transition.action, actor, reason, now)
    detail = _sign_detail(current, comment) if transition.action == IssueAction.SIGN else {}
    from_state = current.state
    current.state = transition.target
    touch(current, actor, now)
    index_issue(current)
    record_audit_event(
        action=f"issue.{transition.action}",
        actor=actor,
        object_type="issue",
        object_id=current.pk,
        detail={"from": from_state, "to": current.state, "reason": reason, **detail},
    )
    if transition.action == IssueAction.PROOF:
        do_notify(
            recipients=User.objects.filter(is_chief=True, is_active=True),
            kind=NotificationKind.ISSUE_AWAITING_SIGNATURE,
            title=f"{current} 待您签发",
            body=f"{actor}已出校样，请审阅后签发。",
            url=f"/issues/{current.pk}/",
            actor=actor,
        )
    return current


def check_transition(issue: Issue, action: IssueAction, actor: User) -> None:
    """Refuse a transition the table does not allow from this state or for this actor."""
    transition = ISSUE_TRANSITIONS[action]
    state = IssueState(issue.state)
    if state not in transition.sources:
        raise ValidationError(
            f"本期当前状态为「{state.label}」，不能执行「{transition.action.label}」。"
        )
    if not may_perform_issue(actor, transition):
        who = "签发人" if transition.actor == "chief" else "信息科编辑"
        raise PermissionDenied(f"只有{who}可以执行「{transition.action.label}」。")
    if action == IssueAction.SIGN and not issue.entries.exists():
        raise ValidationError("本期没有任何条目，不能签发。")
    if action == IssueAction.SIGN and issue.series.four_eyes and last_editor_id(issue) == actor.pk:
        raise PermissionDenied(
            "本刊物实行双人复核：您是本期内容的最后修改人，不能签发本期，请由另一位签发人签发。"
        )


SIGN_COMMENT_MAX = 1000


def proof_sha256(issue: Issue) -> str:
    """SHA-256 of the proof PDF of the issue as it stands (what the signer is shown)."""
    # Imported here: rendering pulls in the typesetter, which plain edits never need.
    from jianbao.bulletins.rendering import render_issue  # noqa: PLC0415

    (pdf,) = render_issue(issue, ("pdf",))
    return hashlib.sha256(pdf.content).hexdigest()


def _sign_detail(issue: Issue, comment: str) -> dict[str, str]:
    """Keep the 签发意见 and the hash of the proof signed; both go into the audit event."""
    comment = comment.strip()
    if len(comment) > SIGN_COMMENT_MAX:
        raise ValidationError({"comment": f"签发意见不能超过 {SIGN_COMMENT_MAX} 字。"})
    issue.sign_comment = comment
    issue.signed_proof_sha256 = proof_sha256(issue)
    return {"comment": comment, "proof_sha256": issue.signed_proof_sha256}


def _apply_side_effects(
    issue: Issue, action: IssueAction, actor: User, reason: str, now: datetime.datetime
) -> None:
    if action == IssueAction.SIGN:
        # The number is fixed from here on: make sure nobody took or voided it meanwhile.
        if issue.edition == 1:
            check_number_free(
                series=issue.series, year=issue.year, number=issue.number, issue=issue
            )
        issue.signed_by, issue.signed_at = actor, now
    elif action == IssueAction.UNSIGN:
        issue.signed_by, issue.signed_at = None, None
        issue.sign_comment, issue.signed_proof_sha256 = "", ""
    elif action == IssueAction.VOID and issue.edition == 1 and issue.state == IssueState.SIGNED:
        # Only a signed number is fixed; a draft's number was a proposal and is free again.
        # A correction gives up nothing: the number still belongs to the published issue.
        VoidedNumber.objects.create(
            series=issue.series,
            year=issue.year,
            number=issue.number,
            issue=issue,
            reason=reason,
            voided_by=actor,
            voided_at=now,
        )


@transaction.atomic
def do_start_correction(*, issue: Issue, actor: User, notice: str) -> Issue:
    """Open a new edition of a published issue with a 更正 notice; the old files stay."""
    require_office(actor)
    current = lock_issue(issue)
    if current.state != IssueState.PUBLISHED:
        raise ValidationError("只有已印发的期刊可以更正。")
    notice = notice.strip()
    if not notice:
        raise ValidationError({"notice": "请填写更正说明。"})
    editions = Issue.objects.filter(
        series=current.series, year=current.year, number=current.number
    ).exclude(state=IssueState.VOIDED)
    if editions.exclude(state=IssueState.PUBLISHED).exists():
        raise ValidationError("本期已有正在编辑的更正版。")
    if editions.filter(edition__gt=current.edition).exists():
        raise ValidationError("只能更正最新印发的版本。")
    now = timezone.now()
    copy = Issue.objects.get(pk=current.pk)
    copy.pk = None
    copy.edition = current.edition + 1
    copy.state, copy.version = IssueState.DRAFT, 1
    copy.corrects, copy.correction_notice = current, notice
    copy.signed_by = copy.signed_at = copy.published_at = None
    copy.created_by, copy.updated_by, copy.updated_at = actor, actor, now
    copy.save(force_insert=True)
    _copy_entries(current, copy, actor, now)
    index_issue(copy)
    record_audit_event(
        action="issue.correction",
        actor=actor,
        object_type="issue",
        object_id=copy.pk,
        detail={"corrects": current.pk, "notice": notice},
    )
    return copy


def _copy_entries(source: Issue, target: Issue, actor: User, now: datetime.datetime) -> None:
    for entry in source.entries.prefetch_related("sources"):
        sources = list(entry.sources.all())
        entry.pk = None
        entry.issue, entry.version, entry.updated_at, entry.updated_by = target, 1, now, actor
        entry.save(force_insert=True)
        EntrySource.objects.bulk_create(
            EntrySource(
                entry=entry, submission_id=s.submission_id, unit_id=s.unit_id, order=s.order
            )
            for s in sources
        )
