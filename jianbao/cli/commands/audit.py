"""`jianbao audit verify|export`: check the audit trail's hash chain; export it for an assessor."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from jianbao.cli import CommandError, setup_django

NAME = "audit"
HELP = "Verify the audit trail's hash chain (names a removed or altered record), or export it."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="check each record against the chain (exit 1: broken)")
    verify.add_argument("--json", action="store_true", help="machine-readable result")
    export = sub.add_parser("export", help="write the trail as CSV or XLSX (the export is audited)")
    export.add_argument("--out", required=True, type=Path, help="file to write (.csv or .xlsx)")
    export.add_argument("--from", dest="date_from", type=date.fromisoformat, help="YYYY-MM-DD")
    export.add_argument("--to", dest="date_to", type=date.fromisoformat, help="YYYY-MM-DD")


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.db.utils import OperationalError, ProgrammingError

    try:
        if args.audit_command == "verify":
            return _verify(as_json=args.json)
        return _export(out=args.out, date_from=args.date_from, date_to=args.date_to)
    except (OperationalError, ProgrammingError) as error:
        raise CommandError(
            f"cannot read the database (run `jianbao demo` or migrate): {error}"
        ) from error


def _verify(*, as_json: bool) -> int:
    from tqdm import tqdm

    from jianbao.accounts.audit_chain import verify_chain
    from jianbao.accounts.selectors import (
        audit_chain_head,
        audit_chain_records,
        audit_event_count,
    )

    total = audit_event_count()
    with tqdm(total=total, unit="条", desc="校验审计链", disable=as_json) as bar:

        def progress(done: int) -> None:
            bar.update(done - bar.n)

        problem = verify_chain(audit_chain_records(), head=audit_chain_head(), progress=progress)
    if as_json:
        print(
            json.dumps(
                {
                    "ok": problem is None,
                    "events": total,
                    "sequence": problem.sequence if problem else None,
                    "reason": problem.reason if problem else None,
                },
                ensure_ascii=False,
            )
        )
        return 0 if problem is None else 1
    if problem is not None:
        raise CommandError(f"审计链校验失败：{problem.reason}")
    print(f"审计链完整：{total} 条记录，哈希逐条相符。", file=sys.stdout)
    return 0


def _export(*, out: Path, date_from: date | None, date_to: date | None) -> int:
    from jianbao.accounts.audit_export import AuditFilter
    from jianbao.accounts.models import AuditEvent
    from jianbao.accounts.services import do_export_audit_trail

    suffix = out.suffix.lower().lstrip(".")
    if suffix not in {"csv", "xlsx"}:
        raise CommandError(f"--out：只能导出 .csv 或 .xlsx，不是「{out.name}」")
    filters = AuditFilter(date_from=date_from, date_to=date_to)
    data, count = do_export_audit_trail(
        actor=None, events=AuditEvent.objects.all(), filters=filters, fmt=suffix
    )
    out.write_bytes(data)
    print(f"已导出 {count} 条审计记录到 {out}")
    return 0
