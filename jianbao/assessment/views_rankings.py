"""Ranking pages: the ranking of a period per class, its exports, the 通报 drafts and publishing,
and the published 通报 with their frozen files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from jianbao.accounts.models import User
from jianbao.accounts.services import do_record_download
from jianbao.accounts.web import flash_errors, render_partial
from jianbao.assessment import rankings as selectors
from jianbao.assessment.forms_rankings import PeriodForm, ReportForm, initial_for
from jianbao.assessment.models import UnitClass
from jianbao.assessment.reports.document import default_introduction, default_title
from jianbao.assessment.services_reports import (
    CONTENT_TYPES,
    REPORT_FORMATS,
    ReportDraft,
    do_publish_report,
    proposed_report_number,
    render_report_file,
    report_masthead,
)
from jianbao.bulletins.models import Series
from jianbao.ranking import Period
from jianbao.ranking.order import LEVELS


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


PAGE_SIZE = 100  # ranking lines per page: a province has over a thousand units per class


def ledger_links(period: Period) -> Callable[[int], str]:
    """The drill-down into a unit's ledger for the period (helper `scoring`'s page), built
    once per page rather than reversed per line; no link when that page is not installed."""
    try:
        prefix, suffix = reverse("assessment:ledger_unit", args=[987654321]).split("987654321")
    except NoReverseMatch:
        return lambda unit_id: ""
    return lambda unit_id: f"{prefix}{unit_id}{suffix}?period={period.key}"


def ranking_table(
    cls: selectors.ClassRanking, period: Period, page: str | None, *, own: int | None
) -> dict[str, Any]:
    """One class's lines on this page as ready HTML (rendering 100 rows cell by cell in the
    template cost more than everything else on the page), with its pager."""
    link = ledger_links(period)
    paginator = Paginator(cls.lines, PAGE_SIZE)
    current = paginator.get_page(page)
    rows = []
    for line in current.object_list:
        standing = line.standing
        levels = standing.by_level
        points = selectors.points_text(standing.points)
        href = link(standing.unit_id)
        cells = [
            f"<td>{line.rank}{TIED if line.tied else ''}</td>",
            f"<td>{escape(standing.name)}</td>",
            f'<td class="num"><a href="{escape(href)}" title="查看计分明细">{points}</a></td>'
            if href
            else f'<td class="num">{points}</td>',
            *(f'<td class="num">{levels.get(level, 0)}</td>' for level in LEVELS),
            f'<td class="num">{standing.adopted}</td>',
        ]
        mark = ' class="own"' if standing.unit_id == own else ""
        rows.append(f"<tr{mark}>{''.join(cells)}</tr>")
    return {
        "cls": cls,
        "rows": mark_safe("\n".join(rows)),  # every text in it is escaped above
        "page": current if paginator.num_pages > 1 else None,
        "missing": "、".join(cls.without_adoption) or "无",
    }


TIED = '<span class="muted">（并列）</span>'


def attachment(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


def period_of(request: HttpRequest) -> tuple[PeriodForm, Period, UnitClass | None]:
    """The chosen period and class; the form shows them even when they came as `?period=`."""
    form = PeriodForm(request.GET)
    period, unit_class = form.resolved(), form.chosen_class()
    if form.is_valid() and (form.cleaned_data.get("period") or not form.cleaned_data.get("kind")):
        form = PeriodForm(initial=initial_for(period, unit_class))
    return form, period, unit_class


@login_required
@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    """The ranking of a period per unit class, with the tie rule and the units not adopted."""
    user = user_of(request)
    if not selectors.can_read_rankings(user):
        raise PermissionDenied("无权查看排名。")
    form, period, unit_class = period_of(request)
    page = request.GET.get("page")
    if unit_class is None and not form.is_bound:
        unit_class = UnitClass.objects.order_by("order", "name").first()  # one class at a time
        form = PeriodForm(initial=initial_for(period, unit_class))
    classes = selectors.rankings_for(
        user=user, period=period, unit_class_id=unit_class.pk if unit_class else None
    )
    sees_all = selectors.can_see_all_scores(user)
    context: dict[str, Any] = {
        "form": form,
        "period": period,
        "unit_class": unit_class,
        "class_tabs": UnitClass.objects.order_by("order", "name") if sees_all else [],
        "sees_all": sees_all,
        "own_unit": user.unit,
        "tie_rule": selectors.TIE_RULE,
        "frozen": selectors.is_period_frozen(start=period.start, end=period.end),
        "tables": [ranking_table(cls, period, page, own=user.unit_id) for cls in classes],
        "query": urlencode(
            {"period": period.key, "unit_class": unit_class.pk if unit_class else ""}
        ),
    }
    if selectors.can_prepare_reports(user):
        context["report_form"] = _initial_report_form(period, unit_class)
        context["can_publish"] = selectors.can_publish_reports(user)
    return render_partial(request, "assessment/rankings/ranking.html", "results", context)


def _initial_report_form(period: Period, unit_class: UnitClass | None) -> ReportForm:
    series = list(Series.objects.filter(active=True))
    # A series named for 通报 is the natural home; else the first series.
    chosen = next((s for s in series if "通报" in s.title), series[0] if series else None)
    today = timezone.localdate()
    return ReportForm(
        initial={
            "series": chosen,
            "number": proposed_report_number(chosen, today.year) if chosen else 1,
            "issue_date": today,
            "title": default_title(period.label) if unit_class is None
            else f"{period.label}{unit_class.name}政务信息工作情况通报",
            "introduction": default_introduction(period.label),
            "period": period.key,
            "unit_class": unit_class,
        }
    )  # fmt: skip


@login_required
@require_GET
def ranking_xlsx(request: HttpRequest) -> HttpResponse:
    """The current figures as the 通报's XLSX (a sheet per class), before anything is published."""
    user = user_of(request)
    if not selectors.can_prepare_reports(user):
        raise PermissionDenied("只有信息科可以导出排名。")
    _form, period, unit_class = period_of(request)
    snapshot = _snapshot(period, unit_class)
    title = default_title(period.label)
    content = render_report_file(_draft_masthead(period, title), period, snapshot, "xlsx")
    do_record_download(
        actor=user, kind="export", object_type="ranking", object_id="", file_name=f"{title}.xlsx"
    )
    return attachment(content, "xlsx", f"{title}.xlsx")


