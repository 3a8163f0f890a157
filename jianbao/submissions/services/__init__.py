"""Every write to submissions: create, edit, transition, attach. Each is atomic."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.accounts.services import record_audit_event
from jianbao.media import delete_on_commit, files_discarded_on_error
from jianbao.notifications.models import NotificationKind
from jianbao.notifications.services import do_notify
from jianbao.parsing import UntrustedFileError, read_docx_isolated
from jianbao.search.services import index_submission
from jianbao.submissions.models import (
    Attachment,
    Comment,
    Decision,
    Kind,
    Revision,
    StateCount,
    Submission,
    Urgency,
)
from jianbao.submissions.policy import is_unit_reporter, may_comment, may_edit, may_perform
from jianbao.submissions.workflow import (
    TRANSITIONS,
    Action,
    Actor,
    State,
    Transition,
    target_state,
)
from jianbao.text.paragraphs import normalise_body
from jianbao.versioning import StaleWriteError

TITLE_MAX = 200
BODY_MAX = 20_000
COMMENT_MAX = 1000
ALLOWED_ATTACHMENT_SUFFIXES = frozenset(
    {".doc", ".docx", ".wps", ".pdf", ".txt", ".jpg", ".jpeg", ".png", ".xls", ".xlsx"}
    # photos taken on phones (iPhone HEIC/HEIF, Android WebP)
    | {".heic", ".heif", ".webp"}
)


class StaleVersionError(StaleWriteError):
    """The item changed since the editor loaded it; nothing was saved."""

    def __init__(self, submission: Submission) -> None:
        super().__init__("该稿件", submission)


@dataclass(frozen=True)
class DraftText:
    title: str
    body: str


def _validate_text(*, title: str, body: str, kind: str) -> tuple[str, str]:
    title = " ".join(title.split())
    body = normalise_body(body)
    errors: dict[str, str] = {}
    if kind == Kind.ITEM and not title:
        errors["title"] = "信息须有标题。"
    if len(title) > TITLE_MAX:
        errors["title"] = f"标题不能超过 {TITLE_MAX} 字。"
    if not body:
        errors["body"] = "正文不能为空。"
    elif len(body) > BODY_MAX:
        errors["body"] = f"正文不能超过 {BODY_MAX} 字。"
    if errors:
        raise ValidationError(errors)
    return title, body


def _validate_choices(*, kind: str, urgency: str) -> None:
    if kind not in Kind.values:
        raise ValidationError({"kind": f"未知的类型「{kind}」。"})
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": f"未知的紧急程度「{urgency}」。"})


# An urgent item stays pinned on top of the inbox only while it waits for a decision.
SETTLED_STATES = frozenset({State.ADOPTED, State.PUBLISHED, State.ARCHIVED})


def pin_rank(*, urgency: str, state: str) -> int:
    """The inbox's sort rank: 1 for an urgent item not yet adopted, published or archived."""
    return 1 if urgency == Urgency.URGENT and state not in SETTLED_STATES else 0


def _bump_count(*, unit_id: int, kind: str, state: str, delta: int) -> None:
    row, _ = StateCount.objects.get_or_create(unit_id=unit_id, kind=kind, state=state)
    StateCount.objects.filter(pk=row.pk).update(count=F("count") + delta)


def _move_count(submission: Submission, *, to_kind: str, to_state: str) -> None:
    """Move one item between counters, from its stored kind and state to the new ones."""
    unit_id = submission.unit_id
    _bump_count(unit_id=unit_id, kind=submission.kind, state=submission.state, delta=-1)
    _bump_count(unit_id=unit_id, kind=to_kind, state=to_state, delta=1)


@transaction.atomic
def rebuild_state_counts() -> int:
    """Recompute every per-state count from the submissions; returns the number of rows."""
    StateCount.objects.all().delete()
    rows = Submission.objects.values("unit_id", "kind", "state").annotate(n=Count("pk")).order_by()
    StateCount.objects.bulk_create(
        StateCount(unit_id=r["unit_id"], kind=r["kind"], state=r["state"], count=r["n"])
        for r in rows
    )
    return len(rows)


def _add_revision(*, submission: Submission, author: User, note: str, now: datetime) -> Revision:
    last = submission.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        submission=submission,
        number=last + 1,
        title=submission.title,
        body=submission.body,
        author=author,
        by_office=author.is_office_staff and not is_unit_reporter(author, submission),
        note=note,
        created_at=now,
    )


