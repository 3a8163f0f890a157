"""统计分析: the statistics page (charts with their tables) and its XLSX export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from jianbao.accounts.services import do_record_download
from jianbao.accounts.web import render_partial
from jianbao.assessment.reports.statistics_sheets import statistics_workbook
from jianbao.assessment.statistics import COMMISSION_STATES, statistics_for
from jianbao.assessment.views_rankings import attachment, period_of, user_of


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Charts and tables for a period (and optionally one unit class)."""
    form, period, unit_class = period_of(request)
    stats = statistics_for(
        user=user_of(request), period=period, unit_class_id=unit_class.pk if unit_class else None
    )
    context = {
        "form": form,
        "period": period,
        "unit_class": unit_class,
        "stats": stats,
        "chart_data": stats.chart_data(),
        "commission_states": COMMISSION_STATES,
        "query": request.GET.urlencode(),
    }
    return render_partial(request, "assessment/statistics/statistics.html", "results", context)


@login_required
@require_GET
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    """Every table of the statistics page as one workbook."""
    _form, period, unit_class = period_of(request)
    stats = statistics_for(
        user=user_of(request), period=period, unit_class_id=unit_class.pk if unit_class else None
    )
    suffix = f"（{unit_class.name}）" if unit_class else ""
    name = f"{period.label}统计分析{suffix}.xlsx"
    do_record_download(
        actor=user_of(request),
        kind="export",
        object_type="statistics",
        object_id="",
        file_name=name,
    )
    return attachment(statistics_workbook(stats), "xlsx", name)
