"""Rule sets (规则版本), recompute (重新计分), and recording outside adoptions and instructions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.web import flash_errors, refusal_messages
from jianbao.assessment import selectors, services
from jianbao.assessment.forms import (
    InstructionForm,
    OutsideAdoptionForm,
    OutsideIssueForm,
    RangeForm,
)
from jianbao.assessment.models import RecomputeRun, RuleSetVersion, RunState
from jianbao.assessment.rule_editor import (
    CHOICES,
    PENALTY_LABELS,
    SECTIONS,
    EditorState,
    rules_from_post,
    state_from_rules,
)
from jianbao.assessment.services.records import OutsideAdoption
from jianbao.bounds import id_in_range
from jianbao.bulletins.models import AdoptionForm, Entry
from jianbao.bulletins.workflow import IssueState
from jianbao.submissions.models import Submission
from jianbao.submissions.selectors import get_submission


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    """Every rule-set version with its effective date; which one is in force today."""
    user = _user(request)
    _require(
        selectors.can_manage_scoring(user) or selectors.can_see_all_scores(user),
        "无权查看计分规则。",
    )
    today = timezone.localdate()
    context = {
        "versions": selectors.rule_set_versions(),
        "in_force": selectors.rule_set_in_force(today),
        "can_edit": selectors.can_edit_rules(user),
    }
    return render(request, "assessment/rules.html", context)


def _editor_context(state: EditorState, **extra: Any) -> dict[str, Any]:
    return {
        "state": state,
        "sections": SECTIONS,
        "choices": CHOICES,
        "penalty_labels": PENALTY_LABELS,
        "counts": {s: len(rows) for s, rows in state.rows.items()},
        **extra,
    }


@login_required
def rules_edit(request: HttpRequest) -> HttpResponse:
    """A new version: a copy of the current (or chosen) one, edited section by section."""
    user = _user(request)
    _require(selectors.can_edit_rules(user), "只有签发人或管理员可以修改计分规则。")
    if request.method == "POST":
        return _save_rules(request, user)
    source_id = request.GET.get("from", "")
    base: RuleSetVersion | None = None
    if source_id.isdigit() and id_in_range(source_id):
        base = RuleSetVersion.objects.filter(pk=int(source_id)).first()
    base = (
        base
        or selectors.rule_set_in_force(timezone.localdate())
        or selectors.rule_set_versions().first()
    )
    state = state_from_rules(base.rules if base else {"name": "信息工作考核办法"})
    context = _editor_context(state, base=base, effective_from="", note="", errors=[])
    return render(request, "assessment/rules_edit.html", context)


def _save_rules(request: HttpRequest, user: User) -> HttpResponse:
    data, state = rules_from_post(request.POST)
    effective = request.POST.get("effective_from", "")
    note = request.POST.get("note", "")[:300]
    errors: list[str] = []
    if "more" in request.POST:
        context = _editor_context(state, base=None, effective_from=effective, note=note, errors=[])
        return render(request, "assessment/rules_edit.html", context)
    try:
        day = date.fromisoformat(effective)
    except ValueError:
        errors.append("请填写生效日期。")
    if not errors:
        try:
            version = services.do_save_rule_set_version(
                actor=user, name=data["name"], effective_from=day, rules=data, note=note
            )
        except ValidationError as error:
            errors = refusal_messages(request, error)
        else:
            messages.success(
                request,
                f"已保存新版本「{version.name}」，{version.effective_from:%Y-%m-%d} 起生效。"
                "已存的分数不会自动改变，请在「重新计分」中预览差异后确认。",
            )
            return redirect("assessment:rules")
    context = _editor_context(state, base=None, effective_from=effective, note=note, errors=errors)
    return render(request, "assessment/rules_edit.html", context, status=400)


@login_required
def recompute(request: HttpRequest) -> HttpResponse:
    """Choose a range and preview the difference (nothing is saved until confirmed)."""
    user = _user(request)
    _require(selectors.can_edit_rules(user), "只有签发人或管理员可以重新计分。")
    form = RangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.do_preview_recompute(
                actor=user, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
            )
        except ValidationError as error:
            for message in refusal_messages(request, error):
                form.add_error(None, message)
        else:
            return redirect("assessment:recompute_run", pk=run.pk)
    runs = RecomputeRun.objects.select_related("created_by", "confirmed_by")[:20]
    status = 400 if request.method == "POST" else 200
    return render(request, "assessment/recompute.html", {"form": form, "runs": runs}, status=status)


@login_required
def recompute_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A previewed (or confirmed) recompute: the difference per unit."""
    _require(selectors.can_edit_rules(_user(request)), "只有签发人或管理员可以重新计分。")
    _require(id_in_range(pk), "记录不存在。")
    run = get_object_or_404(RecomputeRun, pk=pk)
    return render(
        request,
        "assessment/recompute_run.html",
        {"run": run, "previewed": run.state == RunState.PREVIEWED},
    )


@login_required
@require_POST
def recompute_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the stored ledger of the run's range (audited)."""
    user = _user(request)
    _require(selectors.can_edit_rules(user), "只有签发人或管理员可以重新计分。")
    _require(id_in_range(pk), "记录不存在。")
    run = get_object_or_404(RecomputeRun, pk=pk)
    try:
        run = services.do_confirm_recompute(actor=user, run=run)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已重新计分：{run.events_count} 条明细。")
    return redirect("assessment:recompute_run", pk=run.pk)