def _amended(submission: Submission, author: User, note: str, now: datetime) -> bool:
    """Fold the text into the latest revision when it is this person's under the same note."""
    latest = submission.revisions.order_by("-number").first()
    if latest is None or latest.author_id != author.pk or latest.note != note:
        return False
    Revision.objects.filter(pk=latest.pk).update(
        title=submission.title, body=submission.body, created_at=now
    )
    return True


@transaction.atomic
def do_create_submission(
    *,
    author: User,
    title: str,
    body: str,
    kind: str = Kind.ITEM,
    urgency: str = Urgency.NORMAL,
    contact: str = "",
    source_units: Iterable[Unit] = (),
) -> Submission:
    """Create a draft of the author's unit with its first revision."""
    if not author.is_reporter or author.unit is None:
        raise PermissionDenied("只有所属单位的信息员可以撰写稿件。")
    _validate_choices(kind=kind, urgency=urgency)
    title, body = _validate_text(title=title, body=body, kind=kind)
    now = timezone.now()
    submission = Submission.objects.create(
        unit=author.unit,
        author=author,
        contact=contact.strip() or _default_contact(author),
        kind=kind,
        urgency=urgency,
        urgency_rank=pin_rank(urgency=urgency, state=State.DRAFT),
        title=title,
        body=body,
        updated_at=now,
        updated_by=author,
    )
    submission.source_units.set(list(source_units) or [author.unit])
    _bump_count(unit_id=submission.unit_id, kind=kind, state=State.DRAFT, delta=1)
    _add_revision(submission=submission, author=author, note="初稿", now=now)
    Decision.objects.create(
        submission=submission,
        action=Action.CREATE,
        to_state=State.DRAFT,
        actor=author,
        created_at=now,
    )
    index_submission(submission)
    return submission


def _default_contact(author: User) -> str:
    return " ".join(part for part in [str(author), author.phone] if part)


def _locked(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=submission.pk)
    )


@transaction.atomic
def do_update_submission(
    *,
    submission: Submission,
    actor: User,
    expected_version: int,
    title: str,
    body: str,
    kind: str | None = None,
    urgency: str | None = None,
    contact: str | None = None,
    source_units: Iterable[Unit] | None = None,
    revision_note: str | None = None,
) -> Submission:
    """Save new text; a save made on a stale version is refused and nothing changes.

    With `revision_note` (e.g. 「校对采纳」), changes in a row by the same person under that note
    amend their latest revision instead of adding one per change (one revision per session).

    An editor who edits an unclaimed item claims it in the same transaction."""
    current = _locked(submission)
    if current.version != expected_version:
        raise StaleVersionError(current)
    current = _claimed_for_edit(current, actor)
    if not may_edit(actor, current):
        raise PermissionDenied(_edit_refusal(actor, current))
    kind = kind or current.kind
    urgency = urgency or current.urgency
    _validate_choices(kind=kind, urgency=urgency)
    title, body = _validate_text(title=title, body=body, kind=kind)
    text_changed = (title, body) != (current.title, current.body)
    if kind != current.kind:
        _move_count(current, to_kind=kind, to_state=current.state)
    now = timezone.now()
    current.title, current.body, current.kind = title, body, kind
    current.urgency = urgency
    current.urgency_rank = pin_rank(urgency=urgency, state=current.state)
    if contact is not None:
        current.contact = contact.strip()
    current.version += 1
    current.updated_at, current.updated_by = now, actor
    current.save()
    if source_units is not None:
        current.source_units.set(list(source_units) or [current.unit])
    if text_changed and not (revision_note and _amended(current, actor, revision_note, now)):
        note = "编辑修改" if actor.is_office_staff and current.state == State.IN_REVIEW else "修改"
        _add_revision(submission=current, author=actor, note=revision_note or note, now=now)
    record_audit_event(
        action="submission.edit", actor=actor, object_type="submission", object_id=current.pk
    )
    index_submission(current)
    return current


def _claimed_for_edit(current: Submission, actor: User) -> Submission:
    """Claim an unclaimed item for the editor who edits it (no separate 「认领」 step)."""
    if current.state == State.SUBMITTED and actor.is_office_staff:
        return do_transition(submission=current, action=Action.CLAIM, actor=actor)
    return current


def _edit_refusal(actor: User, current: Submission) -> str:
    holder = current.claimed_by
    if current.state == State.IN_REVIEW and holder is not None and holder.pk != actor.pk:
        return f"这篇稿件已由{holder}认领，您不能修改；如需接手请联系{holder}或签发人。"
    return "当前状态下您不能修改这篇稿件。"


