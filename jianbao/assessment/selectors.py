"""Permission-scoped reads of the ledger, rule sets, facts and objections.

Interfaces for other code (helper `rankings` builds on them):
- `ledger_for_unit(*, user, unit, start, end)`: the ledger lines of one unit in a date range; a
  unit's own people see only their unit, office staff (编辑/签发人), leaders and admins see all;
  anyone else gets `PermissionDenied`.
- `unit_totals(*, start, end, unit_class=None) -> list[UnitTotal]`: points and counts by kind per
  unit (every active unit, zero when it has no line), ordered by class order, then points
  descending, then unit order and name. Not permission-scoped: callers check `can_see_all_scores`.
- `unit_class_map()`: unit id → its `UnitClass` (explicit membership, else its kind's class).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum

from jianbao.accounts.models import Unit, User
from jianbao.assessment.models import (
    LedgerEvent,
    Objection,
    RuleSetVersion,
    ScoringFreeze,
    UnitClass,
    UnitClassMembership,
)

CENT = Decimal("0.01")


def can_see_all_scores(user: User) -> bool:
    """Office staff, leaders and admins see every unit's scores."""
    return bool(
        user.is_authenticated and (user.is_office_staff or user.is_leader or user.is_superuser)
    )


def can_manage_scoring(user: User) -> bool:
    """Editors, chiefs and admins record facts, recompute and answer objections."""
    return bool(user.is_authenticated and (user.is_office_staff or user.is_superuser))


def can_edit_rules(user: User) -> bool:
    """Rule sets are edited by the chief editor (签发人) or an admin."""
    return bool(user.is_authenticated and (user.is_chief or user.is_superuser))


def can_see_unit_scores(user: User, unit: Unit) -> bool:
    """A unit's own people see its ledger; those who see all see every unit's."""
    if can_see_all_scores(user):
        return True
    return bool(user.is_authenticated and user.unit_id is not None and user.unit_id == unit.pk)


def unit_class_map() -> dict[int, UnitClass]:
    """Every unit's class: its explicit membership, else the class of its kind (else 「其他」)."""
    return classes_of_units(
        list(UnitClass.objects.all()),
        dict(UnitClassMembership.objects.values_list("unit_id", "unit_class_id")),
        list(Unit.objects.values_list("pk", "kind")),
    )


def classes_of_units(
    classes: list[UnitClass], explicit: dict[int, int], unit_kinds: list[tuple[int, str]]
) -> dict[int, UnitClass]:
    """`unit_class_map` from rows already read: classes, memberships, (unit id, kind)."""
    by_kind = {c.default_for_kind: c for c in classes if c.default_for_kind}
    by_id = {c.pk: c for c in classes}
    fallback = by_kind.get("other") or (classes[-1] if classes else None)
    result: dict[int, UnitClass] = {}
    for unit_id, kind in unit_kinds:
        chosen = by_id.get(explicit.get(unit_id, -1)) or by_kind.get(kind) or fallback
        if chosen is not None:
            result[unit_id] = chosen
    return result


def ledger_for_unit(*, user: User, unit: Unit, start: date, end: date) -> QuerySet[LedgerEvent]:
    """The ledger lines of one unit between two dates (inclusive), oldest first."""
    if not can_see_unit_scores(user, unit):
        raise PermissionDenied("无权查看该单位的计分明细。")
    return (
        LedgerEvent.objects.filter(unit=unit, date__gte=start, date__lte=end)
        .select_related("rule_set_version")
        .order_by("date", "kind", "pk")
    )


def ledger_lines(
    *, user: User, start: date, end: date, unit: Unit | None = None, kind: str = ""
) -> QuerySet[LedgerEvent]:
    """Ledger lines in a range, scoped: a unit's people get their unit's lines only."""
    lines = LedgerEvent.objects.filter(date__gte=start, date__lte=end)
    if not can_see_all_scores(user):
        if user.unit_id is None:
            raise PermissionDenied("无权查看计分明细。")
        lines = lines.filter(unit_id=user.unit_id)
    if unit is not None:
        lines = lines.filter(unit=unit)
    if kind:
        lines = lines.filter(kind=kind)
    return lines.select_related("unit").order_by("date", "unit__order", "unit_id", "kind", "pk")


