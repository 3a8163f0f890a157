"""Optimistic concurrency: a write based on an old version of a record is refused.

Every versioned record (item, issue, entry, series, import item) raises a subclass of
`StaleWriteError`, so pages and the API answer a stale save the same way: 409, who changed the
record and when, and the current version to save against.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone


class StaleWriteError(Exception):
    """The record changed since the user loaded it; nothing was saved."""

    def __init__(self, what: str, record: Any) -> None:
        self.record = record
        self.current_version: int = record.version
        self.changed_by = getattr(record, "updated_by", None)
        self.changed_at: datetime = record.updated_at
        when = timezone.localtime(self.changed_at).strftime("%Y-%m-%d %H:%M:%S")
        who = str(self.changed_by) if self.changed_by else "他人"
        super().__init__(
            f"{what}已被 {who} 于 {when} 修改，您的保存未生效。请核对最新内容后再保存。"
        )

    def payload(self) -> dict[str, Any]:
        """The API's 409 body."""
        return {
            "detail": str(self),
            "changed_by": str(self.changed_by) if self.changed_by else None,
            "changed_at": self.changed_at.isoformat(),
            "current_version": self.current_version,
        }
