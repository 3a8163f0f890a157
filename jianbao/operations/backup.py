"""`jianbao backup`: an online backup of the database and the stored files, and its check.

Consistency. The database snapshot is taken first: SQLite's backup API copies the whole
database in one step under a read transaction (WAL: writers go on meanwhile); PostgreSQL's
`pg_dump -Fc` runs on a snapshot exported by a REPEATABLE READ transaction, which also reads the
file rows. The rows holding files are read from that same snapshot and exactly their files are
copied: stored files are never rewritten in place, so every file the snapshot names is there
(a publish that committed but has not yet renamed its files is read from its temporary file,
whose SHA-256 matches the row). Files written after the snapshot are not copied.

A backup folder holds `database.sqlite3` or `database.pgdump`, `media/…`, and `manifest.json`
(written last: a folder without it is incomplete) with the SHA-256 and size of every file and
which rows' files were included.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from jianbao.accounts.services import record_audit_event
from jianbao.media import parse_temp_name, sha256_of_file
from jianbao.operations.stored_files import (
    FileRecord,
    copy_with_sha256,
    file_records,
    files_under,
)

Progress = Callable[[int, int], None]
MANIFEST = "manifest.json"
FORMAT = "jianbao-backup"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# A publish renames its files right after its commit: wait this long for one that is not there.
MISSING_FILE_WAIT_SECONDS = 2.0


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line of Chinese."""


@dataclass
class BackupResult:
    path: Path
    files: int = 0
    size: int = 0
    missing: list[str] = field(default_factory=list)  # referenced files not found
    mismatched: list[str] = field(default_factory=list)  # copied, but not the recorded bytes


def engine_of(database: dict[str, Any]) -> str:
    """ "sqlite" or "postgresql" from a Django database settings dict."""
    engine = database["ENGINE"].rsplit(".", 1)[-1]
    if engine in ("sqlite3", "postgresql"):
        return engine.removesuffix("3")
    raise BackupError(f"不支持的数据库类型：{database['ENGINE']}")


def pg_environment(database: dict[str, Any]) -> dict[str, str]:
    """The libpq environment (PGHOST, …) of a Django PostgreSQL settings dict."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        if database.get(key):
            env[var] = str(database[key])
    return env


def pg_tool(name: str) -> str:
    """The path of pg_dump / pg_restore, or a BackupError naming the Debian package."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"找不到 {name}，请安装 postgresql-client（scripts/install-system-deps.sh）"
        )
    return path


