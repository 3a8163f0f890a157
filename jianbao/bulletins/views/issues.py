"""Issue pages: list per series and year, open a new issue, the editor, the reading page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.bulletins import selectors, services
from jianbao.bulletins.forms import (
    CorrectionForm,
    EntryForm,
    FooterForm,
    HeaderForm,
    IssueCreateForm,
    IssueTransitionForm,
    split_lines,
    split_names,
)
from jianbao.bulletins.models import Entry, Issue
from jianbao.bulletins.policy import (
    available_issue_transitions,
    may_edit_issues,
    may_read_issues,
)
from jianbao.bulletins.views.common import (
    add_form_errors,
    flash_errors,
    render_partial,
    require_office,
    user_of,
)
from jianbao.bulletins.workflow import EDITABLE_STATES, IssueState
from jianbao.distribution.services import do_record_read
from jianbao.instructions.selectors import may_record as may_record_instruction


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def issue_list(request: HttpRequest) -> HttpResponse:
    """The issues of one series, optionally of one year, newest first."""
    user = user_of(request)
    if not may_read_issues(user):
        raise PermissionDenied("您无权查看期刊。")
    series_list = list(selectors.series_visible_to(user))
    wanted = _int(request.GET.get("series"))
    series = next((s for s in series_list if s.pk == wanted), None) or next(iter(series_list), None)
    year = _int(request.GET.get("year"))
    context: dict[str, Any] = {"series_list": series_list, "series": series, "year": year}
    if series is not None:
        issues = selectors.issues_of_series(user, series, year).annotate(n_entries=Count("entries"))
        context |= {
            "issues": issues,
            "years": selectors.years_of_series(user, series),
            "proposed": services.proposed_number(series, year or timezone.localdate().year),
            "can_edit": may_edit_issues(user),
        }
    return render_partial(request, "bulletins/issue_list.html", "issues", context)


@login_required
def issue_create(request: HttpRequest) -> HttpResponse:
    """Open a new issue; the next free number is proposed."""
    user = user_of(request)
    require_office(user)
    series_id = _int(request.GET.get("series"))
    initial = {"series": series_id, "issue_date": timezone.localdate()}
    form = IssueCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.do_create_issue(
                series=form.cleaned_data["series"],
                actor=user,
                issue_date=form.cleaned_data["issue_date"],
                number=form.cleaned_data["number"],
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, f"已新建{issue}。")
            return redirect("bulletins:detail", pk=issue.pk)
    series = selectors.series_visible_to(user).filter(pk=series_id).first() if series_id else None
    proposed = services.proposed_number(series, timezone.localdate().year) if series else None
    context = {"form": form, "series": series, "proposed": proposed}
    return render(request, "bulletins/issue_create.html", context)


def _header_initial(issue: Issue) -> dict[str, Any]:
    return {
        "number": issue.number,
        "total_number": issue.total_number,
        "issue_date": issue.issue_date,
        "marks": "\n".join(issue.marks),
        "editor_note": issue.editor_note,
        "version": issue.version,
    }


def _footer_initial(issue: Issue) -> dict[str, Any]:
    return {
        "report_to": issue.report_to,
        "send_to": issue.send_to,
        "distribute_to": issue.distribute_to,
        "extra_to": issue.extra_to,
        "editors": " ".join(issue.editors),
        "copies": issue.copies,
        "version": issue.version,
    }


def entry_rows(entries: list[Entry]) -> list[dict[str, Any]]:
    """Each entry with the source line it prints and the units it credits."""
    rows = []
    for entry in entries:
        _units, line = selectors.printed_source(entry)
        credited = list(dict.fromkeys(s.unit.name for s in entry.sources.all()))
        submissions = list(
            {s.submission_id: s.submission for s in entry.sources.all() if s.submission}.values()
        )
        rows.append(
            {
                "entry": entry,
                "source_text": line or "",
                "credited": credited,
                "submissions": [s for s in submissions if s is not None],
                "paragraphs": entry.body.split("\n"),
            }
        )
    return rows


def editor_context(user: User, issue: Issue, **extra: Any) -> dict[str, Any]:
    """Everything the issue editor page shows."""
    entries = selectors.entries_of(issue)
    editable = issue.state in EDITABLE_STATES and may_edit_issues(user)
    return {
        "issue": issue,
        "rows": entry_rows(entries),
        "editable": editable,
        "transitions": available_issue_transitions(user, issue),
        "header_form": HeaderForm(initial=_header_initial(issue)),
        "footer_form": FooterForm(initial=_footer_initial(issue)),
        "entry_form": EntryForm(),
        "adoptable": list(selectors.adoptable_submissions(user)[:100]) if editable else [],
        "files": selectors.issue_files(issue),
        "editions": list(selectors.editions_of(user, issue)),
        "correction_form": CorrectionForm(),
        "voided": issue.state == IssueState.VOIDED,
    } | extra


@login_required
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The office edits the issue here; everyone else reads it."""
    user = user_of(request)
    issue = selectors.get_issue(user, pk)
    if not may_edit_issues(user):
        return redirect("bulletins:read", pk=issue.pk)
    return render(request, "bulletins/issue_editor.html", editor_context(user, issue))


