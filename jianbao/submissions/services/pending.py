"""Files chosen on a submission form that came back with an error, kept until the form is saved.

A browser forgets the files in a form that is shown again, so without this the reporter's
photos would be silently dropped by any error. They are stored for their owner only, under the
same type and size limits as attachments, become attachments when the form is saved, and are
deleted when removed, used or expired (the worker purges the expired ones).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.media import delete_on_commit, files_discarded_on_error
from jianbao.submissions.models import (
    PENDING_UPLOAD_LIFETIME,
    Attachment,
    PendingUpload,
    Submission,
)
from jianbao.submissions.services import (
    checked_attachment_name,
    do_add_attachment,
    sha256_of_upload,
)

PENDING_UPLOADS_PER_USER = 50


def _expired_before() -> datetime:
    return timezone.now() - PENDING_UPLOAD_LIFETIME


@transaction.atomic
def do_keep_pending_uploads(
    *, owner: User, uploads: Iterable[UploadedFile], from_word: bool = False
) -> tuple[list[PendingUpload], list[str]]:
    """Store the chosen files for their owner; returns the kept ones and, for each file refused
    by the attachment limits, the reason (in Chinese)."""
    kept: list[PendingUpload] = []
    refused: list[str] = []
    held = PendingUpload.objects.filter(owner=owner, created_at__gte=_expired_before()).count()
    for uploaded in uploads:
        try:
            name = checked_attachment_name(uploaded)
        except ValidationError as error:
            refused.extend(str(m) for m in error.messages)
            continue
        if held + len(kept) >= PENDING_UPLOADS_PER_USER:
            refused.append(f"「{name}」未能暂存：已选择的附件过多，请先保存稿件。")
            continue
        pending = PendingUpload(
            owner=owner,
            original_name=name,
            size=uploaded.size or 0,
            sha256=sha256_of_upload(uploaded),
            from_word=from_word,
            created_at=timezone.now(),
        )
        with files_discarded_on_error() as saved:
            pending.file.save(name, uploaded, save=False)
            saved.append(pending.file)
            pending.save()
        kept.append(pending)
    if kept:
        record_audit_event(
            action="submission.pending_upload",
            actor=owner,
            object_type="pending_upload",
            object_id=",".join(str(p.pk) for p in kept),
            detail={"files": [p.original_name for p in kept]},
        )
    return kept, refused


def _discard(pending: PendingUpload) -> None:
    delete_on_commit(pending.file)
    pending.delete()


@transaction.atomic
def do_remove_pending_upload(*, pending: PendingUpload, actor: User) -> None:
    """Drop a kept file (「移除」) before the form is saved."""
    if pending.owner_id != actor.pk:
        raise PermissionDenied("这不是您选择的附件。")
    record_audit_event(
        action="submission.pending_upload_remove",
        actor=actor,
        object_type="pending_upload",
        object_id=pending.pk,
        detail={"file": pending.original_name},
    )
    _discard(pending)


@transaction.atomic
def do_attach_pending_uploads(
    *, submission: Submission, actor: User, pending: Iterable[PendingUpload]
) -> list[Attachment]:
    """Turn the actor's kept files into attachments of the item (same checks as any upload)."""
    attached = []
    for item in pending:
        if item.owner_id != actor.pk:
            raise PermissionDenied("这不是您选择的附件。")
        with item.file.open("rb") as handle:
            uploaded = UploadedFile(handle, name=item.original_name, size=item.size)
            attached.append(
                do_add_attachment(submission=submission, actor=actor, uploaded=uploaded)
            )
        _discard(item)
    return attached


def purge_expired_pending_uploads() -> int:
    """Delete the kept files nobody saved in time (the worker runs this); returns how many."""
    count = 0
    for item in PendingUpload.objects.filter(created_at__lt=_expired_before()):
        with transaction.atomic():
            _discard(item)
        count += 1
    return count
