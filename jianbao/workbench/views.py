"""The 工作台: every signed-in person lands here and sees what waits for them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianbao.accounts.models import User
from jianbao.workbench.panels import panels_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One page with a panel per role the user holds, each with counts and links."""
    user: User = request.user  # type: ignore[assignment]
    return render(request, "workbench/home.html", {"panels": panels_for(user)})
