"""Entry actions on the issue editor: add adopted submissions, merge, write, edit, order, remove."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from jianbao.accounts.web import refusal_messages
from jianbao.bulletins import selectors, services
from jianbao.bulletins.forms import EntryForm, EntryOrderForm, MergeForm, SubmissionPickForm
from jianbao.bulletins.models import Entry, Issue
from jianbao.bulletins.services.common import require_editable
from jianbao.bulletins.views.common import (
    add_form_errors,
    flash_errors,
    is_htmx,
    require_office,
    user_of,
)
from jianbao.bulletins.views.issues import editor_context, entry_rows
from jianbao.submissions.models import Submission

EDITOR = "bulletins/issue_editor.html"


def _office_issue(request: HttpRequest, pk: int) -> Issue:
    user = user_of(request)
    require_office(user)
    return selectors.get_issue(user, pk)


def _office_entry(request: HttpRequest, pk: int, entry_pk: int) -> tuple[Issue, Entry]:
    issue = _office_issue(request, pk)
    return issue, get_object_or_404(Entry, pk=entry_pk, issue=issue)


def _picked(request: HttpRequest) -> tuple[SubmissionPickForm, list[Submission]]:
    """The chosen adoptable submissions, oldest report first (the order a 综合 item reads)."""
    available = list(selectors.adoptable_submissions(user_of(request)))
    form = SubmissionPickForm(request.POST, ids=[s.pk for s in available])
    if not form.is_valid():
        return form, []
    chosen = set(form.cleaned_data["submissions"])
    picked = [s for s in available if s.pk in chosen]
    return form, sorted(picked, key=lambda s: (s.submitted_at is None, s.submitted_at, s.pk))


@login_required
@require_POST
def add_submissions(request: HttpRequest, pk: int) -> HttpResponse:
    """Each chosen adopted submission becomes one entry."""
    issue = _office_issue(request, pk)
    _form, chosen = _picked(request)
    if not chosen:
        messages.error(request, "请勾选要编入的稿件（须为已采用、尚未编入其他期的稿件）。")
        return redirect("bulletins:detail", pk=pk)
    try:
        entries = services.do_add_submissions(
            issue=issue, actor=user_of(request), submissions=chosen
        )
        messages.success(request, f"已编入 {len(entries)} 条。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("bulletins:detail", pk=pk)


def _sources(request: HttpRequest, ids: list[int]) -> list[Submission]:
    """The adoptable submissions among `ids`, oldest report first (the order a 综合 item reads)."""
    wanted = set(ids)
    picked = [s for s in selectors.adoptable_submissions(user_of(request)) if s.pk in wanted]
    return sorted(picked, key=lambda s: (s.submitted_at is None, s.submitted_at, s.pk))


def _source_rows(sources: list[Submission]) -> list[dict[str, Any]]:
    """Each source for the merge editor: its credited units, title and paragraphs."""
    return [
        {
            "submission": item,
            "units": [unit.name for unit in selectors.credited_units(item)],
            "paragraphs": item.body.split("\n"),
        }
        for item in sources
    ]


def _merge_editor(
    request: HttpRequest, issue: Issue, sources: list[Submission], form: MergeForm, status: int
) -> HttpResponse:
    rows = _source_rows(sources)
    credited = list(dict.fromkeys(name for row in rows for name in row["units"]))
    context = {"issue": issue, "rows": rows, "form": form, "credited": credited}
    return render(request, "bulletins/merge_editor.html", context, status=status)


@login_required
def merge_editor(request: HttpRequest, pk: int) -> HttpResponse:
    """The merge editor: the chosen sources side by side, a form prefilled with a start."""
    issue = _office_issue(request, pk)
    try:
        require_editable(issue)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("bulletins:detail", pk=issue.pk)
    ids = [int(v) for v in request.GET.getlist("submissions") if v.isdigit() and len(v) < 12]
    sources = _sources(request, ids)
    if len(sources) < 2:
        messages.error(request, "综合采用至少需要两篇已采用、尚未编入其他期的稿件。")
        return redirect("bulletins:detail", pk=issue.pk)
    initial = {
        "submissions": [s.pk for s in sources],
        "title": request.GET.get("title", "")[:200] or sources[0].title,
        "body": "\n".join(item.body for item in sources),
        "print_sources": request.GET.get("print_sources") == "on",
    }
    form = MergeForm(initial=initial, ids=[s.pk for s in sources])
    return _merge_editor(request, issue, sources, form, 200)


@login_required
@require_POST
def merge_submissions(request: HttpRequest, pk: int) -> HttpResponse:
    """综合采用: save the merged item with the editor's title and text (or open the editor)."""
    issue = _office_issue(request, pk)
    if request.POST.get("open_editor"):
        # The side panel's choice, carried to the editor page (POST → redirect → GET).
        _form, chosen = _picked(request)
        if len(chosen) < 2:
            messages.error(request, "请至少勾选两篇稿件再综合采用。")
            return redirect("bulletins:detail", pk=pk)
        query = [("submissions", str(s.pk)) for s in chosen]
        if title := request.POST.get("title", "").strip():
            query.append(("title", title[:200]))
        if request.POST.get("print_sources"):
            query.append(("print_sources", "on"))
        return redirect(f"{reverse('bulletins:merge_editor', args=[pk])}?{urlencode(query)}")
    available = [s.pk for s in selectors.adoptable_submissions(user_of(request))]
    form = MergeForm(request.POST, ids=available)
    chosen = _sources(request, form.cleaned_data["submissions"]) if form.is_valid() else []
    if form.is_valid():
        if request.POST.get("from_editor") and not form.cleaned_data["body"].strip():
            form.add_error("body", "请填写综合后的正文。")
        else:
            try:
                entry = services.do_merge_submissions_into_entry(
                    issue=issue,
                    actor=user_of(request),
                    submissions=chosen,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    section=form.cleaned_data["section"],
                    print_sources=form.cleaned_data["print_sources"],
                )
            except (ValidationError, PermissionDenied) as error:
                if not request.POST.get("from_editor"):
                    flash_errors(request, error)
                    return redirect("bulletins:detail", pk=pk)
                add_form_errors(request, form, error)
            else:
                messages.success(request, f"已综合为一条「{entry.title}」。")
                return redirect(f"{reverse('bulletins:detail', args=[pk])}#entry-{entry.pk}")
    if not request.POST.get("from_editor") or len(chosen) < 2:
        messages.error(request, "请至少勾选两篇已采用、尚未编入其他期的稿件。")
        return redirect("bulletins:detail", pk=pk)
    return _merge_editor(request, issue, chosen, form, 400)


