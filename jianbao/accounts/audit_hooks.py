"""Connects Django's authentication signals to the audit trail (recording only, no decisions)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the client as the server saw it."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


@receiver(user_logged_in)
def _on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_audit_event(action="auth.login", actor=user, ip_address=client_ip(request))


@receiver(user_login_failed)
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record_audit_event(
        action="auth.login_failed",
        detail={"username": str(credentials.get("username", ""))[:150]},
        ip_address=client_ip(request),
    )


def audit_denial(request: HttpRequest, reason: object) -> None:
    """Record that the user of `request` was refused something (a page, an action, an endpoint)."""
    user = request.user if request.user.is_authenticated else None
    record_audit_event(
        action="access.denied",
        actor=user,
        detail={"path": request.path[:300], "reason": str(reason or "")[:300]},
        ip_address=client_ip(request),
    )
