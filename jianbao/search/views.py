"""The search page. Thin: form → selector → render (htmx gets the results partial)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.search.forms import SearchForm
from jianbao.search.selectors import index_status, may_search, search
from jianbao.search.tasks import enqueue_rebuild


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """One box over submissions, printed entries and the archive, scoped to what the user sees."""
    user = _user(request)
    if not may_search(user):
        raise PermissionDenied("您没有可检索的内容。")
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results = search(
            user, data["q"], form.filters(), data.get("sort") or "relevance", data["page"] or 1
        )
    context: dict[str, Any] = {
        "form": form,
        "results": results,
        "page_query": _query_without(request, "page"),
        "facet_query": _query_without(request, "page", "unit"),
    }
    name = "search/search.html#results" if getattr(request, "htmx", False) else "search/search.html"
    return render(request, name, context)


@login_required
def status_page(request: HttpRequest) -> HttpResponse:
    """Index size and the latest rebuilds, with a progress bar while one runs (administrators)."""
    status = index_status(_user(request))
    name = "search/status.html#status" if getattr(request, "htmx", False) else "search/status.html"
    return render(request, name, {"status": status})


@login_required
@require_POST
def rebuild(request: HttpRequest) -> HttpResponse:
    """Queue a rebuild for the worker and go back to the status page."""
    enqueue_rebuild(actor=_user(request))
    messages.success(request, "已排队重建索引，由后台任务（jianbao worker）执行。")
    return redirect("search:status")