def _check_allowed(
    submission: Submission, transition: Transition, actor: User | None, reason: str
) -> None:
    """Refuse a transition the table, the actor's role or a missing reason does not allow."""
    state = State(submission.state)
    label = transition.action.label
    if state not in transition.sources:
        raise ValidationError(f"稿件当前状态为「{state.label}」，不能执行「{label}」。")
    if actor is not None and not may_perform(actor, submission, transition):
        raise PermissionDenied(f"您无权对这篇稿件执行「{label}」。")
    if actor is None and transition.actor != Actor.SYSTEM:
        raise PermissionDenied("该操作须由用户执行。")
    if transition.reason_required and not reason:
        raise ValidationError({"reason": f"「{label}」须填写理由。"})


@transaction.atomic
def do_transition(
    *,
    submission: Submission,
    action: Action | str,
    actor: User | None,
    reason: str = "",
    expected_version: int | None = None,
) -> Submission:
    """Move an item along the workflow table; anything the table does not allow is refused."""
    try:
        transition = TRANSITIONS[Action(action)]
    except ValueError:
        raise ValidationError(f"未知的操作「{action}」。") from None
    current = _locked(submission)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersionError(current)
    state = State(current.state)
    reason = reason.strip()
    _check_allowed(current, transition, actor, reason)
    now = timezone.now()
    target = target_state(transition, unit_requires_approval=current.unit.requires_approval)
    _apply_side_effects(current, transition.action, actor, now)
    _move_count(current, to_kind=current.kind, to_state=target)
    current.state = target
    current.urgency_rank = pin_rank(urgency=current.urgency, state=target)
    current.version += 1
    current.updated_at, current.updated_by = now, actor
    current.save()
    Decision.objects.create(
        submission=current,
        action=transition.action,
        from_state=state,
        to_state=target,
        actor=actor,
        reason=reason,
        created_at=now,
    )
    record_audit_event(
        action=f"submission.{transition.action}",
        actor=actor,
        object_type="submission",
        object_id=current.pk,
        detail={"from": state, "to": target, "reason": reason},
    )
    index_submission(current)
    _notify_transition(current, transition.action, actor, reason)
    return current


def _label(submission: Submission) -> str:
    text = submission.title or submission.body
    return text if len(text) <= 30 else text[:30] + "…"


def _unit_people(submission: Submission, *, flag: str) -> list[User]:
    return list(User.objects.filter(unit_id=submission.unit_id, is_active=True, **{flag: True}))


def _notify_transition(
    submission: Submission, action: Action, actor: User | None, reason: str
) -> None:
    """Tell the people a transition concerns (the reporter, the unit approvers)."""
    label, url = _label(submission), f"/submissions/{submission.pk}/"
    author = [submission.author]
    notices: dict[Action, tuple[list[User], str, str]] = {
        Action.RETURN: (author, NotificationKind.SUBMISSION_RETURNED, f"信息「{label}」被退回修改"),
        Action.SEND_BACK: (
            author,
            NotificationKind.SUBMISSION_SENT_BACK,
            f"信息「{label}」被单位审核退回",
        ),
        Action.ADOPT: (author, NotificationKind.SUBMISSION_ADOPTED, f"您的信息「{label}」已被采用"),
    }
    if action == Action.SUBMIT and submission.state == State.AWAITING_UNIT_APPROVAL:
        approvers = _unit_people(submission, flag="is_unit_approver")
        notices[action] = (
            approvers,
            NotificationKind.SUBMISSION_AWAITING_APPROVAL,
            f"{submission.author}报送的信息「{label}」待您审核",
        )
    if action in notices:
        recipients, kind, title = notices[action]
        do_notify(recipients=recipients, kind=kind, title=title, url=url, body=reason, actor=actor)


def _apply_side_effects(
    submission: Submission, action: Action, actor: User | None, now: datetime
) -> None:
    if action in (Action.CLAIM, Action.REOPEN):
        submission.claimed_by, submission.claimed_at = actor, now
    elif action in {Action.RELEASE, Action.RETURN}:
        submission.claimed_by, submission.claimed_at = None, None
    if action in {Action.SUBMIT, Action.APPROVE}:
        submission.submitted_at = now


