"""Pages of 转报 (the office only). Thin: form → service → redirect/render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.accounts.web import add_form_errors, flash_errors
from jianbao.assessment.services.records import OutsideAdoption
from jianbao.forwarding import selectors, services
from jianbao.forwarding.forms import ForwardForm, OutcomeForm


def _office(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.may_manage(user):
        raise PermissionDenied("只有信息科编辑可以转报。")
    return user


@login_required
def package_list(request: HttpRequest) -> HttpResponse:
    """Past forwardings, and a form to forward chosen items."""
    user = _office(request)
    form = ForwardForm(request.POST or None, entries=list(selectors.forwardable_entries()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            package = services.do_forward_entries(
                actor=user, entries=list(data["entries"]), to_office=data["to_office"],
                note=data["note"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, f"已生成转报材料，共 {package.items.count()} 条。")
            return redirect("forwarding:detail", pk=package.pk)
    context = {"form": form, "packages": selectors.packages_visible_to(user)[:50]}
    return render(request, "forwarding/list.html", context, status=400 if form.errors else 200)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One forwarding: its items and what the higher office adopted."""
    package = selectors.get_package(_office(request), pk)
    context = {
        "package": package,
        "items": package.items.select_related("entry__issue__series"),
        "outcomes": selectors.outcomes_of(package),
    }
    return render(request, "forwarding/detail.html", context)


@login_required
@require_POST
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the adoption of a forwarded item by the higher office."""
    user = _office(request)
    package = selectors.get_package(user, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请完整填写采用载体、级别、形式和日期。")
        return redirect("forwarding:detail", pk=pk)
    data = form.cleaned_data
    adoption = OutsideAdoption(
        outlet=data["outlet"], level=data["level"], form=data["form"], date=data["date"],
        outlet_issue=data["outlet_issue"],
    )  # fmt: skip
    try:
        services.do_record_forward_outcome(
            actor=user, package=package, entry=data["entry"], adoption=adoption
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, "已记录上级采用情况。")
    return redirect("forwarding:detail", pk=pk)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The DOCX sent to the higher office."""
    user = _office(request)
    package = selectors.get_package(user, pk)
    record_audit_event(
        action="download.file", actor=user, object_type="forward_package", object_id=package.pk,
        detail={"sha256": package.sha256},
    )  # fmt: skip
    return FileResponse(
        package.docx.open("rb"), as_attachment=True, filename=f"转报-{package.pk}.docx"
    )
