"""考核分类: which units are ranked together; chief editors and admins move units among classes."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianbao.accounts.models import Unit, User
from jianbao.accounts.selectors import active_units
from jianbao.accounts.web import flash_errors
from jianbao.assessment import selectors
from jianbao.assessment.forms_classes import AssignmentForm, UnitClassForm
from jianbao.assessment.models import UnitClass, UnitClassMembership
from jianbao.assessment.services.classes import do_assign_unit_class, do_create_unit_class


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def unit_classes(request: HttpRequest) -> HttpResponse:
    """Every class with its units (explicit assignments marked) and, for editors of the rules,
    the forms to add a class and move a unit."""
    user = _user(request)
    if not (selectors.can_manage_scoring(user) or selectors.can_see_all_scores(user)):
        raise PermissionDenied("无权查看考核分类。")
    class_of = selectors.unit_class_map()
    explicit = set(UnitClassMembership.objects.values_list("unit_id", flat=True))
    members: dict[int, list[tuple[Unit, bool]]] = defaultdict(list)
    for unit in active_units():
        if unit.pk in class_of:
            members[class_of[unit.pk].pk].append((unit, unit.pk in explicit))
    context = {
        "classes": [(c, members.get(c.pk, [])) for c in UnitClass.objects.all()],
        "can_edit": selectors.can_edit_rules(user),
        "class_form": UnitClassForm(),
        "assign_form": AssignmentForm(),
    }
    return render(request, "assessment/unit_classes.html", context)


def _form_refusal(form: forms.Form) -> ValidationError:
    """The form's errors as one refusal, each message led by its field's label."""
    return ValidationError(
        [
            f"{form.fields[name].label}：{message}" if name in form.fields else message
            for name, messages_ in form.errors.items()
            for message in messages_
        ]
    )


def _require_rule_editor(user: User) -> None:
    if not selectors.can_edit_rules(user):
        raise PermissionDenied("只有签发人或管理员可以调整考核分类。")


@login_required
@require_POST
def unit_class_create(request: HttpRequest) -> HttpResponse:
    """Add a class."""
    user = _user(request)
    _require_rule_editor(user)
    form = UnitClassForm(request.POST)
    if not form.is_valid():
        flash_errors(request, _form_refusal(form))
        return redirect("assessment:unit_classes")
    try:
        created = do_create_unit_class(
            actor=user, name=form.cleaned_data["name"], order=form.cleaned_data["order"]
        )
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已新增分类「{created.name}」。")
    return redirect("assessment:unit_classes")


@login_required
@require_POST
def unit_class_assign(request: HttpRequest) -> HttpResponse:
    """Move a unit to a class (or back to its kind's class)."""
    user = _user(request)
    _require_rule_editor(user)
    form = AssignmentForm(request.POST)
    if not form.is_valid():
        flash_errors(request, _form_refusal(form))
        return redirect("assessment:unit_classes")
    unit, unit_class = form.cleaned_data["unit"], form.cleaned_data["unit_class"]
    do_assign_unit_class(actor=user, unit=unit, unit_class=unit_class)
    where = f"「{unit_class.name}」" if unit_class else "按单位类别的默认分类"
    messages.success(request, f"已将{unit.name}归入{where}；配额计分在「重新计分」后按新分类计算。")
    return redirect("assessment:unit_classes")
