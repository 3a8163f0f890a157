"""Pages that keep recipient groups and each series' distribution list (office and admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.web import add_form_errors, flash_errors
from jianbao.distribution import selectors, services
from jianbao.distribution.forms import GroupForm, RecipientForm
from jianbao.distribution.models import Line, RecipientGroup
from jianbao.distribution.policy import may_manage_lists


def _manager(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not may_manage_lists(user):
        raise PermissionDenied("只有信息科编辑、签发人和管理员可以维护分发名单。")
    return user


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    """Every recipient group with its size and the series lists that use it."""
    user = _manager(request)
    return render(request, "distribution/groups.html", {"groups": selectors.groups_of(user)})


def _save_group(request: HttpRequest, group: RecipientGroup | None) -> HttpResponse:
    user = _manager(request)
    initial = {}
    if group is not None:
        initial = {
            "name": group.name,
            "description": group.description,
            "members": list(group.members.values_list("pk", flat=True)),
        }
    form = GroupForm(request.POST or None, initial=initial, receivers=selectors.receivers(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.do_save_group(
                actor=user,
                name=data["name"],
                description=data["description"],
                members=data["members"],
                group=group,
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, f"已保存分组「{saved}」（{saved.members.count()} 人）。")
            return redirect("distribution:groups")
    return render(request, "distribution/group_form.html", {"form": form, "group": group})


@login_required
def group_create(request: HttpRequest) -> HttpResponse:
    """A new named group (「区县处级领导」)."""
    return _save_group(request, None)


@login_required
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename a group or change its members."""
    user = _manager(request)
    return _save_group(request, selectors.get_group(user, pk))


@login_required
@require_POST
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a group no list uses."""
    user = _manager(request)
    group = selectors.get_group(user, pk)
    try:
        services.do_delete_group(actor=user, group=group)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已删除分组「{group.name}」。")
    return redirect("distribution:groups")


@login_required
def series_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A series' distribution list by 报/送/发/增发 line, and the form to add to it."""
    user = _manager(request)
    series = selectors.managed_series(user, pk)
    form = RecipientForm(
        request.POST or None, receivers=selectors.receivers(user), groups=selectors.groups_of(user)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.do_add_series_recipient(actor=user, series=series, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_form_errors(request, form, error)
            else:
                messages.success(request, "已添加到分发名单。")
                return redirect("distribution:series", pk=series.pk)
        status = 400
    entries = selectors.series_list_of(user, series)
    lines = [
        (label, [e for e in entries if e.line == value], getattr(series, f"{value}_to", ""))
        for value, label in Line.choices
    ]
    context = {"series": series, "form": form, "lines": lines}
    return render(request, "distribution/series_list.html", context, status=status)


@login_required
@require_POST
def series_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Take one entry off a series' list."""
    user = _manager(request)
    series = selectors.managed_series(user, pk)
    entry = selectors.list_entry(user, series, entry_pk)
    services.do_remove_series_recipient(actor=user, entry=entry)
    messages.success(request, f"已从分发名单移除「{entry.target_label}」。")
    return redirect("distribution:series", pk=series.pk)