@login_required
def issue_read(request: HttpRequest, pk: int) -> HttpResponse:
    """The issue as printed (the HTML rendering), with downloads and other editions."""
    user = user_of(request)
    issue = selectors.get_issue(user, pk)
    context = {
        "issue": issue,
        # Distribution: a recipient's first opening is recorded; the page offers 签收.
        "receipt": do_record_read(issue=issue, user=user),
        "files": selectors.issue_files(issue),
        "editions": list(selectors.editions_of(user, issue)),
        "can_edit": may_edit_issues(user),
        # 批示: a leader (or the office, for one on paper) records an instruction on an entry.
        "instruction_entries": (
            selectors.entries_of(issue)
            if issue.state == IssueState.PUBLISHED and may_record_instruction(user)
            else []
        ),
    }
    return render(request, "bulletins/issue_read.html", context)


@login_required
@require_POST
def issue_header(request: HttpRequest, pk: int) -> HttpResponse:
    """Save number, date, marks and 编者按 of a draft."""
    user = user_of(request)
    require_office(user)
    issue = selectors.get_issue(user, pk)

    def save(data: dict[str, Any]) -> None:
        services.do_update_issue(
            issue=issue,
            actor=user,
            expected_version=data["version"],
            number=data["number"],
            total_number=data["total_number"],
            issue_date=data["issue_date"],
            marks=split_lines(data["marks"]),
            editor_note=data["editor_note"],
        )

    return _save_issue_form(request, issue, HeaderForm(request.POST), "header_form", save)


@login_required
@require_POST
def issue_footer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the 报尾 of a draft."""
    user = user_of(request)
    require_office(user)
    issue = selectors.get_issue(user, pk)

    def save(data: dict[str, Any]) -> None:
        services.do_update_footer(
            issue=issue,
            actor=user,
            expected_version=data["version"],
            report_to=data["report_to"],
            send_to=data["send_to"],
            distribute_to=data["distribute_to"],
            extra_to=data["extra_to"],
            editors=split_names(data["editors"]),
            copies=data["copies"],
        )

    return _save_issue_form(request, issue, FooterForm(request.POST), "footer_form", save)


def _save_issue_form(
    request: HttpRequest,
    issue: Issue,
    form: HeaderForm | FooterForm,
    name: str,
    save: Callable[[dict[str, Any]], None],
) -> HttpResponse:
    """Save through the service; on failure the refused text stays in the form (409 if stale)."""
    status = 400
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except services.StaleIssueError as error:
            # Re-bound with the current version: saving again deliberately overwrites.
            data = request.POST.copy()
            data["version"] = str(error.current_version)
            form = type(form)(data)
            form.is_valid()
            form.add_error(None, str(error))
            status = 409
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("bulletins:detail", pk=issue.pk)
    user = user_of(request)
    current = selectors.get_issue(user, issue.pk)
    if current.state not in EDITABLE_STATES:
        # The page shows no form for a frozen issue: say why in the messages instead.
        for message in form.non_field_errors() or ["本期当前不能修改。"]:
            messages.error(request, str(message))
    context = editor_context(user, current, **{name: form})
    return render(request, "bulletins/issue_editor.html", context, status=status)


@login_required
@require_POST
def issue_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Proof, back to draft, sign, unsign, publish or void."""
    user = user_of(request)
    require_office(user)
    issue = selectors.get_issue(user, pk)
    form = IssueTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求不完整，请重试。")
        return redirect("bulletins:detail", pk=pk)
    # Imported here: the signing views build on this module (entry_rows).
    from jianbao.bulletins.views.signing import intercept_transition  # noqa: PLC0415

    if (stop := intercept_transition(request, issue, form)) is not None:
        return stop
    try:
        issue = services.do_transition_issue(
            issue=issue,
            action=form.cleaned_data["action"],
            actor=user,
            reason=form.cleaned_data["reason"] or "",
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, f"操作成功，本期现为「{issue.get_state_display()}」。")
    except (ValidationError, PermissionDenied, services.StaleIssueError) as error:
        flash_errors(request, error)
    return redirect("bulletins:detail", pk=pk)


@login_required
@require_POST
def issue_correction(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a correction edition of a published issue."""
    user = user_of(request)
    require_office(user)
    issue = selectors.get_issue(user, pk)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写更正说明。")
        return redirect("bulletins:detail", pk=pk)
    try:
        correction = services.do_start_correction(
            issue=issue, actor=user, notice=form.cleaned_data["notice"]
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        return redirect("bulletins:detail", pk=pk)
    messages.success(request, "已建立更正版，原版文件保留。")
    return redirect("bulletins:detail", pk=correction.pk)
