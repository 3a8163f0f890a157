"""An editor's corrections to a parsed item: masthead, entries, unit names, series, skipping."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction

from jianbao.accounts.models import Unit, UnitAlias, User
from jianbao.accounts.services import do_add_unit_alias, do_create_unit
from jianbao.archive.models import OPEN_STATES, REVIEWABLE_STATES, ImportItem, ItemState
from jianbao.archive.policy import require_importer
from jianbao.archive.services.common import (
    StaleItemError,
    audit,
    refresh_open_items,
    refresh_state,
)
from jianbao.bulletins.models import EntryKind, Series
from jianbao.bulletins.services import do_create_series
from jianbao.text.paragraphs import normalise_body


class EntryEdit(TypedDict):
    """One entry as the editor leaves it."""

    kind: str
    section: str | None
    title: str | None
    body: str
    source_units: list[str]


def _lock_open(item: ImportItem, expected_version: int | None) -> ImportItem:
    current = (
        ImportItem.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=item.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleItemError(current)
    if current.state not in REVIEWABLE_STATES:
        raise ValidationError(f"该文件当前状态为「{ItemState(current.state).label}」，不能修改。")
    return current


def _positive(value: int | None, label: str) -> int | None:
    if value is not None and value <= 0:
        raise ValidationError({label: "应为正整数。"})
    return value


def _entry(old: dict[str, Any] | None, edit: EntryEdit, index: int) -> dict[str, Any]:
    if edit["kind"] not in EntryKind.values:
        raise ValidationError({"entries": f"第{index + 1}条的类型「{edit['kind']}」无效。"})
    names = [name.strip() for name in edit["source_units"] if name.strip()]
    raw = old.get("source_raw") if old else None
    if old is None or names != old["source_units"]:
        # A corrected source reprints as the names; an untouched one keeps the printed line.
        raw = "（" + "、".join(names) + "）" if names else None
    return {
        "kind": edit["kind"],
        "section": (edit.get("section") or "").strip().strip("【】") or None,
        "title": " ".join((edit.get("title") or "").split()) or None,
        "body": normalise_body(edit["body"]),
        "source_units": names,
        "source_raw": raw,
    }


@transaction.atomic
def do_update_parsed(
    *,
    item: ImportItem,
    actor: User,
    expected_version: int | None,
    series: str,
    year: int | None,
    number: int | None,
    total_number: int | None,
    date: datetime.date | None,
    organ: str,
    entries: Sequence[EntryEdit] | None = None,
) -> ImportItem:
    """Correct the masthead and, when given, the entries (in their new order) of an item."""
    require_importer(actor)
    current = _lock_open(item, expected_version)
    parsed = dict(current.parsed)
    parsed["series"] = series.strip().strip("《》「」") or None
    parsed["year"] = _positive(year, "year")
    parsed["number"] = _positive(number, "number")
    parsed["total_number"] = _positive(total_number, "total_number")
    parsed["date"] = date.isoformat() if date else None
    parsed["organ"] = organ.strip() or None
    if entries is not None:
        old = list(current.parsed.get("entries") or [])
        parsed["entries"] = [
            _entry(old[i] if i < len(old) else None, edit, i) for i, edit in enumerate(entries)
        ]
    current.parsed = parsed
    current.version += 1
    current.updated_by = actor
    current.save()
    audit("edit", actor, current)
    return refresh_state(current)


@transaction.atomic
def do_map_unit_name(*, name: str, unit: Unit, actor: User) -> UnitAlias | None:
    """A printed name means an existing unit from now on: recorded as the unit's alias."""
    require_importer(actor)
    name = name.strip()
    alias = None
    if name not in (unit.name, unit.short_name):
        alias = do_add_unit_alias(unit=unit, alias=name)
    audit("map_unit", actor, name=name, unit=unit.pk)
    refresh_open_items()
    return alias


@transaction.atomic
def do_create_unit_for_name(*, name: str, actor: User) -> Unit:
    """A printed name of a unit the table lacks becomes a new unit, because an editor said so."""
    require_importer(actor)
    unit = do_create_unit(name=name)
    audit("create_unit", actor, name=unit.name, unit=unit.pk)
    refresh_open_items()
    return unit


@transaction.atomic
def do_set_unattributed(
    *, item: ImportItem, name: str, actor: User, leave: bool = True
) -> ImportItem:
    """Keep a source name as printed text only (no unit credited), or undo that choice."""
    require_importer(actor)
    current = _lock_open(item, None)
    names = [n for n in current.unattributed if n != name]
    current.unattributed = [*names, name] if leave else names
    current.version += 1
    current.updated_by = actor
    current.save()
    audit("unattributed", actor, current, name=name, leave=leave)
    return refresh_state(current)


@transaction.atomic
def do_create_series_for_item(*, item: ImportItem, actor: User) -> Series:
    """Create the series an item names (explicitly: an unknown title may be a misreading)."""
    require_importer(actor)
    current = _lock_open(item, None)
    parsed = current.parsed
    if not parsed.get("series"):
        raise ValidationError({"series": "请先填写刊名。"})
    if not parsed.get("organ"):
        raise ValidationError({"organ": "新建刊物须有编发机关，请先填写。"})
    series = do_create_series(
        actor=actor,
        title=parsed["series"],
        organ=parsed["organ"],
        cumulative_numbering=parsed.get("total_number") is not None,
    )
    audit("create_series", actor, current, series=series.pk)
    refresh_open_items()
    return series


@transaction.atomic
def do_skip_item(*, item: ImportItem, actor: User | None, reason: str) -> ImportItem:
    """Leave a file out of the archive for good (a duplicate, a draft, not a bulletin)."""
    require_importer(actor)
    current = ImportItem.objects.select_for_update().get(pk=item.pk)
    if current.state not in OPEN_STATES:
        raise ValidationError(f"该文件当前状态为「{ItemState(current.state).label}」，不能跳过。")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写跳过的理由。"})
    current.state, current.message, current.updated_by = ItemState.SKIPPED, reason, actor
    current.version += 1
    current.save()
    audit("skip", actor, current, reason=reason)
    return current
