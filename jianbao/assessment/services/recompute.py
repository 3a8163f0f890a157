"""Recompute the ledger: preview the difference per unit, then confirm (replace) in one transaction.

Each calendar month is scored by the rule-set version in force on its first day; consecutive
months under the same version are computed together. Ranges a published 通报 froze
(`ScoringFreeze`) are refused.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Field, Sum
from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.accounts.services import record_audit_event
from jianbao.assessment.facts import collect_facts
from jianbao.assessment.models import (
    LedgerEvent,
    Objection,
    RecomputeRun,
    RuleSetVersion,
    RunState,
    ScoringFreeze,
    UnitClass,
)
from jianbao.assessment.selectors import freezes_overlapping
from jianbao.scoring import LedgerLine, Period, compute, rules_from_json
from jianbao.scoring.model import Facts
from jianbao.scoring.periods import months_of

BATCH = 5000
Progress = Callable[[int, int], None]


@dataclass
class Segment:
    """Consecutive months scored by one rule-set version (None: no version in force)."""

    period: Period
    version: RuleSetVersion | None


def segments(start: date, end: date) -> list[Segment]:
    """The range cut into runs of months under one version each."""
    versions = list(RuleSetVersion.objects.order_by("effective_from"))
    result: list[Segment] = []
    for month in months_of(Period(start, end)):
        in_force = None
        for version in versions:
            if version.effective_from <= month.start:
                in_force = version
        if result and result[-1].version == in_force:
            result[-1].period = Period(result[-1].period.start, month.end)
        else:
            result.append(Segment(month, in_force))
    return result


def _check_range(start: date, end: date) -> None:
    if end < start:
        raise ValidationError("结束日期不能早于开始日期。")
    if (end - start).days > 366 * 5:
        raise ValidationError("一次最多重新计分五年。")
    frozen = freezes_overlapping(start, end).first()
    if frozen is not None:
        raise ValidationError(
            f"{frozen.start:%Y-%m-%d}～{frozen.end:%Y-%m-%d} 的计分已随通报冻结"
            f"（{frozen.reason}），不能重新计分；更正请通过异议处理或发布新一期通报。"
        )


def compute_range(
    start: date, end: date, *, progress: Progress | None = None
) -> tuple[list[tuple[LedgerLine, RuleSetVersion]], list[Segment]]:
    """The ledger lines of [start, end] from the current facts, each with its rule version."""
    parts = segments(start, end)
    facts: Facts = collect_facts(start=start, end=end)
    lines: list[tuple[LedgerLine, RuleSetVersion]] = []
    for done, part in enumerate(parts, start=1):
        if part.version is not None:
            rules = rules_from_json(part.version.rules)
            lines.extend((line, part.version) for line in compute(rules, facts, part.period))
        if progress:
            progress(done, len(parts))
    return lines, parts


def _diff(
    start: date, end: date, lines: list[tuple[LedgerLine, RuleSetVersion]], parts: list[Segment]
) -> dict[str, Any]:
    old: dict[int, Decimal] = {
        unit: points or Decimal("0")
        for unit, points in LedgerEvent.objects.filter(date__gte=start, date__lte=end)
        .values_list("unit_id")
        .annotate(points=Sum("points"))
        .values_list("unit_id", "points")
        .order_by()
    }
    new: dict[int, Decimal] = defaultdict(Decimal)
    for line, _ in lines:
        new[line.unit_id] += line.points
    names = dict(Unit.objects.filter(pk__in=set(old) | set(new)).values_list("pk", "name"))
    changed = [
        {
            "unit_id": unit,
            "unit": names.get(unit, str(unit)),
            "old": f"{old.get(unit, Decimal('0')):f}",
            "new": f"{new.get(unit, Decimal('0')):f}",
            "delta": f"{new.get(unit, Decimal('0')) - old.get(unit, Decimal('0')):f}",
        }
        for unit in sorted(set(old) | set(new), key=lambda u: names.get(u, ""))
        if old.get(unit, Decimal("0")) != new.get(unit, Decimal("0"))
    ]
    return {
        "old_total": f"{sum(old.values(), Decimal('0')):f}",
        "new_total": f"{sum(new.values(), Decimal('0')):f}",
        "lines": len(lines),
        "changed_units": len(changed),
        "units": changed[:500],
        "segments": [
            {
                "start": p.period.start.isoformat(),
                "end": p.period.end.isoformat(),
                "version": p.version.name if p.version else None,
                "version_id": p.version.pk if p.version else None,
            }
            for p in parts
        ],
    }


@transaction.atomic
def do_preview_recompute(
    *, actor: User | None, start: date, end: date, via: str = "web"
) -> RecomputeRun:
    """Compute the ledger of a range without saving it; the run holds the difference per unit."""
    _check_range(start, end)
    lines, parts = compute_range(start, end)
    run = RecomputeRun.objects.create(
        start=start,
        end=end,
        diff=_diff(start, end, lines, parts),
        events_count=len(lines),
        created_by=_person(actor),
        created_at=timezone.now(),
        via=via,
    )
    record_audit_event(
        action="scores.recompute_preview",
        actor=actor,
        object_type="recompute_run",
        object_id=run.pk,
        detail={"start": start.isoformat(), "end": end.isoformat(), "lines": len(lines)},
    )
    return run


@transaction.atomic
def do_confirm_recompute(
    *, actor: User | None, run: RecomputeRun, progress: Progress | None = None
) -> RecomputeRun:
    """Replace the stored ledger of the run's range with the figures computed now."""
    run = RecomputeRun.objects.select_for_update().get(pk=run.pk)
    if run.state != RunState.PREVIEWED:
        raise ValidationError("这次重新计分已经确认过了。")
    _check_range(run.start, run.end)
    lines, parts = compute_range(run.start, run.end)
    run.diff = _diff(run.start, run.end, lines, parts)
    _replace_ledger(run, lines, progress)
    run.state = RunState.CONFIRMED
    run.events_count = len(lines)
    run.confirmed_by = _person(actor)
    run.confirmed_at = timezone.now()
    run.save(update_fields=["state", "diff", "events_count", "confirmed_by", "confirmed_at"])
    _audit_confirm(actor, run)
    return run


