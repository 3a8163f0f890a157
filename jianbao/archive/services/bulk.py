"""Many files at once: confirming a batch's ready items, and `jianbao import PATH...`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from jianbao.accounts.models import User
from jianbao.archive.models import BatchSource, BatchState, ImportBatch, ImportItem, ItemState
from jianbao.archive.policy import require_importer
from jianbao.archive.selectors import UnitResolver, unknown_unit_names
from jianbao.archive.services.common import audit, refresh_open_items, refresh_state
from jianbao.archive.services.confirm import AlreadyImportedError, do_confirm_item
from jianbao.archive.services.staging import (
    bump_progress,
    do_create_batch,
    do_stage_upload,
    finish_batch,
    mark_failed,
)
from jianbao.bulletins.models import Series

# In folders only these are taken (old .doc/.wps too, so that they are reported, not ignored).
ARCHIVE_SUFFIXES = frozenset({".txt", ".text", ".docx", ".pdf", ".doc", ".wps"})
# Up to this many ready items are confirmed inside the request; more by the background worker.
INLINE_CONFIRM_LIMIT = 3
Progress = Callable[[str], None]


@dataclass
class ImportSummary:
    """What became of every file: imported, skipped, needs review or failed, with reasons."""

    batch_id: int | None = None
    imported: list[tuple[str, str]] = field(default_factory=list)  # (file, issue)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    needs_review: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _confirm_one(item: ImportItem, actor: User | None, resolver: UnitResolver) -> ImportItem:
    """Confirm one item; a duplicate is skipped, a refusal stays for review, a crash fails it."""
    try:
        do_confirm_item(item=item, actor=actor, resolver=resolver)
    except AlreadyImportedError as error:
        item.state, item.message = ItemState.SKIPPED, "；".join(error.messages)
        item.save(update_fields=["state", "message", "updated_at"])
    except ValidationError:
        refresh_state(item, resolver)
    except Exception as error:
        mark_failed(item=item, reason=f"导入出错：{error}")
    item.refresh_from_db()
    return item


def run_confirm_batch(*, batch: ImportBatch, actor: User | None) -> ImportBatch:
    """Confirm every ready item of the batch, one transaction each, counting progress."""
    ready = list(batch.items.filter(state=ItemState.PARSED).order_by("order", "pk"))
    batch.state, batch.phase, batch.processed, batch.total = (
        BatchState.RUNNING,
        "confirm",
        0,
        len(ready),
    )
    batch.save(update_fields=["state", "phase", "processed", "total"])
    resolver = UnitResolver()
    for item in ready:
        _confirm_one(item, actor, resolver)
        bump_progress(batch)
    batch.refresh_from_db()
    finish_batch(batch)
    return batch


@transaction.atomic
def do_confirm_ready(*, batch: ImportBatch, actor: User) -> ImportBatch:
    """Confirm all ready items of a batch: now when few, by the background worker otherwise."""
    require_importer(actor)
    refresh_open_items(batch.items.all())
    ready = batch.items.filter(state=ItemState.PARSED).count()
    if ready == 0:
        raise ValidationError("本批没有可直接导入的文件。")
    audit("confirm_batch", actor, batch=batch.pk, items=ready)
    if ready <= INLINE_CONFIRM_LIMIT:
        return run_confirm_batch(batch=batch, actor=actor)
    from jianbao.archive.tasks import confirm_batch  # noqa: PLC0415  (tasks import services)

    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.PENDING, phase="confirm")
    confirm_batch.enqueue(batch.pk, actor.pk)
    batch.refresh_from_db()
    return batch


def _is_archive_file(path: Path) -> bool:
    suffix = path.suffix.lower()
    return path.is_file() and suffix in ARCHIVE_SUFFIXES and not path.name.startswith(".")


def archive_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and the archive files inside the folders named (recursively)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if _is_archive_file(p))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


@dataclass
class _Run:
    """One `import_paths` call: where items go and what the caller allowed."""

    batch: ImportBatch
    actor: User | None
    accept_unknown_units: bool
    create_series: bool
    # One memo of unit names for the run: nothing in an import creates or renames units.
    resolver: UnitResolver = field(default_factory=UnitResolver)


def _accept(item: ImportItem, run: _Run) -> None:
    """What the command line was told it may settle by itself: unknown names and series."""
    if run.accept_unknown_units:
        left = unknown_unit_names(item, run.resolver)
        if left:
            item.unattributed = [*item.unattributed, *left]
            item.save(update_fields=["unattributed", "updated_at"])
    title, organ = item.parsed.get("series"), item.parsed.get("organ")
    if run.create_series and title and organ and not Series.objects.filter(title=title).exists():
        # The command line has no editor to ask: --create-series is the explicit consent.
        cumulative = item.parsed.get("total_number") is not None
        Series.objects.create(title=title, organ=organ, cumulative_numbering=cumulative)
        audit("create_series", run.actor, item, series=title)


def _record(summary: ImportSummary, path: Path, item: ImportItem) -> None:
    name = str(path)
    if item.state == ItemState.IMPORTED:
        summary.imported.append((name, str(item.issue)))
    elif item.state == ItemState.SKIPPED:
        summary.skipped.append((name, item.message))
    elif item.state == ItemState.FAILED:
        summary.failed.append((name, item.message))
    else:
        summary.needs_review.append((name, item.message or "待核对"))


def _import_one(path: Path, order: int, run: _Run) -> ImportItem | str:
    try:
        data = path.read_bytes()
    except OSError as error:
        return f"无法读取文件：{error.strerror or error}"
    item = do_stage_upload(
        batch=run.batch, name=path.name, data=data, actor=run.actor, order=order,
        resolver=run.resolver, supersede_waiting=True,
    )  # fmt: skip
    if item.state in (ItemState.PARSED, ItemState.NEEDS_REVIEW):
        with transaction.atomic():
            _accept(item, run)
        # Confirming checks the item once more: a number already in the archive is reported as
        # skipped, any other problem leaves the item for review.
        return _confirm_one(item, run.actor, run.resolver)
    return item


def import_paths(
    *,
    paths: Iterable[str | Path],
    actor: User | None,
    progress: Progress | None = None,
    accept_unknown_units: bool = False,
    create_series: bool = False,
) -> ImportSummary:
    """Import files and folders; each file is stored, parsed and confirmed on its own."""
    require_importer(actor)
    files = archive_files(paths)
    batch = do_create_batch(actor=actor, source=BatchSource.CLI, total=len(files))
    summary = ImportSummary(batch_id=batch.pk)
    run = _Run(batch, actor, accept_unknown_units, create_series)
    batch.state = BatchState.RUNNING
    batch.save(update_fields=["state"])
    for order, path in enumerate(files):
        if progress:
            progress(path.name)
        try:
            result = _import_one(path, order, run)
        except Exception as error:
            result = f"出错：{error}"
        if isinstance(result, str):
            summary.failed.append((str(path), result))
        else:
            _record(summary, path, result)
        bump_progress(batch)
    finish_batch(batch)
    return summary
