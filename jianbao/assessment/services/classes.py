"""Unit classes (考核分类): units ranked separately; a unit belongs to its kind's class unless
assigned to another one here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from jianbao.accounts.models import Unit, User
from jianbao.accounts.services import record_audit_event
from jianbao.assessment.models import UnitClass, UnitClassMembership


@transaction.atomic
def do_create_unit_class(*, actor: User, name: str, order: int = 100) -> UnitClass:
    """Add a class that units can be assigned to (its ranking is separate from the others)."""
    name = name.strip()
    if not name or len(name) > 50:
        raise ValidationError("分类名称不能为空，且不超过 50 个字。")
    if UnitClass.objects.filter(name=name).exists():
        raise ValidationError(f"分类「{name}」已存在。")
    unit_class = UnitClass.objects.create(name=name, order=order)
    record_audit_event(
        action="scores.class_created",
        actor=actor,
        object_type="unit_class",
        object_id=unit_class.pk,
        detail={"name": name},
    )
    return unit_class


@transaction.atomic
def do_assign_unit_class(*, actor: User, unit: Unit, unit_class: UnitClass | None) -> None:
    """Put a unit in a class, or back in its kind's default class when `unit_class` is None."""
    before = UnitClassMembership.objects.filter(unit=unit).values_list(
        "unit_class__name", flat=True
    )
    previous = before.first() or ""
    if unit_class is None:
        UnitClassMembership.objects.filter(unit=unit).delete()
    else:
        UnitClassMembership.objects.update_or_create(unit=unit, defaults={"unit_class": unit_class})
    record_audit_event(
        action="scores.class_assigned",
        actor=actor,
        object_type="unit",
        object_id=unit.pk,
        detail={
            "unit": unit.name,
            "from": previous or "按单位类别",
            "to": unit_class.name if unit_class else "按单位类别",
        },
    )
