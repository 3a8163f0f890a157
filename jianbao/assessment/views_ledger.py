"""The ledger (计分明细) and objections (异议): every total opens into the lines behind it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianbao.accounts.models import Unit, User
from jianbao.accounts.web import flash_errors, render_partial
from jianbao.assessment import selectors, services
from jianbao.assessment.forms import AnswerForm, ObjectionForm
from jianbao.assessment.models import LedgerEvent, LedgerKind, ObjectionState
from jianbao.bounds import id_in_range
from jianbao.scoring import Period, PeriodError, parse_period, period_label
from jianbao.scoring.engine import fmt


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _period(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for (?period=2024-06), this month by default; bad input is shown."""
    text = request.GET.get("period", "").strip()[:40]
    if text:
        try:
            return parse_period(text), text
        except PeriodError as error:
            messages.error(request, str(error))
    today = timezone.localdate()
    text = f"{today:%Y-%m}"
    return parse_period(text), text


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """Totals per unit for a period (office, leaders); a unit's people go to their own ledger."""
    user = _user(request)
    period, text = _period(request)
    if not selectors.can_see_all_scores(user):
        if user.unit_id is None:
            raise PermissionDenied("无权查看计分。")
        return redirect(f"{reverse('assessment:ledger_unit', args=[user.unit_id])}?period={text}")
    totals = selectors.unit_totals(start=period.start, end=period.end)
    context = {
        "period": period,
        "period_text": text,
        "label": period_label(period),
        "totals": totals,
        "kinds": LedgerKind.choices,
        "can_manage": selectors.can_manage_scoring(user),
    }
    return render_partial(request, "assessment/ledger.html", "table", context)


def _formula(unit: Unit, label: str, lines: list[LedgerEvent]) -> str:
    """「区司法局 2024年6月 37分 = 采用 3 次 × 5 + … − 约稿逾期 1 次 × 1」."""
    groups: dict[tuple[str, Decimal], int] = defaultdict(int)
    for line in lines:
        if line.points:
            groups[(line.get_kind_display(), line.points)] += 1
    total = sum((line.points for line in lines), Decimal("0"))
    parts = []
    for (kind, points), count in sorted(groups.items(), key=lambda g: (-abs(g[0][1]), g[0][0])):
        sign = "−" if points < 0 else "+"
        parts.append(f"{sign} {kind} {count} 次 × {fmt(abs(points))}")
    body = " ".join(parts).removeprefix("+ ") or "0"
    return f"{unit.short_name or unit.name} {label} {fmt(total)}分 = {body}"


@login_required
def ledger_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit's ledger lines in a period, grouped by kind, each open to objection."""
    if not id_in_range(unit_id):
        raise PermissionDenied("单位不存在。")
    user = _user(request)
    unit = get_object_or_404(Unit, pk=unit_id)
    period, text = _period(request)
    lines = list(
        selectors.ledger_for_unit(user=user, unit=unit, start=period.start, end=period.end)
    )
    kind = request.GET.get("kind", "")
    shown = [line for line in lines if not kind or line.kind == kind]
    by_kind: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        by_kind[line.get_kind_display()] += line.points
    label = period_label(period)
    context: dict[str, Any] = {
        "unit": unit,
        "period": period,
        "period_text": text,
        "label": label,
        "lines": shown,
        "kind": kind,
        "kinds": LedgerKind.choices,
        "by_kind": sorted(by_kind.items()),
        "total": sum((line.points for line in lines), Decimal("0")),
        "formula": _formula(unit, label, lines),
        "can_object": user.unit_id == unit.pk,
        "objections": selectors.objections_for(user=user).filter(unit=unit)[:20],
        "objection_form": ObjectionForm(),
    }
    return render_partial(request, "assessment/ledger_unit.html", "lines", context)


@login_required
@require_POST
def objection_new(request: HttpRequest, event_id: int) -> HttpResponse:
    """A unit's people object to one of their ledger lines."""
    user = _user(request)
    if not id_in_range(event_id):
        raise PermissionDenied("明细不存在。")
    event = get_object_or_404(LedgerEvent, pk=event_id)
    if user.unit_id != event.unit_id:
        raise PermissionDenied("只能对本单位的计分明细提出异议。")
    back = f"{reverse('assessment:ledger_unit', args=[event.unit_id])}?period={event.date:%Y-%m}"
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明异议理由。")
        return redirect(back)
    try:
        services.do_submit_objection(actor=user, event=event, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        return redirect(back)
    messages.success(request, "异议已提交，信息科处理后会在此答复。")
    return redirect(back)


@login_required
def objections(request: HttpRequest) -> HttpResponse:
    """Objections: the office answers open ones; a unit sees its own and the answers."""
    user = _user(request)
    state = request.GET.get("state", "")
    rows = selectors.objections_for(user=user)
    if state in ObjectionState.values:
        rows = rows.filter(state=state)
    context = {
        "objections": rows[:200],
        "state": state,
        "states": ObjectionState.choices,
        "can_answer": selectors.can_manage_scoring(user),
        "answer_form": AnswerForm(),
    }
    return render(request, "assessment/objections.html", context)


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The office accepts (with an optional correction) or rejects an objection."""
    user = _user(request)
    if not selectors.can_manage_scoring(user):
        raise PermissionDenied("只有信息科可以处理异议。")
    if not id_in_range(pk):
        raise PermissionDenied("异议不存在。")
    objection = get_object_or_404(selectors.objections_for(user=user), pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("assessment:objections")
    data = form.cleaned_data
    try:
        if data["decision"] == "accept":
            services.do_accept_objection(
                actor=user,
                objection=objection,
                answer=data["answer"],
                points=data["points"] or Decimal("0"),
            )
            messages.success(request, "已采纳。")
        else:
            services.do_reject_objection(actor=user, objection=objection, answer=data["answer"])
            messages.success(request, "已驳回。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("assessment:objections")


def month_text(day: date) -> str:
    """「2024-06」 for a day."""
    return f"{day:%Y-%m}"