def _audit_confirm(actor: User | None, run: RecomputeRun) -> None:
    """The audit event of a replaced ledger."""
    record_audit_event(
        action="scores.recompute_confirm",
        actor=actor,
        object_type="recompute_run",
        object_id=run.pk,
        detail={
            "start": run.start.isoformat(),
            "end": run.end.isoformat(),
            "lines": run.events_count,
            "changed_units": run.diff["changed_units"],
            "old_total": run.diff["old_total"],
            "new_total": run.diff["new_total"],
            "via": run.via,
        },
    )


@transaction.atomic
def do_recompute(
    *,
    actor: User | None,
    start: date,
    end: date,
    via: str = "cli",
    progress: Progress | None = None,
) -> RecomputeRun:
    """Compute and replace at once (the CLI and the demo data): one computation, one run
    recorded as confirmed with its difference, audited."""
    _check_range(start, end)
    lines, parts = compute_range(start, end)
    now = timezone.now()
    run = RecomputeRun.objects.create(
        start=start,
        end=end,
        diff=_diff(start, end, lines, parts),
        events_count=len(lines),
        created_by=_person(actor),
        created_at=now,
        via=via,
        state=RunState.CONFIRMED,
        confirmed_by=_person(actor),
        confirmed_at=now,
    )
    _replace_ledger(run, lines, progress)
    _audit_confirm(actor, run)
    return run


