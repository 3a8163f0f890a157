"""统计分析: submissions, adoptions, adoption rate, points and rank per unit and class; the trend by
month; adoptions by level and outlet; commissions answered on time; the most adopted items.

`statistics_for(*, user, period, unit_class_id=None)` is the one permission-scoped read: office
staff, leaders and admins only (a unit sees its own figures on the ranking and ledger pages).
All figures come from a handful of aggregate queries, never a query per unit.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.assessment.figures_cache import cached_figures, table_stamp
from jianbao.assessment.models import LedgerEvent
from jianbao.assessment.rankings import ClassRanking, class_rankings, current_roster, points_text
from jianbao.assessment.selectors import can_see_all_scores
from jianbao.bulletins.models import Adoption, AdoptionLevel
from jianbao.commissions.selectors import commission_outcomes
from jianbao.ranking import Period
from jianbao.submissions.models import Decision, Submission
from jianbao.submissions.workflow import State

ADOPTED_STATES = (State.ADOPTED, State.PUBLISHED)
# Submitted means it reached the office at some point: drafts and unit-internal states excluded.
LEVEL_ORDER = ("central", "province", "city", "district")
LEVEL_LABELS: dict[str, str] = dict(AdoptionLevel.choices)
TOP_UNITS = 20
TOP_OUTLETS = 15
TOP_ITEMS = 10
COMMISSION_STATES = {"on_time": "按时", "late": "逾期", "missed": "未报", "open": "未到期"}


def rate(part: int, whole: int) -> str:
    """「37.5%」, or 「—」 when nothing was submitted."""
    return f"{100 * part / whole:.1f}%" if whole else "—"


@dataclass
class UnitRow:
    class_name: str
    unit: str
    unit_id: int
    submitted: int = 0
    adopted_items: int = 0
    adoptions: int = 0
    points: Decimal = Decimal("0")
    rank: int = 0

    @property
    def adoption_rate(self) -> str:
        return rate(self.adopted_items, self.submitted)


@dataclass
class ClassRow:
    class_name: str
    units: int = 0
    submitted: int = 0
    adopted_items: int = 0
    adoptions: int = 0
    points: Decimal = Decimal("0")

    @property
    def adoption_rate(self) -> str:
        return rate(self.adopted_items, self.submitted)

    @property
    def average_points(self) -> str:
        return (
            points_text((self.points / self.units).quantize(Decimal("0.1"))) if self.units else "0"
        )


@dataclass
class MonthRow:
    label: str
    period: Period
    submitted: int = 0
    adoptions: int = 0
    points: Decimal = Decimal("0")


@dataclass
class Statistics:
    """Everything the statistics page, its charts and its XLSX show."""

    period: Period
    units: list[UnitRow]
    classes: list[ClassRow]
    months: list[MonthRow]
    by_level: list[tuple[str, int]]
    by_outlet: list[tuple[str, int]]
    top_items: list[dict[str, Any]]
    commissions: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def top_units(self) -> list[UnitRow]:
        """The units with the most points (what the per-unit chart shows)."""
        return sorted(self.units, key=lambda u: (-u.points, -u.adoptions, u.unit))[:TOP_UNITS]

    def chart_data(self) -> dict[str, Any]:
        """Plain data for the ECharts script (read from a json_script element)."""
        top = self.top_units
        return {
            "units": {
                "names": [u.unit for u in top],
                "points": [float(u.points) for u in top],
                "adoptions": [u.adoptions for u in top],
                "submitted": [u.submitted for u in top],
            },
            "classes": {
                "names": [c.class_name for c in self.classes],
                "submitted": [c.submitted for c in self.classes],
                "adopted": [c.adopted_items for c in self.classes],
                "points": [float(c.points) for c in self.classes],
            },
            "trend": {
                "months": [m.label for m in self.months],
                "submitted": [m.submitted for m in self.months],
                "adoptions": [m.adoptions for m in self.months],
                "points": [float(m.points) for m in self.months],
            },
            "levels": [{"name": name, "value": n} for name, n in self.by_level],
            "outlets": {
                "names": [o for o, _ in self.by_outlet],
                "values": [n for _, n in self.by_outlet],
            },
            "commissions": self.commissions,
            "items": {
                "names": [item["title"] for item in self.top_items],
                "values": [item["count"] for item in self.top_items],
            },
        }


def statistics_for(*, user: User, period: Period, unit_class_id: int | None = None) -> Statistics:
    """The statistics of a period, for those who see every unit's scores."""
    if not can_see_all_scores(user):
        raise PermissionDenied("只有信息科、领导和管理员可以查看统计分析。")
    roster = current_roster()
    tables = (LedgerEvent, Adoption, Submission, Decision)
    stamp = table_stamp(tables)
    rankings = class_rankings(
        period=period, unit_class_id=unit_class_id, roster=roster, stamp=stamp[:2]
    )
    # The aggregates are cached like the ranking (submissions change state only with a
    # Decision row); the commissions depend on the time of day and the titles are edited in
    # place, so both are read on every request.
    shared = cached_figures(
        "statistics",
        (period.key, period.start, period.end, unit_class_id),
        tables,
        lambda: _aggregates(rankings, period, unit_class_id),
        also=roster.rows,
        stamp=stamp,
    )
    return replace(
        shared,
        top_items=_top_item_titles(shared.top_items),
        commissions=_commissions(rankings, period),
    )