def _snapshot(period: Period, unit_class: UnitClass | None) -> list[dict[str, Any]]:
    unit_class_id = unit_class.pk if unit_class else None
    return [
        r.to_json() for r in selectors.class_rankings(period=period, unit_class_id=unit_class_id)
    ]


def _draft_masthead(period: Period, title: str) -> Any:
    series = Series(title="信息工作通报", organ="")
    today = timezone.localdate()
    return report_masthead(ReportDraft(series, 1, today, title, "", period))


@login_required
@require_POST
def report_draft(request: HttpRequest, fmt: str) -> HttpResponse:
    """The 通报 as it would be published now (DOCX, PDF or XLSX), nothing written."""
    user = user_of(request)
    if not selectors.can_prepare_reports(user):
        raise PermissionDenied("只有信息科可以生成通报。")
    if fmt not in REPORT_FORMATS:
        raise Http404("没有这种格式。")
    form = ReportForm(request.POST)
    if not form.is_valid():
        reasons = "；".join(f"{e}" for errors in form.errors.values() for e in errors)
        return HttpResponse(reasons, status=400, content_type="text/plain; charset=utf-8")
    draft = _draft_of(form)
    try:
        content = render_report_file(
            report_masthead(draft), draft.period, _snapshot(draft.period, draft.unit_class), fmt
        )
    except ValidationError as error:
        return HttpResponse(
            "；".join(error.messages), status=409, content_type="text/plain; charset=utf-8"
        )
    name = f"{draft.title}（草稿）.{fmt}"
    do_record_download(
        actor=user, kind="export", object_type="report", object_id="", file_name=name
    )
    return attachment(content, fmt, name)


def _draft_of(form: ReportForm) -> ReportDraft:
    data = form.cleaned_data
    return ReportDraft(
        series=data["series"],
        number=data["number"],
        issue_date=data["issue_date"],
        title=data["title"],
        introduction=data["introduction"],
        period=data["period"],
        unit_class=data.get("unit_class"),
    )


@login_required
@require_POST
def report_publish(request: HttpRequest) -> HttpResponse:
    """Publish the 通报 and freeze the period's figures."""
    user = user_of(request)
    if not selectors.can_publish_reports(user):
        raise PermissionDenied("只有签发人或管理员可以印发通报。")
    form = ReportForm(request.POST)
    back = reverse("assessment:rankings")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(back)
    draft = _draft_of(form)
    try:
        publication = do_publish_report(actor=user, draft=draft)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        query = urlencode({"period": draft.period.key})
        return redirect(f"{back}?{query}")
    messages.success(request, f"已印发：{publication}。{draft.period.label}的计分已冻结。")
    return redirect("assessment:reports")


@login_required
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """The published 通报, newest period first, every edition with its files."""
    user = user_of(request)
    publications = selectors.publications_visible_to(user).prefetch_related("files")
    return render_partial(
        request,
        "assessment/rankings/reports.html",
        "list",
        {"publications": publications, "sees_all": selectors.can_see_all_scores(user)},
    )


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """A frozen file of a published 通报."""
    publication = get_object_or_404(selectors.publications_visible_to(user_of(request)), pk=pk)
    stored = publication.files.filter(format=fmt).first()
    if stored is None:
        raise Http404("没有这种格式的文件。")
    name = stored.file.name.rsplit("/", 1)[-1]
    do_record_download(
        actor=user_of(request),
        kind="export",
        object_type="report",
        object_id=publication.pk,
        file_name=name,
    )
    return FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt]
    )
