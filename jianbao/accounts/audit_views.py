"""The auditor's pages: the trail for people (filters, names, titles, pages) and its export."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.audit_actions import ACTIONS, action_category, action_label, readable_detail
from jianbao.accounts.audit_export import AuditFilter, filter_audit_events, object_text
from jianbao.accounts.models import AuditEvent, Outcome, Unit, User
from jianbao.accounts.selectors import audit_event_units, audit_events_visible_to
from jianbao.accounts.services import do_export_audit_trail
from jianbao.bulletins.models import Issue, Series
from jianbao.submissions.models import Submission

PAGE_SIZE = 50


def _auditor(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_auditor:
        raise PermissionDenied("只有审计员可以查看审计日志。")
    return user


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> AuditFilter:
    get = request.GET
    return AuditFilter(
        user=(get.get("user") or "").strip()[:150],
        unit=(get.get("unit") or "").strip()[:100],
        action=(get.get("action") or "").strip()[:50],
        outcome=(get.get("outcome") or "").strip()[:10],
        date_from=_date(get.get("date_from")),
        date_to=_date(get.get("date_to")),
    )


def audit_object_links(events: list[AuditEvent]) -> dict[tuple[str, str], tuple[str, str]]:
    """(object_type, object_id) → (title, url) for the objects a page of events points at."""
    sources: dict[str, tuple[Any, str, str]] = {
        "submission": (Submission, "稿件", "submissions:detail"),
        "issue": (Issue, "期刊", "bulletins:detail"),
        "series": (Series, "刊物", "bulletins:series_edit"),
        "user": (User, "用户", "admin:accounts_user_change"),
        "unit": (Unit, "单位", "admin:accounts_unit_change"),
    }
    links: dict[tuple[str, str], tuple[str, str]] = {}
    for object_type, (model, kind, url_name) in sources.items():
        ids = {
            e.object_id for e in events if e.object_type == object_type and e.object_id.isdigit()
        }
        for obj in model.objects.filter(pk__in=ids):
            links[(object_type, str(obj.pk))] = (
                f"{kind}「{obj}」",
                reverse(url_name, args=[obj.pk]),
            )
    return links


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """The audit trail for auditors: who did what to which object, when, from where."""
    user = _auditor(request)
    filters = _filters(request)
    events = filter_audit_events(audit_events_visible_to(user), filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    links = audit_object_links(list(page))
    rows = [
        {
            "event": event,
            "label": action_label(event.action),
            "category": action_category(event.action),
            "object": links.get((event.object_type, event.object_id)) or (object_text(event), ""),
            "detail": readable_detail(event.detail),
            "outcome": Outcome(event.outcome).label if event.outcome in Outcome.values else "",
        }
        for event in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "query": query.urlencode(),
        "actions": sorted(ACTIONS.items(), key=lambda item: (item[1][1], item[0])),
        "units": audit_event_units(),
        "outcomes": Outcome.choices,
    }
    return render(request, "accounts/audit.html", context)


@login_required
def audit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered trail as CSV or XLSX for the assessor; the export is itself audited."""
    user = _auditor(request)
    if fmt not in {"csv", "xlsx"}:
        return HttpResponse("只能导出 csv 或 xlsx。", status=404)
    data, _count = do_export_audit_trail(
        actor=user, events=audit_events_visible_to(user), filters=_filters(request), fmt=fmt
    )
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.{fmt}"'
    return response
