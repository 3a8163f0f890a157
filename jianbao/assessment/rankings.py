"""Rankings for a period, per unit class; which 通报 a user may read; whether a period is frozen.

Interfaces for other code:
- `is_period_frozen(*, start, end) -> bool`: a published 通报 froze figures in that range
  (recompute must refuse it).
- `class_rankings(*, period, unit_class_id=None)`: every active unit's points and adoptions by
  level, ranked within its class by the tie rule of `jianbao.ranking` (not permission-scoped).
- `rankings_for(*, user, period, unit_class_id=None)`: the same, scoped: office staff, leaders
  and admins see every line; a unit's people see only their own unit's rank line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, QuerySet, Sum

from jianbao.accounts.models import Unit, User
from jianbao.assessment.figures_cache import TableStamp, cached_figures
from jianbao.assessment.models import (
    LedgerEvent,
    ReportPublication,
    UnitClass,
    UnitClassMembership,
)
from jianbao.assessment.selectors import (
    can_manage_scoring,
    can_see_all_scores,
    classes_of_units,
    freezes_overlapping,
)
from jianbao.bulletins.models import Adoption, AdoptionLevel
from jianbao.ranking import TIE_RULE, Period, RankedLine, Standing, rank

__all__ = ["TIE_RULE"]
LEVEL_LABELS: dict[str, str] = dict(AdoptionLevel.choices)
ZERO = Decimal("0")


@dataclass
class ClassRanking:
    """The ranked lines of one unit class, and the units with no adoption in the period."""

    class_id: int | None
    class_name: str
    lines: list[RankedLine] = field(default_factory=list)

    @property
    def without_adoption(self) -> list[str]:
        """Units adopted nowhere in the period, in unit order (a real 通报 names them)."""
        return [line.standing.name for line in self.lines if line.standing.adopted == 0]

    def to_json(self) -> dict[str, Any]:
        """The frozen form kept with a published 通报 (Decimal points as text)."""
        return {
            "class_id": self.class_id,
            "class": self.class_name,
            "lines": [
                {
                    "rank": line.rank,
                    "tied": line.tied,
                    "unit_id": line.standing.unit_id,
                    "unit": line.standing.name,
                    "points": points_text(line.standing.points),
                    "by_level": line.standing.by_level,
                    "adopted": line.standing.adopted,
                }
                for line in self.lines
            ],
            "without_adoption": self.without_adoption,
        }


def points_text(points: Decimal) -> str:
    """Points as printed: 「37」, 「12.5」, 「-3」 (no trailing zeros, never exponent form)."""
    text = f"{points.normalize():f}"
    return "0" if text in ("-0", "0") else text


def is_period_frozen(*, start: datetime.date, end: datetime.date) -> bool:
    """True when a published 通报 froze any day of [start, end]."""
    return freezes_overlapping(start, end).exists()


def adoptions_by_level(*, start: datetime.date, end: datetime.date) -> dict[int, dict[str, int]]:
    """Adoption records per unit and level in the period (one record per credited unit)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Adoption.objects.filter(date__gte=start, date__lte=end)
        .values_list("unit_id", "level")
        .annotate(n=Count("*"))  # COUNT(*): no NULL test per row
        .order_by()
    )
    for unit_id, level, n in rows:
        counts.setdefault(unit_id, {})[level] = n
    return counts


