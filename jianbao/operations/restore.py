"""`jianbao restore DIR`: a backup into an empty data folder and an empty database.

Refused (nothing written) when the media folder holds any file, the database holds any table,
or the backup's engine differs from the configured one. Every file is copied to a staging folder
beside MEDIA_ROOT and checked against the manifest's SHA-256 while it is copied; only when all
agree is the database restored (SQLite: the file renamed into place; PostgreSQL: `pg_restore
--single-transaction`) and the staging folder renamed to MEDIA_ROOT. A failure before that
removes the staging folder and leaves the target as it was.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from jianbao.accounts.services import record_audit_event
from jianbao.operations.backup import (
    BackupError,
    Progress,
    engine_of,
    pg_environment,
    pg_tool,
    read_manifest,
)
from jianbao.operations.stored_files import copy_with_sha256, files_under


@dataclass(frozen=True)
class RestoreResult:
    files: int  # media files restored
    size: int  # bytes of them


def restore_backup(
    *,
    source: Path,
    media_root: Path,
    database: dict[str, Any],
    progress: Progress | None = None,
) -> RestoreResult:
    """Restore a backup folder into an empty media folder and an empty database."""
    manifest = read_manifest(source)
    engine = engine_of(database)
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，当前配置的是 {engine}")
    _require_empty(media_root, database, engine)
    staging = media_root.parent / f".restore-{uuid.uuid4().hex[:8]}"
    try:
        size = _stage(source, manifest, staging, progress)
        _restore_database(staging / manifest["database"], database, engine)
        if media_root.exists():
            shutil.rmtree(media_root)  # holds no file (checked above), at most empty folders
        media = staging / "media"
        media.mkdir(parents=True, exist_ok=True)
        media.replace(media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(len(manifest["files"]) - 1, size)


def restore_site(*, source: Path, progress: Progress | None = None) -> RestoreResult:
    """Restore a backup into this installation's (empty) data folder and database."""
    result = restore_backup(
        source=source,
        media_root=Path(settings.MEDIA_ROOT),
        database=dict(connections["default"].settings_dict),
        progress=progress,
    )
    connections["default"].close()  # it may have seen the empty database
    record_audit_event(
        action="operations.restore",
        object_type="backup",
        object_id=source.name,
        detail={"path": str(source.resolve()), "files": result.files},
    )
    return result


def _require_empty(media_root: Path, database: dict[str, Any], engine: str) -> None:
    if media_root.is_dir() and next(files_under(media_root), None) is not None:
        raise BackupError(f"媒体目录不是空的：{media_root}（只能恢复到空的数据目录）")
    tables = _sqlite_tables(Path(database["NAME"])) if engine == "sqlite" else _pg_tables(database)
    if tables:
        raise BackupError(f"数据库不是空的（已有 {tables} 张表）：只能恢复到空数据库")


def _sqlite_tables(path: Path) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])


def _pg_tables(database: dict[str, Any]) -> int:
    done = subprocess.run(
        ["psql", "-Atc", "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
         "('pg_catalog', 'information_schema')"],
        env=pg_environment(database), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"无法连接数据库：{done.stderr.strip()[:200]}")
    return int(done.stdout.strip() or 0)


def _stage(source: Path, manifest: dict[str, Any], staging: Path, progress: Progress | None) -> int:
    """Copy every listed file into `staging`, checking each against the manifest."""
    listed: dict[str, dict[str, Any]] = manifest["files"]
    total = sum(entry["size"] for entry in listed.values())
    done = size = 0
    for name, entry in sorted(listed.items()):
        if not (source / name).is_file():
            raise BackupError(f"备份缺少文件：{name}")
        digest, length = copy_with_sha256(source / name, staging / name)
        if (digest, length) != (entry["sha256"], entry["size"]):
            raise BackupError(f"备份文件已损坏（SHA-256 不符）：{name}")
        done += length
        size += length if name.startswith("media/") else 0
        if progress is not None:
            progress(done, total)
    return size


def _restore_database(dump: Path, database: dict[str, Any], engine: str) -> None:
    """The staged (checked) database into place: renamed (SQLite) or loaded (PostgreSQL)."""
    if engine == "sqlite":
        target = Path(database["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):  # an empty database's leftovers would not match
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.move(dump, target)  # a rename on the same file system
        return
    done = subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--no-acl", "--single-transaction",
         "--exit-on-error", "-d", str(database["NAME"]), str(dump)],
        env=pg_environment(database), capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_restore 失败：{done.stderr.strip()[-300:]}")