@login_required
@require_POST
def create_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """An entry written by the office."""
    issue = _office_issue(request, pk)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            services.do_create_entry(
                issue=issue,
                actor=user_of(request),
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                section=form.cleaned_data["section"],
                source_line=form.source_value(),
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, "已添加条目。")
            return redirect("bulletins:detail", pk=pk)
    context = editor_context(user_of(request), issue, entry_form=form)
    return render(request, EDITOR, context, status=400)


def _entry_form(entry: Entry, data: Any = None) -> EntryForm:
    mode = "auto" if entry.source_line is None else "custom" if entry.source_line else "none"
    initial = {
        "kind": entry.kind,
        "section": entry.section,
        "title": entry.title,
        "body": entry.body,
        "source_mode": mode,
        "source_line": entry.source_line or "",
        "version": entry.version,
    }
    return EntryForm(data, initial=initial)


def _entry_response(
    request: HttpRequest, issue: Issue, entry: Entry, form: EntryForm | None, status: int = 200
) -> HttpResponse:
    """The entry alone for htmx (as text, or as a form), the whole editor otherwise."""
    fresh = next(e for e in selectors.entries_of(issue) if e.pk == entry.pk)
    row = entry_rows([fresh])[0]
    context = {"issue": issue, "row": row, "editable": True, "form": form}
    if is_htmx(request):
        partial = "entry_form" if form is not None else "entry"
        return render(request, f"{EDITOR}#{partial}", context, status=status)
    full = editor_context(user_of(request), issue, editing=entry.pk, edit_form=form)
    return render(request, EDITOR, full, status=status)


