"""Pages for defining series (刊物): editors and admins only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jianbao.bulletins import selectors, services
from jianbao.bulletins.forms import SeriesForm, split_lines, split_names
from jianbao.bulletins.policy import may_manage_series
from jianbao.bulletins.views.common import add_form_errors, user_of


def _require_manager(request: HttpRequest) -> None:
    if not may_manage_series(user_of(request)):
        raise PermissionDenied("只有编辑和管理员可以设置刊物。")


def _fields(form: SeriesForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "organ": data["organ"],
        "yearly_numbering": data["yearly_numbering"],
        "cumulative_numbering": data["cumulative_numbering"],
        "report_to": data["report_to"],
        "send_to": data["send_to"],
        "distribute_to": data["distribute_to"],
        "extra_to": data["extra_to"],
        "editors": split_names(data["editors"]),
        "marks": split_lines(data["marks"]),
        "copies": data["copies"],
        "four_eyes": data["four_eyes"],
    }


@login_required
def series_list(request: HttpRequest) -> HttpResponse:
    """Every series with its numbering and default footer."""
    _require_manager(request)
    series = selectors.series_visible_to(user_of(request))
    return render(request, "bulletins/series_list.html", {"series_list": series})


@login_required
def series_create(request: HttpRequest) -> HttpResponse:
    """Define a new series."""
    _require_manager(request)
    form = SeriesForm(request.POST or None, initial={"yearly_numbering": True, "active": True})
    if request.method == "POST" and form.is_valid():
        try:
            series = services.do_create_series(actor=user_of(request), **_fields(form))
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, f"已创建刊物{series}。")
            return redirect("bulletins:series_list")
    return render(request, "bulletins/series_form.html", {"form": form, "creating": True})


@login_required
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a series; issues already opened keep their own footer."""
    _require_manager(request)
    series = selectors.get_series(user_of(request), pk)
    form = SeriesForm(request.POST or None, initial=SeriesForm.initial_for(series))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_series(
                series=series,
                actor=user_of(request),
                expected_version=form.cleaned_data["version"],
                active=form.cleaned_data["active"],
                **_fields(form),
            )
        except services.StaleIssueError as error:
            form.add_error(None, str(error))
            status = 409
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("bulletins:series_list")
    context = {"form": form, "series": series, "creating": False}
    return render(request, "bulletins/series_form.html", context, status=status)
