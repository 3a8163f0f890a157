"""`jianbao scores`: recompute the ledger, show a period's figures, or run the pure engine on files.

    jianbao scores recompute [--from 2024-01-01 --to 2024-12-31] [--user NAME]
    jianbao scores show --period 2024-06 [--class 街道] [--json]
    jianbao scores compute --rules RULES.json --facts FACTS.json --period 2024-06 [--json]

`compute` needs no database: the office checks a rule change on last year's facts first.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jianbao.cli import CommandError, setup_django

NAME = "scores"
HELP = "Scoring (考核): recompute the ledger, show a period's totals, or compute from JSON files."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """recompute / show / compute and their options."""
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    recompute = sub.add_parser("recompute", help="recompute and replace the stored ledger")
    recompute.add_argument("--from", dest="start", help="first day (default: 1 January)")
    recompute.add_argument("--to", dest="end", help="last day (default: today)")
    recompute.add_argument("--user", help="record this user as acting (default: the system)")
    show = sub.add_parser("show", help="totals per unit for a period, ranked per unit class")
    show.add_argument("--period", required=True, help="2024, 2024-Q2, 2024-06 or A..B")
    show.add_argument("--class", dest="unit_class", help="only this unit class, e.g. 街道")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    compute = sub.add_parser("compute", help="run the pure engine on JSON files (no database)")
    compute.add_argument("--rules", required=True, type=Path, help="rule set JSON")
    compute.add_argument("--facts", required=True, type=Path, help="facts JSON")
    compute.add_argument("--period", required=True, help="2024, 2024-Q2, 2024-06 or A..B")
    compute.add_argument("--json", action="store_true", help="machine-readable output")


def _day(text: str | None, option: str, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{option}: 「{text}」不是日期（如 2024-06-01）") from error


def _period(text: str) -> Any:
    from jianbao.scoring import PeriodError, parse_period

    try:
        return parse_period(text)
    except PeriodError as error:
        raise CommandError(f"--period: {error}") from error


def _load(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandError(f"{what}: cannot read {path}: {error.strerror}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{what}: {path} is not UTF-8 JSON: {error}") from error


def _compute(args: argparse.Namespace) -> int:
    from jianbao.scoring import (
        RulesError,
        compute,
        facts_from_json,
        line_to_json,
        rules_from_json,
        totals,
    )

    period = _period(args.period)
    try:
        rules = rules_from_json(_load(args.rules, "--rules"))
        facts = facts_from_json(_load(args.facts, "--facts"))
    except RulesError as error:
        raise CommandError(str(error)) from error
    lines = compute(rules, facts, period)
    sums = totals(lines)
    if args.json:
        out = {
            "rules": rules.name,
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "totals": [{"unit_id": u, "points": f"{p:f}"} for u, p in sorted(sums.items())],
            "lines": [line_to_json(line) for line in lines],
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    names = {u.id: u.name for u in facts.units}
    for line in lines:
        note = f"（{line.share_note}）" if line.share_note else ""
        print(f"{line.date}  {names.get(line.unit_id, line.unit_id)}  {line.points:>8}  "
              f"{line.explanation}{note}")  # fmt: skip
    for unit, points in sorted(sums.items(), key=lambda item: (-item[1], item[0])):
        print(f"合计  {names.get(unit, unit)}  {points}")
    return 0


def _recompute(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from tqdm import tqdm

    from jianbao.accounts.models import User
    from jianbao.assessment.services import do_recompute

    today = timezone.localdate()
    start = _day(args.start, "--from", date(today.year, 1, 1))
    end = _day(args.end, "--to", today)
    actor = None
    if args.user:
        actor = User.objects.filter(username=args.user, is_active=True).first()
        if actor is None:
            raise CommandError(f"--user: unknown user {args.user}")
    with tqdm(total=0, unit="条", desc="重新计分", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            run = do_recompute(actor=actor, start=start, end=end, via="cli", progress=progress)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
    diff = run.diff
    print(
        f"已重新计分 {start}～{end}：{run.events_count} 条明细，"
        f"{diff['changed_units']} 个单位分数有变化"
        f"（合计 {diff['old_total']} → {diff['new_total']}）。"
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    setup_django()
    from jianbao.assessment.models import UnitClass
    from jianbao.assessment.selectors import unit_totals

    period = _period(args.period)
    unit_class = None
    if args.unit_class:
        unit_class = UnitClass.objects.filter(name=args.unit_class).first()
        if unit_class is None:
            known = "、".join(UnitClass.objects.values_list("name", flat=True))
            raise CommandError(f"--class: unknown unit class {args.unit_class} (known: {known})")
    rows = unit_totals(start=period.start, end=period.end, unit_class=unit_class)
    ranked = _ranked(rows)
    if args.json:
        json.dump(
            {"period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
             "units": ranked},
            sys.stdout, ensure_ascii=False, indent=2,
        )  # fmt: skip
        print()
        return 0
    current = None
    for row in ranked:
        if row["class"] != current:
            current = row["class"]
            print(f"【{current or '未分类'}】")
        print(f"{row['rank']:>4}  {row['unit']}  {row['points']}")
    return 0


def _ranked(rows: list[Any]) -> list[dict[str, Any]]:
    """Rank within each class; equal points share a rank."""
    result: list[dict[str, Any]] = []
    previous: tuple[str, Decimal] | None = None
    rank = position = 0
    for row in rows:
        if previous is None or previous[0] != row.class_name:
            position = 0
        position += 1
        if previous != (row.class_name, row.points):
            rank = position
        previous = (row.class_name, row.points)
        result.append({
            "rank": rank, "unit_id": row.unit_id, "unit": row.unit_name, "class": row.class_name,
            "points": f"{row.points:f}", "counts": row.counts,
        })  # fmt: skip
    return result


def run(args: argparse.Namespace) -> int:
    """Dispatch to the action."""
    if args.action == "compute":
        return _compute(args)
    try:
        if args.action == "recompute":
            return _recompute(args)
        return _show(args)
    except CommandError:
        raise
    except Exception as error:
        from django.db.utils import OperationalError, ProgrammingError

        if isinstance(error, OperationalError | ProgrammingError):
            raise CommandError(
                f"cannot read the database (run `jianbao demo` or migrate): {error}"
            ) from error
        raise
