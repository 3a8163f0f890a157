"""`jianbao doctor [--repair] [--json]`: stored files against their rows, crash leftovers, stale
tasks. Exit status 0 when healthy (or everything found was repaired), 1 when problems remain."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from jianbao.cli import CommandError, setup_django

if TYPE_CHECKING:
    from jianbao.operations.doctor import Report

NAME = "doctor"
HELP = (
    "Check stored files against the database (missing, changed, orphaned, left by a crash) and "
    "look for interrupted tasks; --repair fixes what can be fixed (orphans go to a quarantine "
    "folder). Exit 1 while problems remain."
)

KINDS = {
    "missing": "缺失",
    "mismatch": "不符",
    "temp": "临时文件",
    "orphan": "孤立文件",
    "stale_task": "中断任务",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repair", action="store_true", help="repair what can be repaired")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.db.utils import OperationalError, ProgrammingError
    from tqdm import tqdm

    from jianbao.operations.doctor import run_doctor

    try:
        with tqdm(total=0, unit="项", desc="检查", disable=args.json) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            report = run_doctor(repair=args.repair, progress=progress)
    except (OperationalError, ProgrammingError) as error:
        raise CommandError(f"cannot read the database (migrate first?): {error}") from error
    if args.json:
        payload = {
            "healthy": report.healthy,
            "records": report.records,
            "files": report.files,
            "skipped_recent": report.skipped_recent,
            "findings": [asdict(finding) for finding in report.findings],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        _print(report)
    return 0 if report.healthy else 1


def _print(report: Report) -> None:
    for finding in report.findings:
        line = f"[{KINDS.get(finding.kind, finding.kind)}] {finding.name}：{finding.detail}"
        print(line + (f" → {finding.action}" if finding.action else ""))
    left = sum(not finding.repaired for finding in report.findings)
    recent = f"，{report.skipped_recent} 个新文件暂不检查" if report.skipped_recent else ""
    print(
        f"检查了 {report.records} 条文件记录、{report.files} 个文件{recent}；"
        f"发现 {len(report.findings)} 个问题，{left} 个未解决。"
    )
