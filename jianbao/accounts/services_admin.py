"""Writes made in `/admin/`: users and units saved there pass the same rules and are audited.

`ModelAdmin.save_model` calls these instead of `obj.save()`, so a role, unit, superuser or status
change made by the system administrator leaves the same trail as one made by a service.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from jianbao.accounts.duties import role_conflict
from jianbao.accounts.models import Role, Unit, User
from jianbao.accounts.services import ROLE_FLAGS, record_audit_event

UNIT_FIELDS = ("name", "short_name", "kind", "order", "active", "requires_approval")


def role_names(user: User) -> list[str]:
    """The roles `user` holds as role names, the admin role included."""
    names = [str(role) for role, flag in ROLE_FLAGS.items() if getattr(user, flag)]
    return [*names, str(Role.ADMIN)] if user.is_superuser else names


def role_labels(names: list[str]) -> list[str]:
    """Role names as their Chinese labels."""
    return [Role(name).label for name in names]


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "roles": role_names(user),
        "unit": user.unit.name if user.unit_id and user.unit else "",
        "superuser": user.is_superuser,
        "active": user.is_active,
        "staff": user.is_staff,
        "name": user.display_name,
    }


@transaction.atomic
def do_save_user_by_admin(*, actor: User, user: User, created: bool) -> User:
    """Save a user edited in /admin/: 三权分立 checked, every role/unit/right change audited."""
    if conflict := role_conflict(role_names(user)):
        raise ValidationError(conflict)
    previous = None if created else User.objects.select_related("unit").get(pk=user.pk)
    user.save()
    after = _snapshot(user)
    if previous is None:
        detail = {"username": user.username, **after, "roles": role_labels(after["roles"])}
        _user_event(actor, user, "user.create", detail)
        return user
    before = _snapshot(previous)
    changes = {
        "roles": "user.roles",
        "unit": "user.unit",
        "superuser": "user.superuser",
        "active": "user.active",
    }
    for key, action in changes.items():
        if before[key] != after[key]:
            old, new = before[key], after[key]
            if key == "roles":
                old, new = role_labels(old), role_labels(new)
            detail = {"username": user.username, "before": old, "after": new}
            _user_event(actor, user, action, detail)
    if before["staff"] != after["staff"] or before["name"] != after["name"]:
        _user_event(actor, user, "user.change", {"username": user.username})
    return user


def _user_event(actor: User, user: User, action: str, detail: dict[str, Any]) -> None:
    record_audit_event(
        action=action, actor=actor, object_type="user", object_id=user.pk, detail=detail
    )


@transaction.atomic
def do_save_unit_by_admin(*, actor: User, unit: Unit, created: bool) -> Unit:
    """Save a unit edited in /admin/, recording what changed."""
    previous = None if created else Unit.objects.get(pk=unit.pk)
    unit.save()
    if previous is None:
        record_audit_event(
            action="unit.create",
            actor=actor,
            object_type="unit",
            object_id=unit.pk,
            detail={"name": unit.name},
        )
        return unit
    changes = {
        field: {"before": getattr(previous, field), "after": getattr(unit, field)}
        for field in UNIT_FIELDS
        if getattr(previous, field) != getattr(unit, field)
    }
    if changes:
        record_audit_event(
            action="unit.change",
            actor=actor,
            object_type="unit",
            object_id=unit.pk,
            detail={"name": unit.name, "changes": changes},
        )
    return unit
