"""Stored files follow the database transaction that references them.

A service that saves files and then fails leaves its rows rolled back; without this, the files
it wrote would stay on disk with nothing pointing at them. Blocks nest: a file saved in an inner
block that succeeded is still deleted if the enclosing block (say, a view saving an item and all
its attachments in one transaction) fails. A file removed inside a transaction is only deleted
once the transaction commits, so a rollback never leaves a row without its file.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.core.files.storage import default_storage
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


# --- Files written under a temporary name and moved into place after the commit ---------------
#
# Published files have deterministic names (`issues/2024/上街信息-2024-35.pdf`). They are first
# written beside their final name as `<final>.tmp-<sha256[:16]>-<nonce>` (complete and fsynced),
# the rows recording the final name and the SHA-256 are committed, and only then is each file
# renamed into place (os.replace: atomic, and it replaces a stray file of that name). A crash
# before the commit leaves only temp files (swept by `jianbao doctor --repair`); a crash after it
# leaves a row whose temp file carries the row's SHA-256 in its name, so the doctor can finish
# the move. These helpers need a storage on the local file system (`storage.path`).

TEMP_MARK = ".tmp-"
_TEMP_NAME = re.compile(r"^(?P<final>.+)\.tmp-(?P<sha>[0-9a-f]{16})-(?P<nonce>[0-9a-f]{8})$")


def temp_name(name: str, sha256: str) -> str:
    """A fresh temporary name beside `name` that carries the content's SHA-256 prefix."""
    return f"{name}{TEMP_MARK}{sha256[:16]}-{uuid.uuid4().hex[:8]}"


def parse_temp_name(name: str) -> tuple[str, str] | None:
    """(final name, SHA-256 prefix) of a temporary name; None for any other name."""
    match = _TEMP_NAME.match(name)
    return (match["final"], match["sha"]) if match else None


def _path(name: str) -> Path:
    return Path(default_storage.path(name))


def _fsync_dir(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_temp_file(*, name: str, content: bytes, sha256: str) -> str:
    """Write `content` completely (fsynced) under a temporary name beside `name`; return it."""
    temp = temp_name(name, sha256)
    path = _path(temp)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return temp


def move_into_place(temp: str, name: str) -> None:
    """Rename a temporary file to its final name atomically, replacing whatever is there."""
    final = _path(name)
    os.replace(_path(temp), final)
    _fsync_dir(final.parent)


def remove_stored(name: str) -> None:
    """Remove a stored file if it is there."""
    _path(name).unlink(missing_ok=True)


def sha256_of_file(path: Path) -> tuple[str, int]:
    """(SHA-256, size) of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def holds(name: str, sha256: str) -> bool:
    """Whether the stored file `name` is there with exactly the bytes of `sha256`."""
    path = _path(name)
    return path.is_file() and sha256_of_file(path)[0] == sha256


def matching_temp(sha256: str, temps: Iterable[str]) -> str | None:
    """The first of these temporary files whose content has this SHA-256 (a publish that
    committed and stopped before its rename), or None."""
    for temp in sorted(temps):
        parsed = parse_temp_name(temp)
        if parsed is not None and sha256.startswith(parsed[1]) and holds(temp, sha256):
            return temp
    return None
