"""Sign-in and out, the second factor, password changes, session keep-alive and API tokens."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jianbao.accounts import session_policy
from jianbao.accounts.identity_forms import (
    ChangePasswordForm,
    CodeForm,
    LoginForm,
    TokenForm,
    UnlockForm,
)
from jianbao.accounts.lockout import current_lockouts, do_unlock_login, lockout_minutes
from jianbao.accounts.models import User
from jianbao.accounts.passwords import do_change_password, password_change_reason
from jianbao.accounts.selectors import tokens_of
from jianbao.accounts.services import (
    do_issue_api_token,
    do_revoke_api_token,
    record_audit_event,
)
from jianbao.accounts.sessions import do_end_sessions
from jianbao.accounts.two_factor import (
    do_confirm_enrolment,
    do_disable_two_factor,
    do_regenerate_recovery_codes,
    do_start_enrolment,
    do_verify_second_factor,
    has_confirmed_device,
    otp_required,
    qr_svg,
    recovery_codes_left,
    secret_base32,
)
from jianbao.accounts.web import add_form_errors, flash_errors


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _safe_next(request: HttpRequest) -> str:
    """The `next` parameter when it points into this site, else ""."""
    target = request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


class LoginView(auth_views.LoginView):
    """Password sign-in; the middleware then asks for the second factor where needed."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.JIANBAO_LOGIN_FAILURE_LIMIT
        context["lockout_minutes"] = lockout_minutes()
        expired = self.request.session.get(session_policy.EXPIRED_FLAG)
        if expired:
            context["expired_message"] = "登录已超时，请重新登录（未保存的文字已暂存在本机）。"
        return context

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        self.request.session.pop(session_policy.EXPIRED_FLAG, None)
        return super().form_valid(form)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out here and end every other session of the user."""
    if request.user.is_authenticated:
        user = _user(request)
        do_end_sessions(user=user, keep=None, reason="退出登录")
        record_audit_event(action="auth.logout", actor=user, object_type="user", object_id=user.pk)
        logout(request)
    return redirect("accounts:login")


@login_required
@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    """Change one's own password (also where a required change sends the user)."""
    user = _user(request)
    form = ChangePasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_password(
                user=user,
                new_password=form.cleaned_data["new_password1"],
                current_session=request.session.session_key,
            )
        except ValidationError as error:
            add_form_errors(request, form, error)
        else:
            update_session_auth_hash(request, user)
            return redirect("accounts:password_change_done")
    return render(
        request,
        "accounts/password.html",
        {"form": form, "reason": password_change_reason(user)},
    )


@login_required
@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the authenticator, or a recovery code."""
    user = _user(request)
    if not has_confirmed_device(user):
        return redirect("accounts:otp_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if do_verify_second_factor(request=request, user=user, code=form.cleaned_data["code"]):
            return redirect(_safe_next(request) or "home")
        form.add_error("code", "验证码不正确或已使用，请重试。")
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@never_cache
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: scan the QR code, confirm with a code, note the recovery codes."""
    user = _user(request)
    verified = getattr(user, "is_verified", lambda: False)()
    if has_confirmed_device(user) and not verified:
        return redirect("accounts:otp_verify")
    device = do_start_enrolment(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = do_confirm_enrolment(request=request, user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_form_errors(request, form, error)
        else:
            return _no_store(
                render(request, "accounts/recovery_codes.html", {"codes": codes, "new": True})
            )
    context = {
        "form": form,
        "qr": qr_svg(device),
        "secret": secret_base32(device),
        "required": otp_required(user),
        "replacing": has_confirmed_device(user),
    }
    return _no_store(render(request, "accounts/otp_setup.html", context))


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's sign-in security: second factor, recovery codes and sessions."""
    user = _user(request)
    context = {
        "enrolled": has_confirmed_device(user),
        "required": otp_required(user),
        "codes_left": recovery_codes_left(user),
        "sessions": user.web_sessions.order_by("-created_at")[:20],
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once in this response."""
    try:
        codes = do_regenerate_recovery_codes(user=_user(request))
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("accounts:security")
    return _no_store(
        render(request, "accounts/recovery_codes.html", {"codes": codes, "new": False})
    )


@login_required
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    """Turn the second factor off (refused where the role requires it)."""
    user = _user(request)
    try:
        do_disable_two_factor(user=user, actor=user)
    except PermissionDenied as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已停用双因素认证。")
    return redirect("accounts:security")


@require_POST
def keepalive(request: HttpRequest) -> JsonResponse:
    """「继续工作」: counts as activity and tells how long the session has left."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "登录已超时，请重新登录。"}, status=401)
    request.session[session_policy.SEEN_AT] = time.time()
    return JsonResponse({"expires_in": int(session_policy.session_deadline(request) - time.time())})


@login_required
@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; a new token's secret appears once, in the answer to its POST."""
    user = _user(request)
    form = TokenForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            token, key = do_issue_api_token(
                user=user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                read_only=form.cleaned_data["read_only"],
            )
        except ValidationError as error:
            add_form_errors(request, form, error)
        else:
            context.update({"new_token": token, "secret": key, "form": TokenForm()})
    context["tokens"] = tokens_of(user)
    context["now"] = timezone.now()
    return _no_store(render(request, "accounts/tokens.html", context))


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens (an administrator may revoke anyone's)."""
    user = _user(request)
    token = get_object_or_404(tokens_of(user, include_others=user.is_superuser), pk=pk)
    do_revoke_api_token(token=token, actor=user)
    messages.success(request, f"已撤销令牌「{token.name}」。")
    return redirect("accounts:tokens")


@login_required
def lockouts(request: HttpRequest) -> HttpResponse:
    """Locked sign-ins, for administrators, with a button to unlock each."""
    user = _user(request)
    if not user.is_superuser:
        raise PermissionDenied("只有管理员可以解除登录锁定。")
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = do_unlock_login(
            actor=user,
            username=form.cleaned_data["username"],
            ip_address=form.cleaned_data["ip_address"] or "",
        )
        messages.success(request, f"已解除锁定（清除 {count} 条失败记录）。")
        return redirect("accounts:lockouts")
    return render(request, "accounts/lockouts.html", {"form": form, "lockouts": current_lockouts()})