def _aggregates(
    rankings: list[ClassRanking], period: Period, unit_class_id: int | None
) -> Statistics:
    """Every figure but the commissions (top items without their titles yet)."""
    units = _unit_rows(rankings)
    unit_ids = None if unit_class_id is None else list(units)
    months = {m.start: MonthRow(m.label, m) for m in period.months()}
    _add_submissions(units, months, period, unit_ids)
    _add_points_by_month(months, period, unit_ids)
    by_level, by_outlet = _adoption_breakdown(months, period, unit_ids)
    classes = _class_rows(rankings, units)
    result = Statistics(
        period=period,
        units=list(units.values()),
        classes=classes,
        months=list(months.values()),
        by_level=by_level,
        by_outlet=by_outlet,
        top_items=_top_items(period, unit_ids),
    )
    result.totals = {
        "units": len(units),
        "submitted": sum(c.submitted for c in classes),
        "adopted_items": sum(c.adopted_items for c in classes),
        "adoptions": sum(c.adoptions for c in classes),
        "rate": rate(sum(c.adopted_items for c in classes), sum(c.submitted for c in classes)),
        "points": points_text(sum((c.points for c in classes), Decimal("0"))),
    }
    return result


def _unit_rows(rankings: list[ClassRanking]) -> dict[int, UnitRow]:
    rows = {}
    for ranking in rankings:
        for line in ranking.lines:
            s = line.standing
            rows[s.unit_id] = UnitRow(
                class_name=ranking.class_name,
                unit=s.name,
                unit_id=s.unit_id,
                adoptions=s.adopted,
                points=s.points,
                rank=line.rank,
            )
    return rows


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of a day in the current time zone (submissions carry aware datetimes)."""
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


def _add_submissions(
    units: dict[int, UnitRow],
    months: dict[datetime.date, MonthRow],
    period: Period,
    unit_ids: list[int] | None,
) -> None:
    """Items that reached the office in the period, per unit and per month, and how many were
    adopted (adopted or published now); both read covering indexes (migration 0004)."""
    rows = Submission.objects.all()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    in_period = rows.filter(
        submitted_at__gte=_day_start(period.start),
        submitted_at__lt=_day_start(period.end + datetime.timedelta(days=1)),
    )
    grouped = (
        in_period.values_list("unit_id")
        .annotate(n=Count("pk"), adopted=Count("pk", filter=Q(state__in=ADOPTED_STATES)))
        .order_by()
    )
    for unit_id, n, adopted in grouped:
        if (unit := units.get(unit_id)) is not None:
            unit.submitted += n
            unit.adopted_items += adopted
    for month in months.values():
        month.submitted = rows.filter(
            submitted_at__gte=_day_start(month.period.start),
            submitted_at__lt=_day_start(month.period.end + datetime.timedelta(days=1)),
        ).count()


def _add_points_by_month(
    months: dict[datetime.date, MonthRow], period: Period, unit_ids: list[int] | None
) -> None:
    """Points per month: one range sum each over the covering (date, unit, points) index."""
    rows = LedgerEvent.objects.all()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    for month in months.values():
        span = rows.filter(date__gte=month.period.start, date__lte=month.period.end)
        month.points += span.aggregate(s=Sum("points"))["s"] or Decimal("0")


def _adoption_breakdown(
    months: dict[datetime.date, MonthRow], period: Period, unit_ids: list[int] | None
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Adoptions per month (into `months`), per level and per outlet (the busiest first)."""
    rows = Adoption.objects.all()
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    for month in months.values():
        month.adoptions = rows.filter(
            date__gte=month.period.start, date__lte=month.period.end
        ).count()
    levels: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    grouped = (
        rows.filter(date__gte=period.start, date__lte=period.end)
        .values_list("level", "outlet")
        .annotate(n=Count("*"))  # COUNT(*): no NULL test per row
        .order_by()
    )
    for level, outlet, n in grouped:
        levels[level] += n
        outlets[outlet] += n
    by_level = [(LEVEL_LABELS[level], levels[level]) for level in LEVEL_ORDER if levels[level]]
    by_outlet = sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_OUTLETS]
    return by_level, by_outlet


