"""Connects django-axes' lockout signal to the audit trail (recording only, no decisions)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver
from django.http import HttpRequest

from jianbao.accounts.services import record_audit_event


@receiver(user_locked_out)
def _on_locked_out(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    record_audit_event(
        action="auth.lockout",
        object_type="user",
        object_id=(username or "")[:50],
        detail={"username": (username or "")[:150], "ip": ip_address or ""},
        ip_address=ip_address,
    )
