"""`jianbao doctor`: files and rows that disagree, leftovers of crashes, stale tasks; and repairs.

What is checked:
- every row holding a file (`stored_files.file_columns`): the file is there and its SHA-256 is
  the recorded one. A missing or different file is restored from a publish's temporary file
  whose SHA-256 matches the row (a crash between the commit and the rename), or, for a published
  issue's own file, re-rendered when the rendering's SHA-256 equals the recorded one (rendering
  is deterministic); a different file is first moved to the quarantine. Otherwise reported.
- files under MEDIA_ROOT no row names: temporary files of publishing are removed, any other
  file is moved to the quarantine folder (`JIANBAO_QUARANTINE_DIR`), never deleted. Files newer
  than `JIANBAO_DOCTOR_GRACE_SECONDS` are left alone: a write may still be on its way.
- tasks and archive batches a crash interrupted (`jianbao.operations.stale_tasks`).

Nothing changes without `repair=True`; each repair records an audit event.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from jianbao.accounts.services import record_audit_event
from jianbao.media import (
    matching_temp,
    move_into_place,
    parse_temp_name,
    remove_stored,
    sha256_of_file,
    write_temp_file,
)
from jianbao.operations.stale_tasks import recover_stale_tasks
from jianbao.operations.stored_files import FileRecord, file_records, files_under

Progress = Callable[[int, int], None]
ISSUE_FILE = "bulletins.IssueFile"


@dataclass
class Finding:
    """One problem found, and what a repair did about it."""

    kind: str  # missing | mismatch | temp | orphan | stale_task
    name: str  # the file (relative to MEDIA_ROOT) or the task
    detail: str  # one line, Chinese
    repaired: bool = False
    action: str = ""  # what the repair did, Chinese


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    records: int = 0
    files: int = 0
    skipped_recent: int = 0

    @property
    def healthy(self) -> bool:
        """No problem is left (none found, or every one repaired)."""
        return all(finding.repaired for finding in self.findings)


@dataclass
class _Scan:
    root: Path
    repair: bool
    report: Report
    temps: dict[str, list[str]]  # final name -> temporary files beside it
    progress: Progress | None
    total: int
    done: int = 0
    stamp: str = field(default_factory=lambda: timezone.localtime().strftime("%Y%m%d-%H%M%S"))

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)

    def add(self, finding: Finding) -> None:
        self.report.findings.append(finding)
        if finding.repaired:
            record_audit_event(
                action=f"operations.doctor.{finding.kind}",
                object_type="file",
                object_id=finding.name[-50:],
                detail={"name": finding.name, "problem": finding.detail, "repair": finding.action},
            )


def run_doctor(*, repair: bool = False, progress: Progress | None = None) -> Report:
    """Check stored files against their rows and look for stale tasks; `repair` what it can."""
    root = Path(settings.MEDIA_ROOT)
    with connection.cursor() as cursor:
        records = list(file_records(cursor))
    on_disk = list(files_under(root)) if root.is_dir() else []
    temps: dict[str, list[str]] = defaultdict(list)
    for name in on_disk:
        parsed = parse_temp_name(name)
        if parsed is not None:
            temps[parsed[0]].append(name)
    scan = _Scan(root, repair, Report(), temps, progress, len(records) + len(on_disk))
    owned: set[str] = set()
    for record in records:
        if record.name not in owned:
            owned.add(record.name)
            _check_record(scan, record)
        scan.tick()
    for name in on_disk:
        if name not in owned and (root / name).exists():
            _check_unowned(scan, name)
        scan.tick()
    _check_tasks(scan)
    scan.report.records, scan.report.files = len(records), len(on_disk)
    return scan.report


def _check_record(scan: _Scan, record: FileRecord) -> None:
    path = scan.root / record.name
    if not path.is_file():
        problem, kind = "记录的文件不存在", "missing"
    else:
        digest, _ = sha256_of_file(path)
        if not record.sha256 or digest == record.sha256:
            return
        problem, kind = (
            f"文件的 SHA-256 与记录不符（{digest[:12]}…，应为 {record.sha256[:12]}…）",
            "mismatch",
        )
    finding = Finding(kind, record.name, f"{record.label} #{record.pk}：{problem}")
    if scan.repair:
        finding.action = _restore(scan, record)
        finding.repaired = bool(finding.action)
    scan.add(finding)


def _restore(scan: _Scan, record: FileRecord) -> str:
    """Put the recorded bytes back under the record's name; what was done ("" when nothing)."""
    if not record.sha256:
        return ""
    temp = matching_temp(record.sha256, scan.temps.get(record.name, []))
    if temp is not None:
        _set_aside(scan, record.name)
        move_into_place(temp, record.name)
        scan.temps[record.name].remove(temp)
        return f"已由临时文件 {Path(temp).name} 补全（SHA-256 相符）"
    content = _rerendered(record)
    if content is None:
        return ""
    _set_aside(scan, record.name)
    move_into_place(
        write_temp_file(name=record.name, content=content, sha256=record.sha256), record.name
    )
    return "已重新排版生成（SHA-256 与记录相同）"


def _rerendered(record: FileRecord) -> bytes | None:
    """A published issue's own file rendered again, if it gives exactly the recorded bytes."""
    if record.label != ISSUE_FILE:
        return None
    from jianbao.bulletins.models import IssueFile  # noqa: PLC0415
    from jianbao.bulletins.rendering import render_issue, stored_name  # noqa: PLC0415

    row = IssueFile.objects.select_related("issue__series").get(pk=record.pk)
    if row.file.name != stored_name(row.issue, row.format):
        return None  # an archive original: nothing to render it from
    try:
        [rendered] = render_issue(row.issue, (row.format,))
    except Exception:  # a rendering that fails just means "cannot repair"
        return None
    return rendered.content if rendered.sha256 == record.sha256 else None


def _set_aside(scan: _Scan, name: str) -> None:
    """Move a file that is about to be replaced into the quarantine (if it is there)."""
    if (scan.root / name).is_file():
        _quarantine(scan, name)


def _quarantine(scan: _Scan, name: str) -> Path:
    target = Path(settings.JIANBAO_QUARANTINE_DIR) / scan.stamp / name
    target.parent.mkdir(parents=True, exist_ok=True)
    (scan.root / name).replace(target)
    return target


def _check_unowned(scan: _Scan, name: str) -> None:
    age = time.time() - (scan.root / name).stat().st_mtime
    if age < settings.JIANBAO_DOCTOR_GRACE_SECONDS:
        scan.report.skipped_recent += 1
        return
    if parse_temp_name(name) is not None:
        finding = Finding("temp", name, "发布中断留下的临时文件，没有记录对应")
        if scan.repair:
            remove_stored(name)
            finding.repaired, finding.action = True, "已删除"
    else:
        finding = Finding("orphan", name, "磁盘上的文件没有任何记录引用")
        if scan.repair:
            target = _quarantine(scan, name)
            finding.repaired, finding.action = True, f"已移入隔离目录 {target}"
    scan.add(finding)


def _check_tasks(scan: _Scan) -> None:
    for stale in recover_stale_tasks(dry_run=not scan.repair):
        name = f"任务 {stale.task_id}" if stale.task_id else stale.subject
        action = "已标记为失败，导入批次标记为已中断" if scan.repair else ""
        # recover_stale_tasks records its own audit event for each task it recovers.
        scan.report.findings.append(
            Finding("stale_task", name, f"{stale.subject}：{stale.reason}", scan.repair, action)
        )
