"""Login lockout with django-axes: per account and address, and per address across accounts.

Axes counts failures for each lockout parameter set (AXES_LOCKOUT_PARAMETERS: the pair
username + address, then the address alone) but compares them all with one limit. The handler
here weighs the address-only count, so that an address is locked only after
JIANBAO_LOGIN_IP_FAILURE_LIMIT failures across accounts, while one account from one address is
locked after JIANBAO_LOGIN_FAILURE_LIMIT. Locking by user name alone would let anyone lock the
chief out by typing wrong passwords; the address limit catches password spraying.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jianbao.accounts.identity_forms import LoginForm
from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event

LOCKED_MESSAGE = (
    "登录失败次数过多，该账号在本机的登录已被暂时锁定，请 {minutes} 分钟后再试，或联系管理员解锁。"
)


def _weighted(count: int, limit: int, base: int) -> int:
    """`count` failures against `limit`, expressed against the base limit."""
    return count * base // max(limit, 1)


class WeightedLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit for the address alone."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if not counts:
            return 0
        base = settings.JIANBAO_LOGIN_FAILURE_LIMIT
        ip_limit = settings.JIANBAO_LOGIN_IP_FAILURE_LIMIT
        # The order of AXES_LOCKOUT_PARAMETERS: (username, address), then address.
        weighted = [counts[0]] + [_weighted(count, ip_limit, base) for count in counts[1:]]
        return max(weighted)


def lockout_minutes() -> int:
    """How long a lockout lasts, in whole minutes."""
    return max(1, round(settings.JIANBAO_LOGIN_LOCKOUT_MINUTES))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The login page again, saying in Chinese that logins are locked (same for any name)."""
    message = LOCKED_MESSAGE.format(minutes=lockout_minutes())
    form = LoginForm(request)
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked_message": message,
            "next": request.POST.get("next", ""),
            "failure_limit": settings.JIANBAO_LOGIN_FAILURE_LIMIT,
            "lockout_minutes": lockout_minutes(),
        },
        status=429,
    )


@dataclass(frozen=True)
class Lockout:
    """A user name and address whose logins are currently refused."""

    pk: int
    username: str
    ip_address: str
    failures: int
    last_attempt: datetime
    until: datetime


def current_lockouts() -> list[Lockout]:
    """Failed-login records at or over the limit within the lockout window, newest first."""
    window = timedelta(minutes=settings.JIANBAO_LOGIN_LOCKOUT_MINUTES)
    since = timezone.now() - window
    attempts = AccessAttempt.objects.filter(
        attempt_time__gte=since, failures_since_start__gte=settings.JIANBAO_LOGIN_FAILURE_LIMIT
    ).order_by("-attempt_time")
    return [
        Lockout(
            pk=a.pk,
            username=a.username or "",
            ip_address=a.ip_address or "",
            failures=a.failures_since_start,
            last_attempt=a.attempt_time,
            until=a.attempt_time + window,
        )
        for a in attempts[:200]
    ]


@transaction.atomic
def do_unlock_login(
    *, actor: User | None, username: str = "", ip_address: str = "", via: str = "web"
) -> int:
    """Forget the failed logins of a user name and/or an address; returns how many records."""
    username, ip_address = username.strip(), ip_address.strip()
    if not username and not ip_address:
        return 0
    attempts = AccessAttempt.objects.all()
    if username:
        attempts = attempts.filter(username=username)
    if ip_address:
        attempts = attempts.filter(ip_address=ip_address)
    count, _ = attempts.delete()
    record_audit_event(
        action="auth.unlock",
        actor=actor,
        object_type="user",
        object_id=username,
        detail={"username": username, "ip": ip_address, "records": count, "via": via},
    )
    return count
