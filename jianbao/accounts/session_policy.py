"""What a signed-in session may do: timeouts, the second factor and a password that must change.

`IdentityPolicyMiddleware` runs after authentication and django-otp's middleware, on every
request of a signed-in browser session (API token requests carry no session user here):

1. the session ends after JIANBAO_SESSION_IDLE_MINUTES without a request, and
   JIANBAO_SESSION_MAX_HOURS after sign-in whatever happens (times kept in the session);
2. a user with a confirmed second-factor device must enter a code first; a user whose role needs
   one (JIANBAO_OTP_REQUIRED_ROLES) and has none is sent to enrolment and can do nothing else;
3. a user whose password must change (first login, reset, expired) is sent to the change page.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode

from jianbao.accounts.models import User
from jianbao.accounts.passwords import password_change_reason
from jianbao.accounts.sessions import do_track_session, record_session_expiry
from jianbao.accounts.two_factor import has_confirmed_device, otp_required

LOGIN_AT = "_jb_login_at"
SEEN_AT = "_jb_seen_at"
SECOND_FACTOR_CHECKED = "_jb_2fa_checked"
TRACKED_KEY = "_jb_sk"
EXPIRED_FLAG = "_jb_expired"
# The last-activity time is written to the session at most this often (seconds).
SEEN_WRITE_INTERVAL = 30

ALWAYS_ALLOWED_PREFIXES = ("/static/", "/media/", "/healthz", "/favicon")


def idle_seconds() -> float:
    """The idle timeout in seconds."""
    return settings.JIANBAO_SESSION_IDLE_MINUTES * 60


def session_deadline(request: HttpRequest) -> float:
    """When (epoch seconds) the current session ends if nothing else happens."""
    now = time.time()
    seen = float(request.session.get(SEEN_AT, now))
    login_at = float(request.session.get(LOGIN_AT, now))
    return min(seen + idle_seconds(), login_at + settings.JIANBAO_SESSION_MAX_HOURS * 3600)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class IdentityPolicyMiddleware:
    """Session timeouts, the second factor and required password changes (see module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(ALWAYS_ALLOWED_PREFIXES):
            return self.get_response(request)
        user = request.user
        if user.is_authenticated:
            refusal = self._check(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _check(self, request: HttpRequest, user: User) -> HttpResponse | None:
        expired = self._expired(request)
        if expired:
            record_session_expiry(user=user, reason=expired)
            logout(request)
            request.session[EXPIRED_FLAG] = expired
            return self._refuse(request, "登录已超时，请重新登录。", "accounts:login")
        self._touch(request, user)
        step = self._pending_step(request, user)
        if step is None or request.path in self._allowed_paths(step):
            return None
        return self._refuse(request, *STEP_MESSAGES[step])

    @staticmethod
    def _expired(request: HttpRequest) -> str:
        now = time.time()
        login_at = request.session.get(LOGIN_AT)
        seen = request.session.get(SEEN_AT)
        if (
            login_at is not None
            and now - float(login_at) > settings.JIANBAO_SESSION_MAX_HOURS * 3600
        ):
            return "absolute"
        if seen is not None and now - float(seen) > idle_seconds():
            return "idle"
        return ""

    @staticmethod
    def _touch(request: HttpRequest, user: User) -> None:
        now = time.time()
        session = request.session
        if LOGIN_AT not in session:
            session[LOGIN_AT] = now
        if now - float(session.get(SEEN_AT, 0)) >= SEEN_WRITE_INTERVAL:
            session[SEEN_AT] = now
        if session.session_key and session.get(TRACKED_KEY) != session.session_key:
            do_track_session(user=user, session_key=session.session_key)
            session[TRACKED_KEY] = session.session_key

    @staticmethod
    def _pending_step(request: HttpRequest, user: User) -> str | None:
        verified = getattr(user, "is_verified", None)
        if not (callable(verified) and verified()) and not request.session.get(
            SECOND_FACTOR_CHECKED
        ):
            if has_confirmed_device(user):
                return "verify"
            if otp_required(user):
                return "enrol"
            request.session[SECOND_FACTOR_CHECKED] = True
        if password_change_reason(user):
            return "password"
        return None

    @staticmethod
    def _allowed_paths(step: str) -> set[str]:
        common = {reverse("accounts:logout"), reverse("accounts:keepalive")}
        own = {
            "verify": {reverse("accounts:otp_verify")},
            "enrol": {reverse("accounts:otp_setup")},
            "password": {reverse("accounts:password_change")},
        }[step]
        return common | own

    @staticmethod
    def _refuse(request: HttpRequest, message: str, url_name: str) -> HttpResponse:
        if _is_api(request):
            return JsonResponse({"detail": message}, status=401 if "超时" in message else 403)
        url = reverse(url_name)
        back = url_name == "accounts:login" or (
            url_name == "accounts:otp_verify" and request.method == "GET"
        )
        if back and request.get_full_path() != "/":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False) or request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)


STEP_MESSAGES: dict[str, tuple[str, str]] = {
    "verify": ("请输入动态验证码。", "accounts:otp_verify"),
    "enrol": ("您的角色须启用双因素认证，请先完成绑定。", "accounts:otp_setup"),
    "password": ("请先修改密码。", "accounts:password_change"),
}
