"""Archive import endpoints: upload, batch status, item read / update / confirm, unit names."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from jianbao.accounts.models import Unit, User
from jianbao.archive import selectors, services
from jianbao.archive.models import REVIEWABLE_STATES, BatchSource, ImportBatch, ImportItem
from jianbao.archive.policy import require_importer
from jianbao.bounds import MAX_IDS, Id, Number, Version, Year

router = Router(tags=["archive"])


class ItemSummaryOut(Schema):
    id: int
    original_name: str
    state: str
    state_label: str
    message: str
    issue_id: int | None


class BatchOut(Schema):
    id: int
    state: str
    phase: str
    total: int
    processed: int
    message: str
    counts: dict[str, int]
    items: list[ItemSummaryOut]


class ProblemOut(Schema):
    code: str
    field: str
    message: str
    name: str


class ItemOut(ItemSummaryOut):
    batch_id: int
    sha256: str
    size: int
    format: str
    version: int
    text: str
    parsed: dict[str, Any]
    unattributed: list[str]
    problems: list[ProblemOut]


class EntryIn(Schema):
    kind: Literal["item", "brief", "note"] = "item"
    section: str | None = Field(None, max_length=50)
    title: str | None = Field(None, max_length=200)
    body: str = Field(..., max_length=100_000)
    source_units: list[Annotated[str, Field(max_length=100)]] = Field([], max_length=MAX_IDS)


class ItemPatch(Schema):
    version: Version
    series: str = Field("", max_length=50)
    year: Year | None = None
    number: Number | None = None
    total_number: Number | None = None
    date: datetime.date | None = None
    organ: str = Field("", max_length=100)
    entries: list[EntryIn] | None = Field(None, max_length=MAX_IDS)


class UnitNameIn(Schema):
    name: str = Field(..., max_length=100)
    action: Literal["map", "create", "leave", "unleave"]
    unit_id: Id | None = None


class ConflictOut(Schema):
    """A stale save (the body every API answers a 409 with)."""

    detail: str
    changed_by: str | None
    changed_at: datetime.datetime
    current_version: int


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class ConfirmOut(Schema):
    issue_id: int
    issue: str


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    require_importer(user)
    return user


def _summary(item: ImportItem) -> dict[str, Any]:
    return {
        "id": item.pk, "original_name": item.original_name, "state": item.state,
        "state_label": item.get_state_display(), "message": item.message,
        "issue_id": item.issue_id,
    }  # fmt: skip


def _batch_out(batch: ImportBatch) -> dict[str, Any]:
    return {
        "id": batch.pk, "state": batch.state, "phase": batch.phase, "total": batch.total,
        "processed": batch.processed, "message": batch.message,
        "counts": selectors.state_counts(batch),
        # Polled while a batch runs: the extracted text and parse of each file are not needed.
        "items": [_summary(item) for item in batch.items.defer("text", "parsed")],
    }  # fmt: skip


def _item_out(item: ImportItem) -> dict[str, Any]:
    problems = selectors.item_problems(item) if item.state in REVIEWABLE_STATES else []
    return _summary(item) | {
        "batch_id": item.batch_id, "sha256": item.sha256, "size": item.size,
        "format": item.format, "version": item.version, "text": item.text,
        "parsed": item.parsed, "unattributed": item.unattributed,
        "problems": [vars(problem) for problem in problems],
    }  # fmt: skip


@router.post("/batches", response={201: BatchOut})
def upload(request: HttpRequest, files: list[UploadedFile] = File(...)) -> Any:  # noqa: B008
    """Upload past issues (multipart `files`); parsed now when few and small
    (`JIANBAO_INLINE_PARSE_FILES`/`_BYTES`), by the background worker otherwise."""
    user = _user(request)
    data = [(f.name or "未命名", f) for f in files]
    batch = services.do_upload_files(actor=user, files=data, source=BatchSource.API)
    return Status(201, _batch_out(batch))


@router.get("/batches/{batch_id}", response=BatchOut)
def batch_status(request: HttpRequest, batch_id: int) -> Any:
    """Progress and the state of every file of a batch."""
    return _batch_out(selectors.get_batch(_user(request), batch_id))


@router.post("/batches/{batch_id}/resume", response=BatchOut)
def resume_batch(request: HttpRequest, batch_id: Id) -> Any:
    """Take up a failed or interrupted batch again (queued for the worker); 400 otherwise."""
    user = _user(request)
    batch = services.do_resume_batch(batch=selectors.get_batch(user, batch_id), actor=user)
    return _batch_out(batch)


@router.post("/batches/{batch_id}/cancel", response=BatchOut)
def cancel_batch(request: HttpRequest, batch_id: Id, payload: CancelIn | None = None) -> Any:
    """Stop a batch for good: its files still pending are skipped with the reason."""
    user = _user(request)
    reason = payload.reason if payload is not None else ""
    batch = selectors.get_batch(user, batch_id)
    batch = services.do_cancel_batch(batch=batch, actor=user, reason=reason)
    return _batch_out(batch)


@router.get("/items/{item_id}", response=ItemOut)
def read_item(request: HttpRequest, item_id: int) -> Any:
    """One file: its text, parse, and what still blocks importing it."""
    return _item_out(selectors.get_item(_user(request), item_id))


@router.patch("/items/{item_id}", response={200: ItemOut, 409: ConflictOut})
def update_item(request: HttpRequest, item_id: int, payload: ItemPatch) -> Any:
    """Correct masthead fields and (when given) the entries; a stale version gives 409."""
    user = _user(request)
    item = selectors.get_item(user, item_id)
    entries = None
    if payload.entries is not None:
        entries = [services.EntryEdit(**entry.dict()) for entry in payload.entries]  # type: ignore[typeddict-item]
    item = services.do_update_parsed(
        item=item, actor=user, expected_version=payload.version, series=payload.series,
        year=payload.year, number=payload.number, total_number=payload.total_number,
        date=payload.date, organ=payload.organ, entries=entries,
    )  # fmt: skip
    return _item_out(item)


@router.post("/items/{item_id}/units", response=ItemOut)
def unit_name(request: HttpRequest, item_id: int, payload: UnitNameIn) -> Any:
    """Map a source name to a unit (as an alias), create the unit, or leave it unattributed."""
    user = _user(request)
    item = selectors.get_item(user, item_id)
    if payload.action == "map":
        unit = Unit.objects.filter(pk=payload.unit_id).first() if payload.unit_id else None
        if unit is None:
            raise ValidationError({"unit_id": "请选择要对应的单位。"})
        services.do_map_unit_name(name=payload.name, unit=unit, actor=user)
    elif payload.action == "create":
        services.do_create_unit_for_name(name=payload.name, actor=user)
    else:
        leave = payload.action == "leave"
        services.do_set_unattributed(item=item, name=payload.name, actor=user, leave=leave)
    item.refresh_from_db()
    return _item_out(item)


@router.post("/items/{item_id}/confirm", response={201: ConfirmOut})
def confirm(request: HttpRequest, item_id: int) -> Any:
    """Store the file as a published archive issue."""
    user = _user(request)
    issue = services.do_confirm_item(item=selectors.get_item(user, item_id), actor=user)
    return Status(201, {"issue_id": issue.pk, "issue": str(issue)})
