"""Which rows hold files, and the files under MEDIA_ROOT: shared by `jianbao doctor` and backups.

Every `FileField` of every installed model holds a name relative to MEDIA_ROOT (published issue
files, submission attachments, archive originals; an archive issue's file row names its import
item's stored original). The rows are read with plain SQL through any DB-API cursor, so a backup
reads them from its own snapshot (a SQLite copy, or the PostgreSQL transaction pg_dump shares).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models

CHUNK = 1 << 20


@dataclass(frozen=True)
class FileColumn:
    """A table column holding stored file names, and the column of their SHA-256 if any."""

    label: str  # e.g. "bulletins.IssueFile"
    table: str
    pk: str
    column: str
    sha256: str | None


@dataclass(frozen=True)
class FileRecord:
    """One row's stored file."""

    label: str
    pk: Any
    name: str
    sha256: str  # "" when the model keeps no SHA-256


def file_columns() -> list[FileColumn]:
    """Every file-holding column of the installed models (IssueFile, Attachment, ImportItem…)."""
    found = []
    for model in apps.get_models():
        names = {field.name for field in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                sha = "sha256" if "sha256" in names else None  # a CharField: column = name
                found.append(
                    FileColumn(
                        model._meta.label,
                        model._meta.db_table,
                        model._meta.pk.column,
                        field.column,
                        sha,
                    )
                )
    return found


def file_records(cursor: Any, columns: list[FileColumn] | None = None) -> Iterator[FileRecord]:
    """Every row naming a stored file, read through a DB-API cursor (SQLite or PostgreSQL)."""
    for column in file_columns() if columns is None else columns:
        sha = f'"{column.sha256}"' if column.sha256 else "''"
        cursor.execute(
            f'SELECT "{column.pk}", "{column.column}", {sha} FROM "{column.table}"'
            f' WHERE "{column.column}" <> \'\' ORDER BY "{column.pk}"'
        )
        for pk, name, digest in cursor.fetchall():
            yield FileRecord(column.label, pk, name, digest or "")


def files_under(root: Path) -> Iterator[str]:
    """Names (relative, with /) of the regular files below `root`, in a stable order."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix()


def copy_with_sha256(source: Path, target: Path) -> tuple[str, int]:
    """Copy a file (fsynced, parents created) and return the (SHA-256, size) of what was read."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as reader, open(target, "xb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
            size += len(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    return digest.hexdigest(), size
