"""Reads of units, users and the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from jianbao.accounts.models import AuditEvent, Unit, UnitAlias, User


def active_units() -> QuerySet[Unit]:
    """Units that can report, in their display order."""
    return Unit.objects.filter(active=True).order_by("order", "name")


def resolve_unit(name: str) -> Unit | None:
    """The unit called `name` by its name, short name or an alias."""
    name = name.strip()
    if not name:
        return None
    unit = Unit.objects.filter(name=name).first() or Unit.objects.filter(short_name=name).first()
    if unit is not None:
        return unit
    alias = UnitAlias.objects.select_related("unit").filter(name=name).first()
    return alias.unit if alias is not None else None


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """The audit trail, for auditors and admins only."""
    if not (user.is_authenticated and (user.is_auditor or user.is_superuser)):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor")
