"""Stored files follow the database transaction that references them.

A service that saves files and then fails leaves its rows rolled back; without this, the files
it wrote would stay on disk with nothing pointing at them. A file removed inside a transaction is
only deleted once the transaction commits, so a rollback never leaves a row without its file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models.fields.files import FieldFile


@contextmanager
def files_discarded_on_error() -> Iterator[list[FieldFile]]:
    """Collect the files saved inside the block; if the block raises, delete them again."""
    saved: list[FieldFile] = []
    try:
        yield saved
    except BaseException:
        for stored in saved:
            if stored.name:
                stored.storage.delete(stored.name)
        raise


def delete_on_commit(stored: FieldFile) -> None:
    """Delete a stored file once the current transaction commits (never if it rolls back)."""
    storage, name = stored.storage, stored.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
