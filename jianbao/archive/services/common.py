"""Pieces shared by the archive services: errors, the audit trail, item state upkeep."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.archive.models import REVIEWABLE_STATES, ImportItem, ItemState
from jianbao.archive.selectors import UnitResolver, item_problems
from jianbao.versioning import StaleWriteError


class StaleItemError(StaleWriteError):
    """The import item's parse changed since the editor loaded it; nothing was saved."""

    def __init__(self, item: ImportItem) -> None:
        super().__init__("该文件的解析结果", item)


def sha256_of(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def audit(action: str, actor: User | None, item: ImportItem | None = None, **detail: Any) -> None:
    """One audit event about the archive import."""
    record_audit_event(
        action=f"archive.{action}",
        actor=actor,
        object_type="import_item" if item is not None else "archive",
        object_id=item.pk if item is not None else "",
        detail=detail,
    )


def refresh_state(item: ImportItem, resolver: UnitResolver | None = None) -> ImportItem:
    """Ready (parsed) or blocked (needs_review) from the problems as they are now; saves."""
    if item.state not in REVIEWABLE_STATES:
        return item
    problems = item_problems(item, resolver)
    item.state = ItemState.NEEDS_REVIEW if problems else ItemState.PARSED
    item.message = "；".join(problem.message for problem in problems)
    item.save(update_fields=["state", "message", "updated_at"])
    return item


def refresh_open_items(items: QuerySet[ImportItem] | None = None) -> int:
    """Re-derive ready or blocked for every open item (or those of `items`), one resolver for all.

    Whether an item is ready depends on the unit table and the series, which change outside it
    (a name mapped on another item, a unit created elsewhere): re-derived before acting on it.
    """
    resolver = UnitResolver()
    open_items = (items if items is not None else ImportItem.objects).filter(
        state__in=REVIEWABLE_STATES
    )
    count = 0
    for item in open_items:
        refresh_state(item, resolver)
        count += 1
    return count