@dataclass
class UnitTotal:
    """A unit's points in a range, with the number of ledger lines and points by kind."""

    unit_id: int
    unit_name: str
    unit_order: int
    class_id: int | None
    class_name: str
    class_order: int
    points: Decimal = Decimal("0.00")
    counts: dict[str, int] = field(default_factory=dict)
    points_by_kind: dict[str, Decimal] = field(default_factory=dict)


def unit_totals(*, start: date, end: date, unit_class: UnitClass | None = None) -> list[UnitTotal]:
    """Points per active unit in a range (zero for units without lines), ranked within class."""
    classes = unit_class_map()
    totals: dict[int, UnitTotal] = {}
    for unit_id, name, short, order in Unit.objects.filter(active=True).values_list(
        "pk", "name", "short_name", "order"
    ):
        cls = classes.get(unit_id)
        if unit_class is not None and (cls is None or cls.pk != unit_class.pk):
            continue
        totals[unit_id] = UnitTotal(
            unit_id=unit_id,
            unit_name=short or name,
            unit_order=order,
            class_id=cls.pk if cls else None,
            class_name=cls.name if cls else "",
            class_order=cls.order if cls else 0,
        )
    rows = (
        (
            LedgerEvent.objects.filter(date__gte=start, date__lte=end, unit_id__in=list(totals))
            .values("unit_id", "kind")
            .annotate(points=Sum("points"), count=Count("pk"))
            .order_by()
        )
        if totals
        else []
    )
    for row in rows:
        total = totals[row["unit_id"]]
        total.points = (total.points + (row["points"] or Decimal("0"))).quantize(CENT)
        total.counts[row["kind"]] = row["count"]
        total.points_by_kind[row["kind"]] = (row["points"] or Decimal("0")).quantize(CENT)
    return sorted(
        totals.values(),
        key=lambda t: (t.class_order, t.class_name, -t.points, t.unit_order, t.unit_name),
    )


def rule_set_versions() -> QuerySet[RuleSetVersion]:
    """Every rule-set version, newest effective date first."""
    return RuleSetVersion.objects.select_related("created_by").order_by("-effective_from")


def rule_set_in_force(on: date) -> RuleSetVersion | None:
    """The version in force on a day: the latest effective on or before it."""
    return RuleSetVersion.objects.filter(effective_from__lte=on).order_by("-effective_from").first()


def freezes_overlapping(start: date, end: date) -> QuerySet[ScoringFreeze]:
    """Frozen ranges that overlap [start, end]."""
    return ScoringFreeze.objects.filter(start__lte=end, end__gte=start).order_by("start")


def objections_for(*, user: User) -> QuerySet[Objection]:
    """Objections a user may see: office staff all, a unit's people their unit's."""
    objections = Objection.objects.select_related("unit", "created_by", "answered_by")
    if can_manage_scoring(user) or can_see_all_scores(user):
        return objections
    if user.unit_id is None:
        raise PermissionDenied("无权查看异议。")
    return objections.filter(unit_id=user.unit_id)


def points_of_submission(*, user: User, submission: Any) -> list[LedgerEvent]:
    """The ledger lines an item earned (its adoptions and leaders' instructions), as the
    reader may see them: a unit's people get their own unit's lines only."""
    adoption_ids = [str(pk) for pk in submission.adoptions.values_list("pk", flat=True)]
    instruction_ids = [str(pk) for pk in submission.instructions.values_list("pk", flat=True)]
    if not adoption_ids and not instruction_ids:
        return []
    lines = LedgerEvent.objects.filter(
        Q(fact_type="adoption", fact_id__in=adoption_ids)
        | Q(fact_type="instruction", fact_id__in=instruction_ids)
    )
    if not can_see_all_scores(user):
        lines = lines.filter(unit_id=user.unit_id) if user.unit_id else lines.none()
    return list(lines.select_related("unit").order_by("date", "pk"))