def _target(request: HttpRequest, user: User) -> tuple[Submission | None, Entry | None]:
    """The item named by ?submission= or ?entry= (the submission through its scoped selector)."""
    sid = request.GET.get("submission") or request.POST.get("submission", "")
    eid = request.GET.get("entry") or request.POST.get("entry", "")
    if sid.isdigit() and id_in_range(sid):
        return get_submission(user, int(sid)), None
    if eid.isdigit() and id_in_range(eid):
        entry = get_object_or_404(
            Entry.objects.select_related("issue__series"),
            pk=int(eid),
            issue__state=IssueState.PUBLISHED,
        )
        return None, entry
    raise PermissionDenied("请从稿件或已印发条目的页面进入。")


def _back(submission: Submission | None, entry: Entry | None) -> str:
    if submission is not None:
        return reverse("submissions:detail", args=[submission.pk])
    assert entry is not None
    return reverse("bulletins:detail", args=[entry.issue_id])


@login_required
def adoption_new(request: HttpRequest) -> HttpResponse:
    """Record that an outside outlet adopted one item."""
    user = _user(request)
    _require(selectors.can_manage_scoring(user), "只有信息科可以记录采用情况。")
    submission, entry = _target(request, user)
    form = OutsideAdoptionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fact = OutsideAdoption(
            outlet=data["outlet"],
            level=data["level"],
            form=data["form"],
            date=data["date"],
            outlet_issue=data["outlet_issue"],
            forwarded=data["forwarded"],
            note=data["note"],
        )
        try:
            services.do_record_adoption(
                actor=user,
                adoption=fact,
                submission=submission,
                entry=entry,
                evidence=data["evidence"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request, f"已记录：被《{fact.outlet.strip('《》')}》{fact.outlet_issue}采用。"
            )
            return redirect(_back(submission, entry))
    context = {
        "form": form,
        "submission": submission,
        "entry": entry,
        "back": _back(submission, entry),
    }
    return render(
        request, "assessment/adoption_form.html", context, status=400 if form.errors else 200
    )


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
def instruction_new(request: HttpRequest) -> HttpResponse:
    """Record a leader's instruction (批示) on one item."""
    user = _user(request)
    _require(selectors.can_manage_scoring(user), "只有信息科可以记录批示。")
    submission, entry = _target(request, user)
    form = InstructionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.do_record_instruction(
                actor=user,
                leader_name=data["leader_name"],
                leader_level=data["leader_level"],
                day=data["date"],
                text=data["text"],
                submission=submission,
                entry=entry,
                evidence=data["evidence"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"已记录{data['leader_name']}的批示。")
            return redirect(_back(submission, entry))
    context = {
        "form": form,
        "submission": submission,
        "entry": entry,
        "back": _back(submission, entry),
    }
    return render(
        request, "assessment/instruction_form.html", context, status=400 if form.errors else 200
    )


@login_required
def adoption_issue(request: HttpRequest) -> HttpResponse:
    """Bulk entry for one outside issue: pick the printed items it carried from our issues."""
    user = _user(request)
    _require(selectors.can_manage_scoring(user), "只有信息科可以记录采用情况。")
    query = request.GET.get("q", "").strip()[:50]
    entries = Entry.objects.filter(issue__state=IssueState.PUBLISHED).select_related(
        "issue__series"
    )
    if query:
        entries = entries.filter(
            Q(title__icontains=query) | Q(sources__unit__name__icontains=query)
        ).distinct()
    entries = entries.order_by("-issue__issue_date", "order")[:50]
    form = OutsideIssueForm(request.POST or None)
    if request.method == "POST":
        ids = [i for i in request.POST.getlist("entry") if i.isdigit() and id_in_range(i)][:200]
        picked = {
            e.pk: e for e in Entry.objects.filter(pk__in=ids, issue__state=IssueState.PUBLISHED)
        }
        if form.is_valid():
            data = form.cleaned_data
            fact = OutsideAdoption(
                outlet=data["outlet"],
                level=data["level"],
                form=AdoptionForm.SINGLE,
                date=data["date"],
                outlet_issue=data["outlet_issue"],
                forwarded=data["forwarded"],
            )
            items: list[tuple[Entry | Submission, str]] = [
                (picked[int(i)], _form_of(request, i)) for i in ids if int(i) in picked
            ]
            try:
                count = services.do_record_outside_issue(actor=user, adoption=fact, items=items)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    f"已记录《{fact.outlet.strip('《》')}》{fact.outlet_issue}采用 {len(items)} 条"
                    f"（{count} 个计分单位）。",
                )
                return redirect("assessment:adoption_issue")
    context = {"form": form, "entries": entries, "query": query, "forms": AdoptionForm.choices}
    return render(
        request, "assessment/adoption_issue.html", context, status=400 if form.errors else 200
    )


def _form_of(request: HttpRequest, entry_id: str) -> str:
    value = request.POST.get(f"form-{entry_id}", AdoptionForm.SINGLE)
    return value if value in AdoptionForm.values else AdoptionForm.SINGLE
