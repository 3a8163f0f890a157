"""Every write to units, users, tokens and the audit trail."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jianbao.accounts.audit_actions import default_outcome
from jianbao.accounts.audit_chain import GENESIS, chain_hash, plain_detail
from jianbao.accounts.audit_export import (
    AuditFilter,
    event_row,
    filter_audit_events,
    rows_as_file,
)
from jianbao.accounts.duties import role_conflict
from jianbao.accounts.models import (
    ApiToken,
    AuditChainHead,
    AuditEvent,
    Role,
    Unit,
    UnitAlias,
    UnitKind,
    User,
)
from jianbao.accounts.request_context import source_address
from jianbao.accounts.selectors import chain_record

logger = logging.getLogger(__name__)

ROLE_FLAGS: dict[Role, str] = {
    Role.REPORTER: "is_reporter",
    Role.UNIT_APPROVER: "is_unit_approver",
    Role.EDITOR: "is_editor",
    Role.CHIEF: "is_chief",
    Role.LEADER: "is_leader",
    Role.AUDITOR: "is_auditor",
}


def record_audit_event(
    *,
    action: str,
    actor: User | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
    outcome: str | None = None,
) -> AuditEvent:
    """Append one event to the hash-chained audit trail (taking turns on the chain head)."""
    actor = actor if actor is not None and actor.pk else None
    with transaction.atomic():
        head = _locked_chain_head()
        unit = Unit.objects.filter(pk=actor.unit_id).first() if actor and actor.unit_id else None
        event = AuditEvent(
            sequence=head.sequence + 1,
            created_at=timezone.now(),
            actor=actor,
            actor_name=actor.username if actor else "",
            actor_display=actor.display_name if actor else "",
            actor_unit=unit.name if unit else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            outcome=outcome or default_outcome(action),
            detail=plain_detail(detail or {}),
            ip_address=ip_address or source_address.get(),
            prev_hash=head.hash,
        )
        event.hash = chain_hash(chain_record(event))
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=head.pk).update(sequence=event.sequence, hash=event.hash)
    return event


def _locked_chain_head() -> AuditChainHead:
    """The chain head row, locked until the caller's transaction ends (created when missing)."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=1, sequence=0, hash=GENESIS)
    except IntegrityError:
        pass  # another writer created it first: lock theirs
    return AuditChainHead.objects.select_for_update().get(pk=1)


@transaction.atomic
def do_create_unit(
    *,
    name: str,
    short_name: str = "",
    kind: str = UnitKind.OTHER,
    order: int = 100,
    requires_approval: bool = False,
    aliases: Iterable[str] = (),
) -> Unit:
    """Create a unit with its aliases."""
    name = name.strip()
    if not name:
        raise ValidationError("单位名称不能为空。")
    if Unit.objects.filter(name=name).exists() or UnitAlias.objects.filter(name=name).exists():
        raise ValidationError(f"单位「{name}」已存在。")
    unit = Unit.objects.create(
        name=name,
        short_name=short_name,
        kind=kind,
        order=order,
        requires_approval=requires_approval,
    )
    for alias in aliases:
        do_add_unit_alias(unit=unit, alias=alias)
    return unit


@transaction.atomic
def do_add_unit_alias(*, unit: Unit, alias: str) -> UnitAlias:
    """Record another name of a unit; a name may point to one unit only."""
    alias = alias.strip()
    if not alias or alias == unit.name:
        raise ValidationError("别名不能为空，也不能与单位名称相同。")
    if Unit.objects.filter(name=alias).exclude(pk=unit.pk).exists():
        raise ValidationError(f"「{alias}」已是另一个单位的名称。")
    existing = UnitAlias.objects.filter(name=alias).first()
    if existing is not None:
        if existing.unit_id != unit.pk:
            raise ValidationError(f"别名「{alias}」已属于单位「{existing.unit}」。")
        return existing
    return UnitAlias.objects.create(unit=unit, name=alias)


@transaction.atomic
def do_create_user(
    *,
    username: str,
    password: str | None,
    display_name: str = "",
    unit: Unit | None = None,
    roles: Iterable[Role | str] = (),
    is_admin: bool = False,
    phone: str = "",
    must_change_password: bool = False,
    actor: User | None = None,
) -> User:
    """Create a user with a unit and roles; the admin role also opens the Django admin.

    The password must pass the policy (AUTH_PASSWORD_VALIDATORS); an initial password given by
    someone else is marked `must_change_password`, so the user changes it at first login.
    """
    username = username.strip()
    if not username:
        raise ValidationError("用户名不能为空。")
    if User.objects.filter(username=username).exists():
        raise ValidationError(f"用户名「{username}」已存在。")
    role_set = {Role(role) for role in roles}
    if role_set & {Role.REPORTER, Role.UNIT_APPROVER} and unit is None:
        raise ValidationError("信息员和单位审核人必须属于一个单位。")
    if conflict := role_conflict({*role_set, *([Role.ADMIN] if is_admin else [])}):
        raise ValidationError(conflict)
    user = User(username=username, display_name=display_name, unit=unit, phone=phone)
    for role, flag in ROLE_FLAGS.items():
        setattr(user, flag, role in role_set)
    if is_admin or Role.ADMIN in role_set:
        user.is_staff = True
        user.is_superuser = True
    if password:
        validate_password(password, user)
        user.set_password(password)
        user.must_change_password = must_change_password
    else:
        user.set_unusable_password()
    user.save()
    record_audit_event(
        action="user.create",
        actor=actor,
        object_type="user",
        object_id=user.pk,
        detail={
            "username": user.username,
            "roles": [role.label for role in user.roles],
            "unit": unit.name if unit else "",
        },
    )
    return user


