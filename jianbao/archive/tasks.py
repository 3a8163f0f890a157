"""Background work of the archive import (run by `jianbao worker`)."""

from __future__ import annotations

from django_tasks import task

from jianbao.accounts.models import User
from jianbao.archive.models import BatchState, ImportBatch
from jianbao.archive.services import run_confirm_batch, run_parse_batch
from jianbao.archive.services.staging import finish_batch
from jianbao.shutdown import StopRequested


def _fail(batch: ImportBatch, error: Exception) -> None:
    finish_batch(batch, BatchState.FAILED, str(error))


def _requeue(batch: ImportBatch, error: StopRequested) -> int:
    """The worker is stopping: the batch waits in the queue for the next worker, where it was."""
    ImportBatch.objects.filter(pk=batch.pk, state=BatchState.RUNNING).update(
        state=BatchState.PENDING, message=f"{error}，其余文件等待后台处理进程重新启动。"
    )
    parse_batch.enqueue(batch.pk)
    return -1


def _open(batch_id: int) -> ImportBatch | None:
    """The batch, unless it was cancelled (or deleted) while its task waited in the queue."""
    return ImportBatch.objects.exclude(state=BatchState.CANCELLED).filter(pk=batch_id).first()


@task()
def parse_batch(batch_id: int) -> int:
    """Parse a batch's pending files, one short write each, updating its progress."""
    batch = _open(batch_id)
    if batch is None:
        return 0
    try:
        return run_parse_batch(batch=batch).processed
    except StopRequested as stop:
        return _requeue(batch, stop)
    except Exception as error:
        _fail(batch, error)
        raise


@task()
def confirm_batch(batch_id: int, actor_id: int | None) -> int:
    """Confirm a batch's ready items, one transaction each, updating its progress."""
    batch = _open(batch_id)
    if batch is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        return run_confirm_batch(batch=batch, actor=actor).processed
    except Exception as error:
        _fail(batch, error)
        raise
