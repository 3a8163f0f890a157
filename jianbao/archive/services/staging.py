"""Getting files in: store each original with its SHA-256, parse it, track the batch's progress."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.archive.models import (
    OPEN_STATES,
    STOPPED_STATES,
    BatchSource,
    BatchState,
    ImportBatch,
    ImportItem,
    ItemState,
)
from jianbao.archive.policy import require_importer
from jianbao.archive.selectors import UnitResolver
from jianbao.archive.services.common import audit, refresh_state, sha256_of
from jianbao.media import files_discarded_on_error
from jianbao.parsing import UntrustedFileError, parse_archive_file
from jianbao.shutdown import StopRequested, stop_requested


@transaction.atomic
def do_create_batch(
    *, actor: User | None, source: str = BatchSource.WEB, total: int = 0
) -> ImportBatch:
    """Open an empty batch."""
    require_importer(actor)
    return ImportBatch.objects.create(created_by=actor, source=source, total=total)


def _duplicate_of(sha256: str, *, exclude: ImportItem | None = None) -> ImportItem | None:
    """An earlier item with the same bytes that is imported or still on its way.

    A file left open in a stopped batch (failed, interrupted, cancelled) is not on its way: the
    same bytes may be uploaded again.
    """
    states = [*OPEN_STATES, ItemState.IMPORTED]
    found = ImportItem.objects.filter(sha256=sha256, state__in=states).exclude(
        state__in=OPEN_STATES, batch__state__in=STOPPED_STATES
    )
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    # "imported" sorts before the open states: prefer it
    return found.select_related("issue__series").order_by("state", "pk").first()


def _duplicate_message(other: ImportItem) -> str:
    if other.state == ItemState.IMPORTED and other.issue is not None:
        return f"同一文件已导入（{other.issue}，导入批次 {other.batch_id}）"
    return f"同一文件已在导入批次 {other.batch_id} 中（「{other.original_name}」）"


def _supersede(other: ImportItem, batch: ImportBatch) -> None:
    """An earlier copy still waiting gives way to a new import of the same bytes."""
    other.state, other.message = ItemState.SKIPPED, f"已由导入批次 {batch.pk} 重新导入"
    other.save(update_fields=["state", "message", "updated_at"])


@transaction.atomic
def do_stage_file(
    *,
    batch: ImportBatch,
    name: str,
    data: bytes,
    actor: User | None,
    order: int = 0,
    supersede_waiting: bool = False,
) -> ImportItem:
    """Store one original file; a file already imported or waiting is recorded as skipped.

    `supersede_waiting` (the command line run again, perhaps with other options) retires a
    copy still waiting for review instead; the web keeps it, with the editor's corrections.
    """
    require_importer(actor)
    name = PurePath(name or "未命名").name[:255]
    sha256 = sha256_of(data)
    item = ImportItem(batch=batch, order=order, original_name=name, size=len(data), sha256=sha256)
    other = _duplicate_of(sha256)
    waiting = other is not None and other.state != ItemState.IMPORTED
    if other is not None and waiting and supersede_waiting and other.batch_id != batch.pk:
        _supersede(other, batch)
        other = None
    if other is not None:
        item.state, item.message = ItemState.SKIPPED, _duplicate_message(other)
    with files_discarded_on_error() as saved:
        if other is None:
            item.file.save(name, ContentFile(data), save=False)
            saved.append(item.file)
        item.updated_by = actor
        item.save()
    return item


def _parse(data: bytes, name: str) -> tuple[str, dict[str, Any]]:
    """The extracted text (shown on the review page) and its parse, computed in a child process
    under the parsing limits; a refused or unreadable file raises `UntrustedFileError`."""
    return parse_archive_file(data, name)


def do_parse_item(*, item: ImportItem, resolver: UnitResolver | None = None) -> ImportItem:
    """Read and parse a stored file: ready, needs review, or failed with the reason.

    The parse runs outside any transaction (it may take seconds; on SQLite a transaction would
    hold the write lock all that time); its result is written in one short atomic step, and
    only if the item is still pending by then.
    """
    item = ImportItem.objects.get(pk=item.pk)
    if item.state != ItemState.PENDING:
        return item
    with item.file.open("rb") as handle:
        data = handle.read()
    try:
        text, parsed = _parse(data, item.original_name)
    except UntrustedFileError as error:
        return _save_parse(item, resolver, failure=str(error))
    return _save_parse(item, resolver, text=text, parsed=parsed)


@transaction.atomic
def _save_parse(
    item: ImportItem,
    resolver: UnitResolver | None,
    *,
    text: str = "",
    parsed: dict[str, Any] | None = None,
    failure: str = "",
) -> ImportItem:
    """Write one parse result (or its failure) unless the item left pending meanwhile."""
    item = ImportItem.objects.select_for_update().get(pk=item.pk)
    if item.state != ItemState.PENDING:
        return item
    if parsed is None:
        item.state, item.message = ItemState.FAILED, failure[:2000]
        item.save()
        return item
    item.text, item.parsed = text, parsed
    item.format = parsed["input"]["format"]
    item.state = ItemState.NEEDS_REVIEW
    item.save()
    return refresh_state(item, resolver)


def do_stage_upload(
    *,
    batch: ImportBatch,
    name: str,
    data: bytes,
    actor: User | None,
    order: int = 0,
    resolver: UnitResolver | None = None,
    supersede_waiting: bool = False,
) -> ImportItem:
    """Store and parse one file at once (small uploads and the command line)."""
    item = do_stage_file(
        batch=batch, name=name, data=data, actor=actor, order=order,
        supersede_waiting=supersede_waiting,
    )  # fmt: skip
    if item.state != ItemState.PENDING:
        return item
    return do_parse_item(item=item, resolver=resolver)


def mark_failed(*, item: ImportItem, reason: str) -> ImportItem:
    """Record that an item could not be processed (after its own transaction rolled back)."""
    ImportItem.objects.filter(pk=item.pk).update(
        state=ItemState.FAILED, message=reason[:2000], updated_at=timezone.now()
    )
    item.refresh_from_db()
    return item


def bump_progress(batch: ImportBatch) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(processed=F("processed") + 1)


def finish_batch(batch: ImportBatch, state: str = BatchState.DONE, message: str = "") -> None:
    """Close a batch still pending or running; one cancelled meanwhile stays cancelled."""
    ImportBatch.objects.filter(
        pk=batch.pk, state__in=[BatchState.PENDING, BatchState.RUNNING]
    ).update(state=state, message=message, finished_at=timezone.now())
    batch.refresh_from_db()


def _cancelled(batch: ImportBatch) -> bool:
    return ImportBatch.objects.filter(pk=batch.pk, state=BatchState.CANCELLED).exists()


def _parse_one(item: ImportItem, resolver: UnitResolver) -> None:
    """Parse one pending item; bytes meanwhile imported or queued elsewhere are skipped instead.

    (A resumed batch may hold a file uploaded again while the batch was stopped.)
    """
    other = _duplicate_of(item.sha256, exclude=item)
    if other is not None:
        ImportItem.objects.filter(pk=item.pk, state=ItemState.PENDING).update(
            state=ItemState.SKIPPED, message=_duplicate_message(other), updated_at=timezone.now()
        )
        return
    try:
        do_parse_item(item=item, resolver=resolver)
    except Exception as error:
        mark_failed(item=item, reason=f"解析出错：{error}")


def run_parse_batch(
    *, batch: ImportBatch, progress: Callable[[ImportItem], None] | None = None
) -> ImportBatch:
    """Parse every pending item, one short write each, counting progress as it goes.

    Stops early, between two files, when the batch is cancelled (it stays cancelled) or when the
    process is asked to stop (`StopRequested`; the files not reached stay pending).
    """
    batch.state, batch.phase, batch.processed = BatchState.RUNNING, "parse", 0
    batch.total, batch.message, batch.finished_at = batch.items.count(), "", None
    batch.save(update_fields=["state", "phase", "processed", "total", "message", "finished_at"])
    resolver = UnitResolver()
    for item in batch.items.order_by("order", "pk"):
        if _cancelled(batch):
            break
        if stop_requested():
            raise StopRequested(f"导入批次 {batch.pk} 解析到第 {item.order + 1} 个文件时进程停止")
        if item.state == ItemState.PENDING:
            _parse_one(item, resolver)
        bump_progress(batch)
        if progress is not None:
            progress(item)
    finish_batch(batch)
    return batch


def _parse_inline(count: int, total_bytes: int) -> bool:
    """Few and small files are parsed in the request; anything more by the worker."""
    return (
        count <= settings.JIANBAO_INLINE_PARSE_FILES
        and total_bytes <= settings.JIANBAO_INLINE_PARSE_BYTES
    )


def do_upload_files(
    *, actor: User, files: Sequence[tuple[str, bytes | IO[bytes]]], source: str = BatchSource.WEB
) -> ImportBatch:
    """A new batch of uploaded files: parsed now when few and small, by the worker otherwise.

    Staging is one transaction; the inline parse runs after it commits, one short write per
    file, so no transaction is open while a file is parsed.
    """
    with transaction.atomic():
        batch, inline = _stage_batch(actor=actor, files=files, source=source)
    if inline:
        return run_parse_batch(batch=batch)
    return batch


def _stage_batch(
    *, actor: User, files: Sequence[tuple[str, bytes | IO[bytes]]], source: str
) -> tuple[ImportBatch, bool]:
    """Store every file of a new batch and queue its parse unless it is parsed inline."""
    require_importer(actor)
    batch = do_create_batch(actor=actor, source=source, total=len(files))
    total_bytes = 0
    for order, (name, content) in enumerate(files):
        # Read one file at a time: a large upload never sits in memory all at once.
        data = content if isinstance(content, bytes) else content.read()
        total_bytes += len(data)
        do_stage_file(batch=batch, name=name, data=data, actor=actor, order=order)
    inline = _parse_inline(len(files), total_bytes)
    audit("upload", actor, batch=batch.pk, files=len(files), inline=inline)
    if not inline:
        from jianbao.archive.tasks import parse_batch  # noqa: PLC0415  (tasks import services)

        # The task row commits with the batch, so the worker never sees a half-staged batch.
        parse_batch.enqueue(batch.pk)
        batch.refresh_from_db()
    return batch, inline