def points_by_unit(*, start: datetime.date, end: datetime.date) -> dict[int, Decimal]:
    """Ledger points per unit in the period (one aggregate over the date index)."""
    rows = (
        LedgerEvent.objects.filter(date__gte=start, date__lte=end)
        .values_list("unit_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    return {unit_id: total or Decimal("0") for unit_id, total in rows}


@dataclass(frozen=True)
class Roster:
    """The active units (id, name, short name, order) and every unit's class, read once per
    request, with the rows they came from (units and classes are edited in place, so a cached
    ranking is only served while these rows are equal)."""

    units: list[tuple[int, str, str, int]]
    class_of: dict[int, UnitClass]
    rows: tuple[Any, ...]


def current_roster() -> Roster:
    """The units and their classes now (one read of each table; no figures)."""
    classes = list(UnitClass.objects.all())  # ordered as `unit_class_map` reads them
    explicit = tuple(
        UnitClassMembership.objects.order_by("unit_id").values_list("unit_id", "unit_class_id")
    )
    with connection.cursor() as cursor:  # 3,000 rows: no model converters
        cursor.execute(
            "SELECT id, name, short_name, " + connection.ops.quote_name("order") + ", kind, active"
            f" FROM {Unit._meta.db_table} ORDER BY id"
        )
        units_read = tuple(cursor.fetchall())
    class_of = classes_of_units(classes, dict(explicit), [(row[0], row[4]) for row in units_read])
    rows = (
        tuple((c.pk, c.name, c.order, c.default_for_kind) for c in classes),
        explicit,
        units_read,
    )
    units = [
        (pk, name, short, order) for pk, name, short, order, _k, active in units_read if active
    ]
    return Roster(units, class_of, rows)


def class_rankings(
    *,
    period: Period,
    unit_class_id: int | None = None,
    roster: Roster | None = None,
    stamp: TableStamp | None = None,
) -> list[ClassRanking]:
    """Every active unit ranked within its class for the period (classes in their order).

    Cached per period and class while the ledger, the adoptions and the roster are unchanged
    (`figures_cache`; the lists are shared, do not change them). A caller that has read the
    roster or the stamp of (ledger, adoptions) passes them."""
    roster = roster or current_roster()
    return cached_figures(
        "rankings",
        (period.key, period.start, period.end, unit_class_id),
        (LedgerEvent, Adoption),
        lambda: _class_rankings(period, unit_class_id, roster),
        also=roster.rows,
        stamp=stamp,
    )


def _class_rankings(
    period: Period, unit_class_id: int | None, roster: Roster
) -> list[ClassRanking]:
    class_of = roster.class_of
    points = points_by_unit(start=period.start, end=period.end)
    levels = adoptions_by_level(start=period.start, end=period.end)
    grouped: dict[int | None, list[Standing]] = {}
    classes: dict[int | None, UnitClass | None] = {}
    for unit_id, name, short, order in roster.units:
        cls = class_of.get(unit_id)
        key = cls.pk if cls else None
        if unit_class_id is not None and key != unit_class_id:
            continue
        classes[key] = cls
        grouped.setdefault(key, []).append(
            Standing(
                unit_id, short or name, points.get(unit_id, ZERO), levels.get(unit_id, {}), order
            )
        )
    ordered = sorted(classes.items(), key=lambda kv: (kv[1] is None, *_class_order(kv[1])))
    return [
        ClassRanking(key, cls.name if cls else "未分类", rank(grouped[key])) for key, cls in ordered
    ]


def _class_order(cls: UnitClass | None) -> tuple[int, str]:
    return (cls.order, cls.name) if cls else (0, "")


def rankings_for(
    *, user: User, period: Period, unit_class_id: int | None = None
) -> list[ClassRanking]:
    """Rankings as this user may see them: all lines, or only the user's own unit's line."""
    if can_see_all_scores(user):
        return class_rankings(period=period, unit_class_id=unit_class_id)
    if not (user.is_authenticated and user.unit_id):
        raise PermissionDenied("无权查看排名。")
    own = []
    for ranking in class_rankings(period=period):
        lines = [line for line in ranking.lines if line.standing.unit_id == user.unit_id]
        if lines:
            own.append(ClassRanking(ranking.class_id, ranking.class_name, lines))
    return own


def can_read_rankings(user: User) -> bool:
    """Office staff, leaders, admins and anyone belonging to a unit."""
    return bool(user.is_authenticated and (can_see_all_scores(user) or user.unit_id))


def can_publish_reports(user: User) -> bool:
    """Publishing a 通报 freezes figures: the chief (签发人) or an admin."""
    return bool(user.is_authenticated and (user.is_chief or user.is_superuser))


def can_prepare_reports(user: User) -> bool:
    """Editors, chiefs and admins download draft exports of the current figures."""
    return can_manage_scoring(user)


def publications_visible_to(user: User) -> QuerySet[ReportPublication]:
    """Published 通报 are read by everyone who may read rankings (units included)."""
    if not can_read_rankings(user):
        raise PermissionDenied("无权查看通报。")
    return ReportPublication.objects.select_related("series", "unit_class", "published_by")


def latest_editions(user: User) -> list[ReportPublication]:
    """The newest edition of each published 通报, newest period first."""
    newest: dict[tuple[int, int, int], ReportPublication] = {}
    for publication in publications_visible_to(user).prefetch_related("files"):
        key = (publication.series_id, publication.year, publication.number)
        if key not in newest or publication.edition > newest[key].edition:
            newest[key] = publication
    return list(newest.values())
