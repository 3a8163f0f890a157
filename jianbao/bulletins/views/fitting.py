"""The proof's page-fit check (校样版面检查): loaded into the issue page by htmx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jianbao.bulletins import selectors
from jianbao.bulletins.policy import may_edit_issues
from jianbao.bulletins.rendering import bulletin_of
from jianbao.bulletins.views.common import user_of
from jianbao.typeset import TypesetError
from jianbao.typeset.fitting import REMEDIES, page_fit


@login_required
def issue_page_fit(request: HttpRequest, pk: int) -> HttpResponse:
    """How the issue falls on its pages, with the usual remedies when the 报尾 stands alone."""
    user = user_of(request)
    issue = selectors.get_issue(user, pk)
    if not may_edit_issues(user):
        raise PermissionDenied("只有信息科可以查看版面检查。")
    context: dict[str, object] = {"issue": issue, "remedies": REMEDIES}
    try:
        context["fit"] = page_fit(bulletin_of(issue))
    except (ValidationError, TypesetError) as error:
        context["error"] = "；".join(getattr(error, "messages", [str(error)]))
    return render(request, "bulletins/_page_fit.html", context)
