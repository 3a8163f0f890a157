"""Pages of commissions (约稿). Thin: form → service → redirect/render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.accounts.web import add_form_errors, flash_errors, render_partial
from jianbao.commissions import exports, selectors, services
from jianbao.commissions.forms import (
    AnswerSubmissionForm,
    CommissionFilterForm,
    CommissionForm,
    DeclineForm,
    LinkForm,
)
from jianbao.commissions.models import Commission, CommissionTarget
from jianbao.commissions.workdays import calendar_covers, workdays_left

PAGE_SIZE = 30
ESTIMATED_NOTE = "该年度节假日安排尚未发布，按周末计算"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_reader(user: User) -> None:
    if not (selectors.may_manage(user) or selectors.is_unit_member(user)):
        raise PermissionDenied("只有信息科编辑和单位信息员可以查看约稿。")


def _require_manager(user: User) -> None:
    if not selectors.may_manage(user):
        raise PermissionDenied("只有信息科编辑可以发布和管理约稿。")


def _filters(form: CommissionFilterForm) -> selectors.CommissionFilter:
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    return selectors.CommissionFilter(
        state=data.get("state") or None,
        unit_id=unit.pk if unit else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        overdue=bool(data.get("overdue")),
    )


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@login_required
def commission_list(request: HttpRequest) -> HttpResponse:
    """Commissions with filters: the office sees all, a unit those addressed to it."""
    user = _user(request)
    _require_reader(user)
    form = CommissionFilterForm(request.GET)
    qs = selectors.commission_list(user, _filters(form))
    context = {
        "form": form,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "page_query": _page_query(request),
        "export_query": _page_query(request).rstrip("&"),
        "manager": selectors.may_manage(user),
        "today": timezone.localdate(),
    }
    return render_partial(request, "commissions/list.html", "results", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an XLSX workbook: one sheet of commissions, one of units."""
    user = _user(request)
    _require_manager(user)
    filters = _filters(CommissionFilterForm(request.GET))
    commissions = list(selectors.commission_list(user, filters)[: exports.MAX_ROWS])
    content = exports.commissions_workbook(commissions)
    record_audit_event(
        action="download.export",
        actor=user,
        object_type="commission",
        detail={"what": "commissions.xlsx", "rows": len(commissions)},
    )
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="commissions-{stamp}.xlsx"'
    return response


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Publish a commission (editors)."""
    user = _user(request)
    _require_manager(user)
    form = CommissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            commission = services.do_create_commission(
                actor=user,
                title=data["title"],
                description=data["description"],
                working_days=data["working_days"],
                target_mode=data["target_mode"],
                unit_kind=data["unit_kind"],
                units=data["units"],
                quota_per_unit=data["quota_per_unit"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(
                request, f"约稿已发布，截止日期 {commission.deadline:%Y年%-m月%-d日}。"
            )
            return redirect("commissions:detail", pk=commission.pk)
    return render(request, "commissions/form.html", {"form": form})


def _countdown(commission: Commission) -> dict[str, Any]:
    today = timezone.localdate()
    left = workdays_left(today, commission.deadline)
    unknown = not calendar_covers(today.year) or not calendar_covers(commission.deadline.year)
    return {
        "days_left": left,
        "overdue_days": -left if left < 0 else 0,
        "overdue": timezone.now() >= commission.deadline_end,
        "estimated_note": ESTIMATED_NOTE if commission.deadline_estimated or unknown else "",
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The office's per-unit view, or the unit's view of what is asked of it."""
    user = _user(request)
    commission = selectors.get_commission(user, pk)
    context: dict[str, Any] = {"commission": commission, **_countdown(commission)}
    if selectors.may_manage(user):
        context["targets"] = list(selectors.targets_of(commission))
        context["manager"] = True
    if selectors.is_unit_member(user):
        target = selectors.target_for(user, commission)
        context["target"] = target
        context["answers"] = list(selectors.answers_of(target))
        context["may_answer"] = user.is_reporter and commission.state == "open"
        if context["may_answer"]:
            context["link_form"] = LinkForm(user=user)
            context["decline_form"] = DeclineForm()
    return render(request, "commissions/detail.html", context)


def _unit_target(request: HttpRequest, pk: int) -> tuple[User, Commission, CommissionTarget]:
    user = _user(request)
    commission = selectors.get_commission(user, pk)
    return user, commission, selectors.target_for(user, commission)


@login_required
@require_POST
def link(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer with items the unit has already reported."""
    user, commission, _target = _unit_target(request, pk)
    form = LinkForm(request.POST, user=user)
    if not form.is_valid():
        messages.error(request, "请选择本单位已报送、尚未用于约稿的稿件。")
        return redirect("commissions:detail", pk=pk)
    try:
        services.do_answer_commission(
            commission=commission, actor=user, submissions=form.cleaned_data["submissions"]
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已报送约稿。")
    return redirect("commissions:detail", pk=pk)


@login_required
def answer_new(request: HttpRequest, pk: int) -> HttpResponse:
    """「报送稿件」: write an item for the commission; it is reported and linked in one go."""
    user, commission, _target = _unit_target(request, pk)
    if not user.is_reporter:
        raise PermissionDenied("只有本单位信息员可以报送约稿。")
    form = AnswerSubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.do_answer_with_new_submission(
                commission=commission,
                actor=user,
                title=data["title"],
                body=data["body"],
                kind=data["kind"],
                contact=data["contact"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, f"稿件「{submission}」已报送并关联本约稿。")
            return redirect("commissions:detail", pk=pk)
    return render(request, "commissions/answer_form.html", {"form": form, "commission": commission})


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer 「无此情况」 with a reason."""
    user, commission, _target = _unit_target(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写无此情况的说明（不超过 500 字）。")
        return redirect("commissions:detail", pk=pk)
    try:
        services.do_decline_commission(
            commission=commission, actor=user, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已答复：无此情况。")
    return redirect("commissions:detail", pk=pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """End (结束) or cancel (撤销) a commission."""
    user = _user(request)
    _require_manager(user)
    commission = selectors.get_commission(user, pk)
    cancel = request.POST.get("cancel") == "1"
    try:
        services.do_close_commission(commission=commission, actor=user, cancel=cancel)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, "约稿已撤销。" if cancel else "约稿已结束。")
    return redirect("commissions:detail", pk=pk)


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind every unit that has not answered (催报)."""
    user = _user(request)
    _require_manager(user)
    commission = selectors.get_commission(user, pk)
    try:
        count = services.do_remind_commission(commission=commission, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已向 {count} 个未答复单位发送催报提醒。")
    return redirect("commissions:detail", pk=pk)