@login_required
def edit_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Edit the printed text inline; a stale save is refused with 409 and the text kept."""
    issue, entry = _office_entry(request, pk, entry_pk)
    if request.method != "POST":
        return _entry_response(request, issue, entry, _entry_form(entry))
    if request.POST.get("cancel"):
        return _entry_response(request, issue, entry, None)
    form = _entry_form(entry, request.POST)
    status = _save_entry(request, entry, form) if form.is_valid() else 400
    if status != 200:
        return _entry_response(request, issue, entry, form, status)
    if not is_htmx(request):
        messages.success(request, "条目已保存。")
        return redirect("bulletins:detail", pk=pk)
    return _entry_response(request, issue, entry, None)


def _save_entry(request: HttpRequest, entry: Entry, form: EntryForm) -> int:
    """Save through the service; the HTTP status, with the errors put on the form."""
    try:
        services.do_update_entry(
            entry=entry,
            actor=user_of(request),
            expected_version=form.cleaned_data["version"] or 0,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            section=form.cleaned_data["section"],
            source_line=form.source_value(),
        )
    except services.StaleIssueError as error:
        form.add_error(None, str(error))
        return 409
    except (ValidationError, PermissionDenied) as error:
        add_form_errors(request, form, error)
        return 400
    return 200


@login_required
@require_POST
def move_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Move an entry one place up or down."""
    issue, entry = _office_entry(request, pk, entry_pk)
    ids = list(issue.entries.values_list("pk", flat=True))
    index = ids.index(entry.pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    if 0 <= index + step < len(ids):
        ids[index], ids[index + step] = ids[index + step], ids[index]
        try:
            services.do_reorder_entries(issue=issue, actor=user_of(request), entry_ids=ids)
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
    if is_htmx(request):
        context = editor_context(user_of(request), issue)
        return render(request, f"{EDITOR}#entries", context)
    return redirect("bulletins:detail", pk=pk)


@login_required
@require_POST
def reorder_entries(request: HttpRequest, pk: int) -> HttpResponse:
    """A dropped entry (drag and drop): the whole new order in one request, saved at once."""
    issue = _office_issue(request, pk)
    form = EntryOrderForm(request.POST)
    error, status = "", 200
    if not form.is_valid():
        error, status = "排序数据无效，请刷新页面后重试。", 400
    else:
        try:
            services.do_reorder_entries(
                issue=issue,
                actor=user_of(request),
                entry_ids=form.cleaned_data["order"],
                expected_version=form.cleaned_data["version"],
                expected_order=form.cleaned_data["before"],
                via="drag",
            )
        except services.StaleIssueError as stale:
            error, status = f"{stale}现显示最新顺序。", 409
        except (ValidationError, PermissionDenied) as refused:
            error, status = "；".join(refusal_messages(request, refused)), 400
    if is_htmx(request):
        user = user_of(request)
        context = editor_context(
            user, selectors.get_issue(user, pk), order_error=error, order_saved=not error
        )
        return render(request, f"{EDITOR}#entries", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "已保存新的顺序。")
    return redirect("bulletins:detail", pk=pk)


@login_required
@require_POST
def remove_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Take an entry out; its submissions become available for another issue."""
    _issue, entry = _office_entry(request, pk, entry_pk)
    try:
        services.do_remove_entry(entry=entry, actor=user_of(request))
        messages.success(request, f"已移除「{entry}」。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("bulletins:detail", pk=pk)