def sha256_of_upload(uploaded: UploadedFile) -> str:
    """The SHA-256 of an uploaded file (read in chunks, rewound)."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def checked_attachment_name(uploaded: UploadedFile) -> str:
    """The file's own name, once its type and size pass the attachment limits."""
    name = PurePath(uploaded.name or "附件").name
    if PurePath(name).suffix.lower() not in ALLOWED_ATTACHMENT_SUFFIXES:
        allowed = "、".join(sorted(ALLOWED_ATTACHMENT_SUFFIXES))
        raise ValidationError({"attachments": f"不支持的附件类型「{name}」，允许：{allowed}。"})
    if (uploaded.size or 0) > settings.JIANBAO_MAX_ATTACHMENT_BYTES:
        limit = settings.JIANBAO_MAX_ATTACHMENT_BYTES // (1024 * 1024)
        raise ValidationError({"attachments": f"附件「{name}」超过 {limit} MB。"})
    return name


@transaction.atomic
def do_add_attachment(*, submission: Submission, actor: User, uploaded: UploadedFile) -> Attachment:
    """Attach a file to an item the actor may edit."""
    if not may_edit(actor, submission):
        raise PermissionDenied("当前状态下您不能为这篇稿件添加附件。")
    name = checked_attachment_name(uploaded)
    attachment = Attachment(
        submission=submission,
        original_name=name,
        size=uploaded.size or 0,
        sha256=sha256_of_upload(uploaded),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    with files_discarded_on_error() as saved:
        attachment.file.save(name, uploaded, save=False)
        saved.append(attachment.file)
        attachment.save()
    return attachment


@transaction.atomic
def do_remove_attachment(*, attachment: Attachment, actor: User) -> None:
    """Remove an attachment from an item the actor may edit."""
    if not may_edit(actor, attachment.submission):
        raise PermissionDenied("当前状态下您不能删除这篇稿件的附件。")
    delete_on_commit(attachment.file)
    attachment.delete()


def draft_text_from_docx(source: bytes | IO[bytes]) -> DraftText:
    """Title and body read from a Word file: a bold lead or a short first line is the title.

    The file is read in a child process under the parsing limits (`jianbao.parsing`); a
    hostile or damaged file is a `ValidationError` on the field 「docx」 with the reason."""
    try:
        paragraphs = read_docx_isolated(source)
    except UntrustedFileError as error:
        raise ValidationError({"docx": str(error)}) from error
    texts = [p.text.strip() for p in paragraphs if p.text.strip()]
    if not texts:
        raise ValidationError({"docx": "Word 文件中没有文字。"})
    first = paragraphs[0]
    lead = first.bold_prefix.strip()
    if lead and lead != first.text.strip():
        return DraftText(
            title=lead, body="\n".join([first.text.strip()[len(lead) :].strip(), *texts[1:]])
        )
    if len(texts) > 1 and len(texts[0]) <= 60 and texts[0][-1] not in "。；！？":
        return DraftText(title=texts[0], body="\n".join(texts[1:]))
    return DraftText(title="", body="\n".join(texts))


@transaction.atomic
def do_post_comment(*, submission: Submission, author: User, body: str) -> Comment:
    """Add a message to an item's thread and tell the other side (unit ↔ office)."""
    if not may_comment(author, submission):
        raise PermissionDenied("您不能在这篇稿件下留言。")
    body = "\n".join(line.strip() for line in body.strip().splitlines() if line.strip())
    if not body:
        raise ValidationError({"body": "留言不能为空。"})
    if len(body) > COMMENT_MAX:
        raise ValidationError({"body": f"留言不能超过 {COMMENT_MAX} 字。"})
    by_office = author.is_office_staff and author.unit_id != submission.unit_id
    comment = Comment.objects.create(
        submission=submission,
        author=author,
        by_office=by_office,
        body=body,
        created_at=timezone.now(),
    )
    record_audit_event(
        action="submission.comment",
        actor=author,
        object_type="submission",
        object_id=submission.pk,
        detail={"comment": comment.pk},
    )
    if by_office:
        recipients = [submission.author, *_unit_people(submission, flag="is_reporter")]
    elif submission.claimed_by is not None:
        recipients = [submission.claimed_by]
    else:
        recipients = list(User.objects.filter(is_editor=True, is_active=True))
    do_notify(
        recipients=recipients,
        kind=NotificationKind.COMMENT_POSTED,
        title=f"{author}在信息「{_label(submission)}」下留言",
        body=body[:200],
        url=f"/submissions/{submission.pk}/#comments",
        actor=author,
    )
    return comment