def _class_rows(rankings: list[ClassRanking], units: dict[int, UnitRow]) -> list[ClassRow]:
    rows = []
    for ranking in rankings:
        row = ClassRow(ranking.class_name)
        for line in ranking.lines:
            unit = units[line.standing.unit_id]
            row.units += 1
            row.submitted += unit.submitted
            row.adopted_items += unit.adopted_items
            row.adoptions += unit.adoptions
            row.points += unit.points
        rows.append(row)
    return rows


def _top_items(period: Period, unit_ids: list[int] | None) -> list[dict[str, Any]]:
    """The submissions adopted most often in the period (any outlet, any level), as
    `{"submission_id", "count"}`: `_top_item_titles` adds what is edited in place."""
    rows = Adoption.objects.filter(
        date__gte=period.start, date__lte=period.end, submission__isnull=False
    )
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    top = (
        rows.values_list("submission_id")
        .annotate(n=Count("*"))  # COUNT(*): no NULL test per row
        .order_by("-n", "submission_id")[:TOP_ITEMS]
    )
    return [{"submission_id": pk, "count": n} for pk, n in top]


def _top_item_titles(top: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The top items with their current title and unit name."""
    titles = {
        pk: (title, unit)
        for pk, title, unit in Submission.objects.filter(
            pk__in=[item["submission_id"] for item in top]
        ).values_list("pk", "title", "unit__name")
    }
    return [
        {
            "submission_id": pk,
            "title": titles[pk][0] or "（无标题）",
            "unit": titles[pk][1],
            "count": item["count"],
        }
        for item in top
        if (pk := item["submission_id"]) in titles
    ]


def _commissions(rankings: list[ClassRanking], period: Period) -> list[dict[str, Any]]:
    """Commission answers per class: on time, late, missed, still open."""
    class_of = {
        line.standing.unit_id: ranking.class_name for ranking in rankings for line in ranking.lines
    }
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in commission_outcomes(start=period.start, end=period.end):
        if outcome.unit_id in class_of:
            counts[class_of[outcome.unit_id]][outcome.state] += 1
    rows = []
    for ranking in rankings:
        c = counts.get(ranking.class_name, Counter())
        answered = c["on_time"] + c["late"] + c["missed"]
        rows.append(
            {
                "class": ranking.class_name,
                **{state: c[state] for state in COMMISSION_STATES},
                "on_time_rate": rate(c["on_time"], answered),
            }
        )
    return rows
