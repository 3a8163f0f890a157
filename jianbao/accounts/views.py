"""Sign-in, the role-aware home page, API tokens and the audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianbao.accounts.audit_hooks import audit_denial
from jianbao.accounts.models import User
from jianbao.accounts.services import do_issue_api_token


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to the page of their main role."""
    user: User = request.user  # type: ignore[assignment]
    if user.is_office_staff:
        return redirect("submissions:inbox")
    if user.unit_id and (user.is_reporter or user.is_unit_approver):
        return redirect("submissions:unit_list")
    if user.is_leader:
        return redirect("bulletins:list")
    if user.is_auditor:
        return redirect("accounts:audit")
    return render(request, "accounts/home.html", {})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request, "accounts/tokens.html", {"tokens": user.api_tokens.order_by("-created_at")}
    )


@login_required
@require_POST
def issue_token(request: HttpRequest) -> HttpResponse:
    """Create an API token and show its secret once."""
    user: User = request.user  # type: ignore[assignment]
    name = (request.POST.get("name") or "").strip()[:100] or "集成"
    token, key = do_issue_api_token(user=user, name=name)
    messages.success(request, f"新令牌「{token.name}」：{key} （只显示这一次，请妥善保存）")
    return redirect("accounts:tokens")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page; every denial also goes into the audit trail."""
    audit_denial(request, exception)
    return render(request, "403.html", {"exception": exception}, status=403)
