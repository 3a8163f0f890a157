"""The role-aware home page and the 403 page (sign-in and tokens: identity_views.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jianbao.accounts.audit_hooks import audit_denial
from jianbao.accounts.models import User


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


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page; every denial also goes into the audit trail."""
    audit_denial(request, exception)
    return render(request, "403.html", {"exception": exception}, status=403)
