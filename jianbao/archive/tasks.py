"""Background work of the archive import (run by `jianbao worker`)."""

from __future__ import annotations

from django_tasks import task

from jianbao.accounts.models import User
from jianbao.archive.models import BatchState, ImportBatch
from jianbao.archive.services import run_confirm_batch, run_parse_batch
from jianbao.archive.services.staging import finish_batch


def _fail(batch: ImportBatch, error: Exception) -> None:
    batch.refresh_from_db()  # the run may have saved progress on its own copy
    finish_batch(batch, BatchState.FAILED, str(error))


@task()
def parse_batch(batch_id: int) -> int:
    """Parse a batch's uploaded files, one transaction each, updating its progress."""
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        return run_parse_batch(batch=batch).processed
    except Exception as error:
        _fail(batch, error)
        raise


@task()
def confirm_batch(batch_id: int, actor_id: int | None) -> int:
    """Confirm a batch's ready items, one transaction each, updating its progress."""
    batch = ImportBatch.objects.get(pk=batch_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        return run_confirm_batch(batch=batch, actor=actor).processed
    except Exception as error:
        _fail(batch, error)
        raise
