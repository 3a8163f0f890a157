"""Reads of units, users and the audit trail."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q, QuerySet

from jianbao.accounts.audit_chain import ChainRecord
from jianbao.accounts.models import (
    ApiToken,
    AuditChainHead,
    AuditEvent,
    Unit,
    UnitAlias,
    User,
)


def office_staff() -> QuerySet[User]:
    """The bulletin office's active people (editors and chief editors), who handle the work."""
    return User.objects.filter(Q(is_editor=True) | Q(is_chief=True), is_active=True)


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
    """The audit trail, for auditors only (三权分立: the system admin does not read it)."""
    if not (user.is_authenticated and user.is_auditor):
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor")


def chain_record(event: AuditEvent) -> ChainRecord:
    """The chain's view of an event (what its hash covers)."""
    return ChainRecord(
        sequence=event.sequence or 0,
        created_at=event.created_at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        actor_unit=event.actor_unit,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        outcome=event.outcome,
        ip_address=event.ip_address,
        detail=event.detail,
        prev_hash=event.prev_hash,
        hash=event.hash,
        pk=event.pk,
    )


def audit_chain_records() -> Iterator[ChainRecord]:
    """Every audit event in chain order, as the chain sees it (streamed, for verification)."""
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        yield chain_record(event)


def audit_chain_head() -> tuple[int, str] | None:
    """The (sequence, hash) recorded with the newest append, None when there is no head row."""
    head = AuditChainHead.objects.filter(pk=1).first()
    return (head.sequence, head.hash) if head is not None else None


def audit_event_count() -> int:
    """How many events the trail holds."""
    return AuditEvent.objects.count()


def audit_event_units() -> list[str]:
    """The unit names events were recorded under (for the auditor's filter)."""
    return sorted(
        AuditEvent.objects.exclude(actor_unit="")
        .values_list("actor_unit", flat=True)
        .distinct()
        .order_by()
    )


def tokens_of(user: User, *, include_others: bool = False) -> QuerySet[ApiToken]:
    """The user's API tokens, newest first (every user's for an administrator who asks)."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at")
    if include_others and user.is_superuser:
        return tokens
    return tokens.filter(user=user)
