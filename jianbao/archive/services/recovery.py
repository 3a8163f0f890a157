"""Batches whose background work stopped: resume them, cancel them, or mark them interrupted.

A batch is interrupted when the process working on it died (found by
`jianbao.operations.stale_tasks`); it is resumed (the files still pending are parsed, or the ready
ones confirmed) or cancelled (the pending files are skipped with the reason). Nothing here parses:
resuming queues the batch again, or hands it back to a caller that runs it in the foreground.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.archive.models import (
    CANCELLABLE_STATES,
    RESUMABLE_STATES,
    BatchState,
    ImportBatch,
    ImportItem,
    ItemState,
)
from jianbao.archive.policy import require_importer

# The background tasks of the archive import; their first argument is the batch id.
BATCH_TASKS = frozenset(
    {"jianbao.archive.tasks.parse_batch", "jianbao.archive.tasks.confirm_batch"}
)


def batch_id_of_task(task_path: str, args_kwargs: dict[str, Any]) -> int | None:
    """The batch an archive task works on (None for any other task)."""
    if task_path not in BATCH_TASKS:
        return None
    args = args_kwargs.get("args") or []
    value = args[0] if args else args_kwargs.get("kwargs", {}).get("batch_id")
    return value if isinstance(value, int) else None


def _audit(action: str, actor: User | None, batch: ImportBatch, **detail: Any) -> None:
    record_audit_event(
        action=f"archive.{action}",
        actor=actor,
        object_type="import_batch",
        object_id=batch.pk,
        detail=detail,
    )


def _locked(batch: ImportBatch) -> ImportBatch:
    return ImportBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def do_resume_batch(*, batch: ImportBatch, actor: User | None, queue: bool = True) -> ImportBatch:
    """Take up a failed or interrupted batch again where it stopped (queued for the worker)."""
    require_importer(actor)
    batch = _locked(batch)
    if batch.state not in RESUMABLE_STATES:
        raise ValidationError(
            f"该批次{batch.get_state_display()}，只有出错或已中断的批次可以继续。"
        )
    pending = batch.items.filter(state=ItemState.PENDING).count()
    batch.state, batch.message, batch.finished_at = BatchState.PENDING, "", None
    batch.save(update_fields=["state", "message", "finished_at"])
    _audit("resume_batch", actor, batch, phase=batch.phase, pending=pending, queued=queue)
    if queue:
        from jianbao.archive.tasks import confirm_batch, parse_batch  # noqa: PLC0415

        if batch.phase == "confirm":
            confirm_batch.enqueue(batch.pk, actor.pk if actor is not None else None)
        else:
            parse_batch.enqueue(batch.pk)
        batch.refresh_from_db()
    return batch


def run_resumed_batch(
    *,
    batch: ImportBatch,
    actor: User | None,
    progress: Callable[[ImportItem], None] | None = None,
) -> ImportBatch:
    """Run a batch resumed with `queue=False` in this process (the command line), to the end."""
    from jianbao.archive.services.bulk import run_confirm_batch  # noqa: PLC0415
    from jianbao.archive.services.staging import run_parse_batch  # noqa: PLC0415

    if batch.phase == "confirm":
        return run_confirm_batch(batch=batch, actor=actor)
    return run_parse_batch(batch=batch, progress=progress)


@transaction.atomic
def do_cancel_batch(*, batch: ImportBatch, actor: User | None, reason: str = "") -> ImportBatch:
    """Stop a batch for good: its files still pending are skipped with the reason."""
    require_importer(actor)
    batch = _locked(batch)
    if batch.state not in CANCELLABLE_STATES:
        raise ValidationError(f"该批次{batch.get_state_display()}，不能取消。")
    reason = " ".join(reason.split())[:200] or "编辑取消"
    who = (actor.display_name or actor.username) if actor is not None else "命令行"
    skipped = batch.items.filter(state=ItemState.PENDING).update(
        state=ItemState.SKIPPED, message=f"批次已取消：{reason}", updated_at=timezone.now()
    )
    batch.state, batch.finished_at = BatchState.CANCELLED, timezone.now()
    batch.message = f"已由{who}取消：{reason}"
    batch.save(update_fields=["state", "message", "finished_at"])
    _audit("cancel_batch", actor, batch, skipped=skipped, reason=reason)
    return batch


@transaction.atomic
def mark_batches_interrupted(*, batch_ids: Iterable[int], reason: str) -> list[int]:
    """Batches whose work died: interrupted (resumable), if they are still pending or running."""
    ids = sorted(set(batch_ids))
    batches = ImportBatch.objects.select_for_update().filter(
        pk__in=ids, state__in=[BatchState.PENDING, BatchState.RUNNING]
    )
    marked = []
    for batch in batches:
        batch.state, batch.finished_at = BatchState.INTERRUPTED, timezone.now()
        batch.message = f"{reason}；可继续处理或取消本批。"[:2000]
        batch.save(update_fields=["state", "message", "finished_at"])
        _audit("interrupt_batch", None, batch, reason=reason)
        marked.append(batch.pk)
    return marked


def idle_batches(*, idle_since: datetime.datetime, busy: Sequence[int]) -> list[ImportBatch]:
    """Batches pending or running with no task in the queue (`busy` are those with one) and no
    file written since `idle_since`: work that ran outside the queue (a web request, the command
    line) and died with its process."""
    last = Greatest("created_at", Coalesce(Max("items__updated_at"), "created_at"))
    return list(
        ImportBatch.objects.filter(state__in=[BatchState.PENDING, BatchState.RUNNING])
        .exclude(pk__in=list(busy))
        .annotate(last_activity=last)
        .filter(Q(last_activity__lt=idle_since))
        .order_by("pk")
    )