def default_backup_dir() -> Path:
    """JIANBAO_BACKUP_DIR/<local time>, e.g. var/backups/20240617-023000."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.JIANBAO_BACKUP_DIR) / stamp


def create_backup(*, to: Path | None = None, progress: Progress | None = None) -> BackupResult:
    """Back up the database and the files its rows refer to into an empty folder."""
    target = (to or default_backup_dir()).resolve()
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"备份目录不是空的：{target}")
    target.mkdir(parents=True, exist_ok=True)
    database = connections["default"].settings_dict
    engine = engine_of(database)
    db_file = target / DATABASE_FILES[engine]
    records = _sqlite_snapshot(db_file) if engine == "sqlite" else _postgres_snapshot(db_file)
    result = BackupResult(target)
    manifest = _manifest(engine, db_file)
    _copy_media(records, target, manifest, result, progress)
    manifest["missing"], manifest["mismatched"] = result.missing, result.mismatched
    _write_manifest(target, manifest)
    result.files = len(manifest["files"])
    result.size = sum(entry["size"] for entry in manifest["files"].values())
    record_audit_event(
        action="operations.backup",
        object_type="backup",
        object_id=target.name,
        detail={"path": str(target), "files": result.files, "missing": result.missing},
    )
    return result


def _postgres_snapshot(db_file: Path) -> list[FileRecord]:
    """pg_dump on a snapshot this transaction exports; the file rows read in that snapshot."""
    database = connections["default"].settings_dict
    with transaction.atomic(), connections["default"].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        records = list(file_records(cursor))
        done = subprocess.run(
            [pg_tool("pg_dump"), "-Fc", f"--snapshot={snapshot}", "-f", str(db_file)],
            env=pg_environment(database), capture_output=True, text=True, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_dump 失败：{_last_line(done.stderr)}")
    return records


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else "（无输出）"


def _sqlite_snapshot(db_file: Path) -> list[FileRecord]:
    source = connections["default"]
    source.ensure_connection()
    with closing(sqlite3.connect(db_file)) as copy:
        source.connection.backup(copy)  # one step: a consistent snapshot under a read lock
        copy.execute("PRAGMA journal_mode=DELETE")
        return list(file_records(copy.cursor()))


def _manifest(engine: str, db_file: Path) -> dict[str, Any]:
    digest, size = sha256_of_file(db_file)
    return {
        "format": FORMAT,
        "version": 1,
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "database": db_file.name,
        "files": {db_file.name: {"sha256": digest, "size": size}},
        "records": {},
    }


def _copy_media(
    records: list[FileRecord],
    target: Path,
    manifest: dict[str, Any],
    result: BackupResult,
    progress: Progress | None,
) -> None:
    root = Path(settings.MEDIA_ROOT)
    copied: set[str] = set()
    for done, record in enumerate(records, 1):
        manifest["records"].setdefault(record.label, []).append([record.pk, record.name])
        if record.name not in copied:
            copied.add(record.name)
            _copy_one(root, target, record, manifest, result)
        if progress is not None:
            progress(done, len(records))


def _copy_one(
    root: Path, target: Path, record: FileRecord, manifest: dict[str, Any], result: BackupResult
) -> None:
    source = _source_of(root, record)
    if source is None:
        result.missing.append(record.name)
        return
    relative = f"media/{record.name}"
    digest, size = copy_with_sha256(source, target / relative)
    manifest["files"][relative] = {"sha256": digest, "size": size}
    if record.sha256 and digest != record.sha256:
        result.mismatched.append(record.name)


def _source_of(root: Path, record: FileRecord) -> Path | None:
    """The file holding a row's bytes: its own, or a just-committed publish's temporary file."""
    deadline = time.monotonic() + MISSING_FILE_WAIT_SECONDS
    while True:
        path = root / record.name
        if path.is_file():
            return path
        for temp in path.parent.glob(f"{path.name}.tmp-*") if path.parent.is_dir() else []:
            parsed = parse_temp_name(temp.relative_to(root).as_posix())
            if parsed and record.sha256.startswith(parsed[1]):
                return temp
        if time.monotonic() > deadline:
            return None
        time.sleep(0.05)


def _write_manifest(target: Path, manifest: dict[str, Any]) -> None:
    temporary = target / f"{MANIFEST}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target / MANIFEST)


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a backup folder, or a BackupError saying why there is none."""
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} 不是完整的备份（没有 {MANIFEST}）")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{MANIFEST} 无法读取：{error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} 不是简报系统的备份清单")
    return manifest


def verify_backup(source: Path, *, progress: Progress | None = None) -> list[str]:
    """Every problem of a backup folder (a file missing, changed or not listed); [] when sound."""
    manifest = read_manifest(source)
    listed: dict[str, dict[str, Any]] = manifest["files"]
    problems = []
    for done, (name, entry) in enumerate(sorted(listed.items()), 1):
        path = source / name
        if not path.is_file():
            problems.append(f"缺少文件：{name}")
        elif sha256_of_file(path) != (entry["sha256"], entry["size"]):
            problems.append(f"文件已损坏（SHA-256 或大小不符）：{name}")
        if progress is not None:
            progress(done, len(listed))
    extra = set(files_under(source)) - set(listed) - {MANIFEST}
    problems += [f"清单之外的文件：{name}" for name in sorted(extra)]
    return problems
