"""Template values every signed-in page needs for the session-expiry warning."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest

from jianbao.accounts.session_policy import LOGIN_AT, session_deadline


def session_timeout(request: HttpRequest) -> dict[str, object]:
    """Seconds until the session ends, the warning lead time and the idle timeout."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return {}
    now = time.time()
    absolute = float(request.session.get(LOGIN_AT, now)) + settings.JIANBAO_SESSION_MAX_HOURS * 3600
    return {
        "session_timeout": {
            "expires_in": max(0, int(session_deadline(request) - now)),
            "absolute_in": max(0, int(absolute - now)),
            "warn": settings.JIANBAO_SESSION_WARN_SECONDS,
            "idle": int(settings.JIANBAO_SESSION_IDLE_MINUTES * 60),
        }
    }
