"""`jianbao commissions`: the reminder sweep and the outcomes scoring reads (约稿)."""

from __future__ import annotations

import argparse
import datetime
import json

from jianbao.cli import CommandError, setup_django

NAME = "commissions"
HELP = (
    "Commissions (约稿): `sweep` sends due-tomorrow and overdue reminders once and marks units "
    "that missed a deadline (the worker runs it every JIANBAO_COMMISSION_SWEEP_SECONDS); "
    "`outcomes` lists each unit's on-time/late/missed answers for deadlines in a period."
)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sweep = sub.add_parser("sweep", help="send reminders and mark missed units (idempotent)")
    sweep.add_argument("--json", action="store_true", help="machine-readable output")
    outcomes = sub.add_parser("outcomes", help="per-unit outcomes for deadlines in a period")
    outcomes.add_argument("--from", dest="start", type=_date, required=True, help="YYYY-MM-DD")
    outcomes.add_argument("--to", dest="end", type=_date, required=True, help="YYYY-MM-DD")
    outcomes.add_argument("--json", action="store_true", help="machine-readable output")


def _sweep(as_json: bool) -> int:
    from jianbao.commissions.services import do_sweep_commissions

    result = do_sweep_commissions()
    if as_json:
        print(json.dumps({"due_reminded": result.due_reminded, "overdue": result.overdue}))
    else:
        print(f"截止提醒 {result.due_reminded} 个单位，逾期未报 {result.overdue} 个单位。")
    return 0


def _outcomes(start: datetime.date, end: datetime.date, as_json: bool) -> int:
    from jianbao.accounts.models import Unit
    from jianbao.commissions.selectors import commission_outcomes

    if end < start:
        raise CommandError("--to must not be before --from")
    rows = commission_outcomes(start=start, end=end)
    names = dict(Unit.objects.values_list("pk", "name"))
    if as_json:
        data = [
            {
                "commission_id": o.commission_id, "title": o.title, "unit_id": o.unit_id,
                "unit": names.get(o.unit_id, ""), "deadline": o.deadline.isoformat(),
                "answered_at": o.answered_at.isoformat() if o.answered_at else None,
                "declined": o.declined, "state": o.state,
            }
            for o in rows
        ]  # fmt: skip
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    labels = {"on_time": "按时", "late": "逾期报送", "missed": "逾期未报", "open": "未到期"}
    for o in rows:
        state = labels[o.state] + ("（无此情况）" if o.declined else "")
        print(f"{o.deadline}  {names.get(o.unit_id, o.unit_id)}  {state}  {o.title}")
    print(f"共 {len(rows)} 条。")
    return 0


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.db.utils import OperationalError, ProgrammingError

    try:
        if args.action == "sweep":
            return _sweep(args.json)
        return _outcomes(args.start, args.end, args.json)
    except (OperationalError, ProgrammingError) as error:
        raise CommandError(
            f"cannot read the database (run `jianbao demo` or migrate): {error}"
        ) from error