def _replace_ledger(
    run: RecomputeRun, lines: list[tuple[LedgerLine, RuleSetVersion]], progress: Progress | None
) -> None:
    replaced = LedgerEvent.objects.filter(date__gte=run.start, date__lte=run.end)
    # Objections keep their text summary; their links are set again below. With the references
    # cleared first, the lines go in one DELETE instead of being collected row by row.
    Objection.objects.filter(event__in=replaced).update(event=None)
    Objection.objects.filter(correction_event__in=replaced).update(correction_event=None)
    replaced._raw_delete(replaced.db)
    classes = dict(UnitClass.objects.values_list("name", "pk"))
    known_units = set(Unit.objects.values_list("pk", flat=True))
    now = timezone.now()
    rows = [
        (
            line.unit_id,
            classes.get(line.unit_class),
            line.date,
            line.period_start,
            line.period_end,
            line.kind,
            line.points,
            line.explanation[:300],
            line.share_note[:100],
            line.rule_ref[:200],
            line.fact_type,
            line.fact_id[:50],
            version.pk,
            run.pk,
            now,
        )
        for line, version in lines
        if line.unit_id in known_units
    ]
    _insert_events(rows, progress)
    if any(row[5] == "correction" for row in rows):
        _relink_corrections(run)


_COLUMNS = (
    "unit_id",
    "unit_class_id",
    "date",
    "period_start",
    "period_end",
    "kind",
    "points",
    "explanation",
    "share_note",
    "rule_ref",
    "fact_type",
    "fact_id",
    "rule_set_version_id",
    "run_id",
    "computed_at",
)


def _insert_events(rows: list[tuple[Any, ...]], progress: Progress | None) -> None:
    """Insert ledger lines: COPY on PostgreSQL, else executemany (`bulk_create` spends ~0.5 ms
    a row preparing values field by field, most of a year's recompute at province scale). The
    few distinct dates, figures and the timestamp are prepared once each by their fields."""
    table = connection.ops.quote_name(LedgerEvent._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    if connection.vendor == "postgresql":
        _copy_events(table, columns, rows, progress)
        return
    fields = [cast(Field, LedgerEvent._meta.get_field(name)) for name in _COLUMNS]
    prepared: list[dict[Any, Any]] = [{} for _ in _COLUMNS]
    convert = [i for i, f in enumerate(fields) if f.get_internal_type() in _CONVERTED]

    def prepare(row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for i in convert:
            cache = prepared[i]
            if values[i] not in cache:
                cache[values[i]] = fields[i].get_db_prep_save(values[i], connection)
            values[i] = cache[values[i]]
        return tuple(values)

    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), BATCH):
            cursor.executemany(sql, [prepare(row) for row in rows[offset : offset + BATCH]])
            if progress:
                progress(min(offset + BATCH, len(rows)), len(rows))


def _copy_events(
    table: str, columns: str, rows: list[tuple[Any, ...]], progress: Progress | None
) -> None:
    """PostgreSQL: the lines through one COPY (psycopg adapts dates, Decimals and the aware
    timestamp itself) instead of an INSERT statement per line."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for offset in range(0, len(rows), BATCH):
                for row in rows[offset : offset + BATCH]:
                    copy.write_row(row)
                if progress:
                    progress(min(offset + BATCH, len(rows)), len(rows))


_CONVERTED = {"DateField", "DateTimeField", "DecimalField"}


def _relink_corrections(run: RecomputeRun) -> None:
    """Accepted objections point at their (recreated) correction lines again."""
    for pk, fact_id in LedgerEvent.objects.filter(
        run=run, kind="correction", fact_type="objection"
    ).values_list("pk", "fact_id"):
        Objection.objects.filter(pk=int(fact_id)).update(correction_event_id=pk)


def _person(actor: User | None) -> User | None:
    return actor if actor is not None and actor.pk else None


@transaction.atomic
def do_freeze_period(*, actor: User | None, start: date, end: date, reason: str) -> ScoringFreeze:
    """Freeze a range's figures (a published 通报): recompute refuses it from now on."""
    if end < start:
        raise ValidationError("结束日期不能早于开始日期。")
    freeze = ScoringFreeze.objects.create(
        start=start,
        end=end,
        reason=reason.strip()[:200] or "已发布通报",
        created_by=_person(actor),
        created_at=timezone.now(),
    )
    record_audit_event(
        action="scores.period_frozen",
        actor=actor,
        object_type="scoring_freeze",
        object_id=freeze.pk,
        detail={"start": start.isoformat(), "end": end.isoformat(), "reason": freeze.reason},
    )
    return freeze