def _hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def do_issue_api_token(
    *, user: User, name: str, days: int | None = None, read_only: bool = False
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored.

    It expires after `days` (at most JIANBAO_TOKEN_DAYS); a read-only token may only read.
    """
    name = name.strip()[:100]
    if not name:
        raise ValidationError("请填写令牌的用途。")
    limit = settings.JIANBAO_TOKEN_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ValidationError(f"有效期须为 1 至 {limit} 天。")
    key = "jb_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=_hash_token(key),
        prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=days),
        read_only=read_only,
    )
    record_audit_event(
        action="token.issue",
        actor=user,
        object_type="api_token",
        object_id=token.pk,
        detail={"name": name, "days": days, "read_only": read_only},
    )
    return token, key


@transaction.atomic
def do_revoke_api_token(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke one token; its owner and administrators may."""
    if actor.pk != token.user_id and not actor.is_superuser:
        raise PermissionDenied("只能撤销自己的令牌。")
    if not token.revoked:
        token.revoked = True
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked", "revoked_at"])
        record_audit_event(
            action="token.revoke",
            actor=actor,
            object_type="api_token",
            object_id=token.pk,
            detail={"name": token.name, "owner": token.user.username},
        )
    return token


@transaction.atomic
def do_revoke_user_tokens(*, user: User, actor: User | None, reason: str) -> int:
    """Revoke every active token of `user` (after a password change, for instance)."""
    count = ApiToken.objects.filter(user=user, revoked=False).update(
        revoked=True, revoked_at=timezone.now()
    )
    if count:
        record_audit_event(
            action="token.revoke",
            actor=actor,
            object_type="user",
            object_id=user.pk,
            detail={"count": count, "reason": reason},
        )
    return count


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def touch_api_token(*, key: str, method: str = "GET") -> User | None:
    """The active user a valid token belongs to, recording its use; None for an unknown,
    revoked or expired token. A read-only token used to write is refused (PermissionDenied).

    The use is written at most once per JIANBAO_TOKEN_TOUCH_MINUTES (with an audit event) and
    never fails or slows the request: when the database is busy, the bookkeeping is skipped.
    """
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(key), revoked=False, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.read_only and method.upper() not in SAFE_METHODS:
        raise PermissionDenied("该令牌为只读令牌，只能查询，不能修改数据。")
    stale = now - timedelta(minutes=settings.JIANBAO_TOKEN_TOUCH_MINUTES)
    if token.last_used_at is None or token.last_used_at <= stale:
        try:
            with _brief_lock_wait():
                touched = (
                    ApiToken.objects.filter(pk=token.pk)
                    .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale))
                    .update(last_used_at=now)
                )
                if touched:
                    record_audit_event(
                        action="token.use",
                        actor=token.user,
                        object_type="api_token",
                        object_id=token.pk,
                        detail={"name": token.name},
                    )
        except DatabaseError:
            logger.info("API token %s: last use not recorded (database busy)", token.pk)
    return token.user


# A bookkeeping write waits at most this long for a lock, then gives up.
BOOKKEEPING_LOCK_WAIT_MS = 100


@contextmanager
def _brief_lock_wait() -> Iterator[None]:
    """A transaction (or savepoint) whose writes wait BOOKKEEPING_LOCK_WAIT_MS at most for a
    lock, then raise, instead of waiting the configured busy timeout."""
    if connection.vendor != "sqlite":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('lock_timeout')")
            previous = cursor.fetchone()[0]
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)", [f"{BOOKKEEPING_LOCK_WAIT_MS}ms"]
            )
            yield
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA busy_timeout = {BOOKKEEPING_LOCK_WAIT_MS}")
    try:
        with transaction.atomic():  # BEGIN IMMEDIATE: takes the write lock or fails quickly
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {previous}")


@transaction.atomic
def do_export_audit_trail(
    *, actor: User | None, events: QuerySet[AuditEvent], filters: AuditFilter, fmt: str
) -> tuple[bytes, int]:
    """The filtered trail as a CSV or XLSX file; the export itself becomes an audit event."""
    if fmt not in {"csv", "xlsx"}:
        raise ValidationError(f"不支持的导出格式「{fmt}」，只能是 csv 或 xlsx。")
    rows = [event_row(event) for event in filter_audit_events(events, filters).order_by("sequence")]
    record_audit_event(
        action="audit.export",
        actor=actor,
        object_type="audit",
        detail={"format": fmt, "rows": len(rows), "filters": filters.as_detail()},
    )
    return rows_as_file(rows, fmt), len(rows)


DOWNLOAD_KINDS = ("issue_file", "attachment", "archive_file", "export")


@transaction.atomic
def do_record_download(
    *, actor: User, kind: str, object_type: str, object_id: str | int, file_name: str
) -> None:
    """Record that `actor` downloaded a file or an export (kind: one of DOWNLOAD_KINDS)."""
    if kind not in DOWNLOAD_KINDS:
        raise ValueError(f"unknown download kind {kind!r}")
    record_audit_event(
        action=f"download.{kind}",
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        detail={"file": file_name[:200]},
    )
