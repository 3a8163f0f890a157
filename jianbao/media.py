"""Stored files follow the database transaction that references them.

A service that saves files and then fails leaves its rows rolled back; without this, the files
it wrote would stay on disk with nothing pointing at them. Blocks nest: a file saved in an inner
block that succeeded is still deleted if the enclosing block (say, a view saving an item and all
its attachments in one transaction) fails. A file removed inside a transaction is only deleted
once the transaction commits, so a rollback never leaves a row without its file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.fields.files import FieldFile

_enclosing: ContextVar[list[FieldFile] | None] = ContextVar("files_saved", default=None)


@contextmanager
def files_discarded_on_error() -> Iterator[list[FieldFile]]:
    """Collect the files saved inside the block; if it (or an enclosing block) raises, delete
    them again."""
    saved: list[FieldFile] = []
    outer = _enclosing.get()
    token = _enclosing.set(saved)
    try:
        yield saved
    except BaseException:
        for stored in saved:
            if stored.name:
                stored.storage.delete(stored.name)
        raise
    finally:
        _enclosing.reset(token)
    if outer is not None:
        outer.extend(saved)


def delete_on_commit(stored: FieldFile) -> None:
    """Delete a stored file once the current transaction commits (never if it rolls back)."""
    storage, name = stored.storage, stored.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
