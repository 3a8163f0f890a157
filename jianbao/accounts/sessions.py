"""Each user's signed-in sessions, so that logout and a password change can end all the others."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jianbao.accounts.models import User, UserSession
from jianbao.accounts.request_context import source_address
from jianbao.accounts.services import record_audit_event


def _session_store(session_key: str) -> object:
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


def do_track_session(*, user: User, session_key: str) -> None:
    """Remember that `session_key` is a session of `user` (once per key); rows of the user's
    sessions past the absolute limit are dropped on the way."""
    oldest = timezone.now() - timedelta(hours=settings.JIANBAO_SESSION_MAX_HOURS)
    try:
        with transaction.atomic():
            UserSession.objects.filter(user=user, created_at__lt=oldest).delete()
            UserSession.objects.get_or_create(
                session_key=session_key,
                defaults={"user": user, "ip_address": source_address.get()},
            )
    except IntegrityError:
        pass  # the same session tracked by a concurrent request


@transaction.atomic
def do_end_sessions(*, user: User, keep: str | None = None, reason: str) -> int:
    """End every session of `user` except `keep`; returns how many were ended."""
    rows = UserSession.objects.filter(user=user)
    if keep:
        rows = rows.exclude(session_key=keep)
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        _session_store(key).delete()  # type: ignore[attr-defined]
    rows.delete()
    if keys:
        record_audit_event(
            action="auth.sessions_ended",
            actor=user,
            object_type="user",
            object_id=user.pk,
            detail={"count": len(keys), "reason": reason},
        )
    return len(keys)


def record_session_expiry(*, user: User, reason: str) -> None:
    """Note in the audit trail that a session timed out (idle or absolute)."""
    record_audit_event(
        action="auth.session_expired",
        actor=user,
        object_type="user",
        object_id=user.pk,
        detail={"reason": "空闲超时" if reason == "idle" else "超过最长登录时间"},
    )
