"""Pages of the submission desk. Thin: form → service → redirect/render."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.services import do_record_download
from jianbao.accounts.web import add_form_errors, flash_errors, render_partial
from jianbao.assessment.selectors import points_of_submission
from jianbao.bulletins.selectors import printed_entries_of
from jianbao.media import files_discarded_on_error
from jianbao.search.selectors import WORD_FILTER_WINDOW
from jianbao.submissions import selectors, services
from jianbao.submissions.forms import (
    BulkActionForm,
    IdListField,
    InboxFilterForm,
    SubmissionForm,
    TransitionForm,
)
from jianbao.submissions.models import Attachment, PendingUpload, Submission
from jianbao.submissions.policy import (
    available_transitions,
    claims_by_editing,
    held_by_another,
    may_comment,
    may_edit,
)
from jianbao.submissions.services import bulk as bulk_services
from jianbao.submissions.services.docx import WordDraft, read_word_draft
from jianbao.submissions.services.pending import (
    do_attach_pending_uploads,
    do_keep_pending_uploads,
    do_remove_pending_upload,
)
from jianbao.submissions.workflow import State
from jianbao.text.diff import char_diff, diff_stats

PAGE_SIZE = 30


class CountedPaginator(Paginator):
    """A paginator told its count, which the per-state counts already give (saves a COUNT)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills the cached_property


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _tab(base: Any, value: str, label: str, count: int | None, current: str) -> dict[str, Any]:
    query = base.copy()
    if value:
        query["state"] = value
    return {
        "value": value,
        "label": label,
        "count": count,
        "on": current == value,
        "query": query.urlencode(),
    }


def _state_tabs(
    request: HttpRequest,
    counts: dict[str, int],
    states: list[State],
    current: str,
    *,
    views: Sequence[tuple[str, str, int | None]] | None = None,
) -> list[dict[str, Any]]:
    """Links that switch the state filter while keeping the other filters.

    `views` come first (the inbox's 待处理 and 我认领的); without them 「全部」 comes first."""
    base = request.GET.copy()
    base.pop("page", None)
    base.pop("state", None)
    everything = sum(counts.values())
    if views is None:
        tabs = [_tab(base, "", "全部", everything, current)]
    else:
        tabs = [_tab(base, value, label, count, current) for value, label, count in views]
    tabs += [_tab(base, s.value, s.label, counts.get(s, 0), current) for s in states]
    if views is not None:
        tabs.append(_tab(base, selectors.VIEW_ALL, "全部", everything, current))
    return tabs


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


INBOX_VIEWS = (selectors.VIEW_TODO, selectors.VIEW_MINE, selectors.VIEW_ALL)


def _filters(
    form: InboxFilterForm, *, views: tuple[str, ...] = (), default: str | None = None
) -> selectors.InboxFilter:
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    state = data.get("state") or default
    return selectors.InboxFilter(
        unit_id=unit.pk if unit else None,
        kind=data.get("kind") or None,
        state=state if state in State.values or state in views else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        text=(data.get("q") or "").strip() or None,
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The office's incoming items with filters and counts per state."""
    user = _user(request)
    if not user.is_office_staff:
        raise PermissionDenied("只有信息科编辑可以查看收稿箱。")
    form = InboxFilterForm(request.GET)
    filters = _filters(form, views=INBOX_VIEWS, default=selectors.VIEW_TODO)
    filters = replace(filters, claimed_by_id=user.pk)
    states = [s for s in State if s not in selectors.UNIT_PRIVATE_STATES]
    counts = selectors.inbox_state_counts(user, filters)
    total = selectors.inbox_total(user, filters, counts)
    paginator = CountedPaginator(selectors.inbox_page(user, filters), PAGE_SIZE, count=total)
    page = paginator.get_page(request.GET.get("page"))
    current = filters.state or selectors.VIEW_ALL
    views = [
        (selectors.VIEW_TODO, "待处理", sum(counts.get(s, 0) for s in selectors.WORKING_STATES)),
        (selectors.VIEW_MINE, "我认领的", selectors.mine_count(user, filters)),
    ]
    context = {
        "form": form,
        "page": page,
        "tabs": _state_tabs(request, counts, states, current, views=views),
        "current_state": current,
        "page_query": _page_query(request),
        "text_capped": selectors.text_filter_capped(user, filters),
        "window": WORD_FILTER_WINDOW,
        "bulk_form": BulkActionForm(user=user),
    }
    return render_partial(request, "submissions/inbox.html", "results", context)


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """Claim, archive or put in an issue several inbox items at once; one line per item."""
    user = _user(request)
    if not user.is_office_staff:
        raise PermissionDenied("只有信息科编辑可以批量处理稿件。")
    form = BulkActionForm(request.POST, user=user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"批量操作未执行：{error}")
    else:
        data = form.cleaned_data
        try:
            outcomes = bulk_services.do_bulk_action(
                actor=user,
                submission_ids=data["ids"],
                action=data["action"],
                reason=data["reason"] or "",
                issue=data["issue"],
            )
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
        else:
            _report_outcomes(request, outcomes)
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if safe and target else reverse("submissions:inbox"))


def _report_outcomes(request: HttpRequest, outcomes: list[bulk_services.BulkOutcome]) -> None:
    done = sum(o.ok for o in outcomes)
    summary = f"批量操作完成：成功 {done} 篇，未成功 {len(outcomes) - done} 篇。"
    messages.add_message(request, messages.SUCCESS if done else messages.ERROR, summary)
    for o in outcomes:
        level = messages.SUCCESS if o.ok else messages.ERROR
        messages.add_message(request, level, f"「{o.label}」：{o.message}")


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    """The items of the user's unit, with their states."""
    user = _user(request)
    if user.unit_id is None or not (user.is_reporter or user.is_unit_approver):
        raise PermissionDenied("只有单位信息员和审核人可以查看本单位稿件。")
    form = InboxFilterForm(request.GET)
    filters = _filters(form)
    qs = selectors.unit_submissions(user, filters)
    counts = selectors.unit_state_counts(user)
    context = {
        "form": form,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "tabs": _state_tabs(request, counts, list(State), filters.state or ""),
        "current_state": filters.state or "",
        "page_query": _page_query(request),
        "awaiting": list(selectors.awaiting_approval(user)[:50]),
    }
    return render_partial(request, "submissions/unit_list.html", "results", context)


def _apply_docx(form: SubmissionForm, *, previewed: bool) -> tuple[str, str, WordDraft | None]:
    """Title and body from the Word file where the form left them empty; its trailing source
    line credits the units it names (instead of staying in the body). After a preview the form
    already holds what the reporter checked, so only the file is read again for its limits."""
    title, body = form.cleaned_data["title"], form.cleaned_data["body"]
    upload = form.cleaned_data.get("docx")
    if upload is None:
        return title, body, None
    draft = read_word_draft(upload, name=upload.name or "")
    if previewed:
        return title, body, None
    title, body = title or draft.title, body or draft.body
    if draft.units:
        chosen = list(form.cleaned_data.get("source_units") or [])
        form.cleaned_data["source_units"] = list(dict.fromkeys([*chosen, *draft.units]))
    return title, body, draft


def _pending_ids(request: HttpRequest) -> list[int]:
    """The ids of the kept files the form lists (「已选择：…」)."""
    try:
        return IdListField(required=False).clean(request.POST.getlist("pending"))
    except ValidationError:
        return []


def _attach_all(
    submission: Submission, user: User, form: SubmissionForm, pending_ids: list[int]
) -> None:
    uploads = list(form.cleaned_data.get("attachments") or [])
    if form.cleaned_data.get("docx") is not None:
        uploads.insert(0, form.cleaned_data["docx"])
    for upload in uploads:
        services.do_add_attachment(submission=submission, actor=user, uploaded=upload)
    kept = selectors.pending_uploads_of(user, pending_ids)
    if len(kept) != len(set(pending_ids)):
        raise ValidationError(
            {"attachments": "有已选择的附件已失效（超过 24 小时或已移除），请重新选择后再保存。"}
        )
    do_attach_pending_uploads(submission=submission, actor=user, pending=kept)


def _fill_from_word(form: SubmissionForm, request: HttpRequest, draft: WordDraft) -> None:
    """Show the Word file's text in the re-shown form where the reporter left the fields empty."""
    data = request.POST.copy()
    if not data.get("title"):
        data["title"] = draft.title
    if not data.get("body"):
        data["body"] = draft.body
    chosen = data.getlist("source_units")
    data.setlist("source_units", list(dict.fromkeys([*chosen, *(str(u.pk) for u in draft.units)])))
    form.data = data


def _keep_chosen_files(
    request: HttpRequest,
    user: User,
    form: SubmissionForm,
    *,
    draft: WordDraft | None = None,
    read_word: bool = False,
) -> list[PendingUpload]:
    """A form shown again with an error: the browser forgets the files it had, so they are
    kept for the user (「已选择：…」) and attached when the form is saved. With `read_word`
    (a new item), a Word file not yet previewed fills the fields the reporter left empty."""
    kept = selectors.pending_uploads_of(user, _pending_ids(request))
    word = request.FILES.get("docx")
    if word is not None and not form.has_error("docx"):
        if read_word and draft is None and not request.POST.get("word_previewed"):
            try:
                draft = read_word_draft(word, name=word.name or "")
            except ValidationError as error:
                add_form_errors(request, form, error)
                word = None
        if word is not None:
            if draft is not None:
                _fill_from_word(form, request, draft)
            stored, refused = do_keep_pending_uploads(owner=user, uploads=[word], from_word=True)
            kept = stored + kept
            _add_new_errors(form, "docx", refused)
    stored, refused = do_keep_pending_uploads(
        owner=user, uploads=request.FILES.getlist("attachments")
    )
    _add_new_errors(form, "attachments", refused)
    return kept + stored


def _add_new_errors(form: SubmissionForm, field: str, messages_: list[str]) -> None:
    shown = set(form.errors.get(field, []))
    for message in messages_:
        if message not in shown:
            form.add_error(field, message)


@login_required
@require_POST
def word_preview(request: HttpRequest) -> HttpResponse:
    """Read a chosen .docx into the form's title, body and source units (nothing is saved):
    the same limits and the same isolated parsing as the save."""
    user = _user(request)
    if not (user.is_reporter or user.is_office_staff):
        raise PermissionDenied("只有信息员和编辑可以读取 Word 文件。")
    upload = request.FILES.get("docx")
    context: dict[str, Any] = {"name": upload.name if upload else ""}
    try:
        if upload is None:
            raise ValidationError({"docx": "请选择一个 .docx 文件。"})
        services.checked_attachment_name(upload)  # the file is saved with the item later
        draft = read_word_draft(upload, name=upload.name or "")
    except ValidationError as error:
        context["errors"] = error.messages
        return render(request, "submissions/_word_preview.html", context, status=422)
    chosen = [int(v) for v in request.POST.getlist("source_units") if v.isdigit()]
    form = SubmissionForm(
        initial={
            "title": draft.title,
            "body": draft.body,
            "source_units": list(dict.fromkeys([*chosen, *(u.pk for u in draft.units)])),
        }
    )
    for field in ("title", "body", "source_units"):
        form.fields[field].widget.attrs["hx-swap-oob"] = "true"
    typed = (request.POST.get("title", "").strip(), request.POST.get("body", "").strip())
    context |= {
        "form": form,
        "draft": draft,
        "replaced": any(typed) and typed != (draft.title, draft.body),
        "unknown_source": bool(draft.source_raw) and not draft.units,
    }
    return render(request, "submissions/_word_preview.html", context)


@login_required
@require_POST
def remove_pending(request: HttpRequest, pk: int) -> HttpResponse:
    """「移除」 a kept file from the form before it is saved (only one's own: others get 404)."""
    user = _user(request)
    pending = selectors.get_pending_upload(user, pk)
    do_remove_pending_upload(pending=pending, actor=user)
    return HttpResponse("")


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Write a new item as a draft (optionally read from a Word file)."""
    user = _user(request)
    if not user.is_reporter or user.unit is None:
        raise PermissionDenied("只有所属单位的信息员可以撰写稿件。")
    form = SubmissionForm(
        request.POST or None, request.FILES or None, initial={"source_units": [user.unit]}
    )
    context: dict[str, Any] = {"form": form, "creating": True}
    if request.method != "POST":
        return render(request, "submissions/form.html", context)
    draft = None
    if form.is_valid():
        try:
            previewed = bool(request.POST.get("word_previewed"))
            title, body, draft = _apply_docx(form, previewed=previewed)
            # The item and its files are saved together or not at all.
            with files_discarded_on_error(), transaction.atomic():
                submission = _create_with_files(user, form, title, body, _pending_ids(request))
        except ValidationError as error:
            add_form_errors(request, form, error)
        else:
            if request.POST.get("then") == "submit":
                return _transition_and_redirect(request, submission, "submit")
            messages.success(request, "草稿已保存。")
            return redirect("submissions:detail", pk=submission.pk)
    context["pending_uploads"] = _keep_chosen_files(
        request, user, form, draft=draft, read_word=True
    )
    return render(request, "submissions/form.html", context)


def _create_with_files(
    user: User, form: SubmissionForm, title: str, body: str, pending_ids: list[int]
) -> Submission:
    submission = services.do_create_submission(
        author=user,
        title=title,
        body=body,
        kind=form.cleaned_data["kind"],
        urgency=form.cleaned_data["urgency"],
        contact=form.cleaned_data["contact"],
        source_units=form.cleaned_data["source_units"],
    )
    _attach_all(submission, user, form, pending_ids)
    return submission


def _transition_and_redirect(
    request: HttpRequest, submission: Submission, action: str
) -> HttpResponse:
    try:
        services.do_transition(submission=submission, action=action, actor=_user(request))
        messages.success(request, "操作成功。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("submissions:detail", pk=submission.pk)


def _last_reason(submission: Submission) -> Any:
    """The decision that sent the item back, shown on top while it waits for the reporter."""
    if submission.state not in {State.RETURNED, State.SENT_BACK, State.ARCHIVED, State.DRAFT}:
        return None
    return (
        submission.decisions.exclude(reason="")
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )


def _detail_context(user: User, submission: Submission) -> dict[str, Any]:
    revisions = list(submission.revisions.select_related("author"))
    older, newer = (revisions[0], revisions[-1]) if revisions else (None, None)
    return {
        "submission": submission,
        "transitions": available_transitions(user, submission),
        "decisions": submission.decisions.select_related("actor"),
        "revisions": revisions,
        "attachments": submission.attachments.all(),
        "source_units": submission.source_units.all(),
        "can_edit": may_edit(user, submission) or claims_by_editing(user, submission),
        "claims_on_save": claims_by_editing(user, submission),
        "held_by_another": held_by_another(user, submission),
        "last_reason": _last_reason(submission),
        "may_comment": may_comment(user, submission),
        "comments": selectors.comments_of(user, submission),
        "compare": _compare_context(older, newer) if older and newer and older != newer else None,
    }


def _result_context(user: User, submission: Submission) -> dict[str, Any] | None:
    """For a printed item: the issue that printed it, its printed text against what the unit
    submitted, and the points it earned."""
    if submission.state != State.PUBLISHED:
        return None
    printed = printed_entries_of(user, submission)
    if not printed:
        return None
    entry = printed[0]
    submitted = submission.revisions.filter(by_office=False).order_by("-number").first()
    title, body = (submitted.title, submitted.body) if submitted else ("", "")
    return {
        "issue": entry.issue,
        "entry": entry,
        "diff": _compare_context(_Text(title, body), _Text(entry.title, entry.body)),
        "points": points_of_submission(user=user, submission=submission),
    }


@dataclass(frozen=True)
class _Text:
    title: str
    body: str


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item: its text, state, history, revisions and the actions the user may take."""
    user = _user(request)
    submission = selectors.get_submission(user, pk)
    context = _detail_context(user, submission) | {"result": _result_context(user, submission)}
    if context["can_edit"]:
        context["form"] = _form_for(submission)
    return render(request, "submissions/detail.html", context)


@login_required
@require_POST
def post_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a message to the item's thread between the unit and the office."""
    user = _user(request)
    submission = selectors.get_submission(user, pk)
    try:
        services.do_post_comment(
            submission=submission, author=user, body=request.POST.get("body", "")
        )
        messages.success(request, "留言已发送。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect(reverse("submissions:detail", args=[submission.pk]) + "#comments")


def _form_for(submission: Submission, data: Any = None, files: Any = None) -> SubmissionForm:
    initial = {
        "title": submission.title,
        "body": submission.body,
        "kind": submission.kind,
        "urgency": submission.urgency,
        "contact": submission.contact,
        "source_units": list(submission.source_units.all()),
        "version": submission.version,
    }
    return SubmissionForm(data, files, initial=initial)


def _update_with_files(
    user: User, submission: Submission, form: SubmissionForm, pending_ids: list[int]
) -> Submission:
    data = form.cleaned_data
    submission = services.do_update_submission(
        submission=submission,
        actor=user,
        expected_version=data["version"] or 0,
        title=data["title"],
        body=data["body"],
        kind=data["kind"],
        urgency=data["urgency"],
        contact=data["contact"],
        source_units=data["source_units"],
    )
    _attach_all(submission, user, form, pending_ids)
    return submission


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save new text; a stale save is refused with 409 and the refused text stays in the form."""
    user = _user(request)
    submission = selectors.get_submission(user, pk)
    form = _form_for(submission, request.POST, request.FILES)
    status = 200
    if form.is_valid():
        try:
            with files_discarded_on_error(), transaction.atomic():
                submission = _update_with_files(user, submission, form, _pending_ids(request))
        except services.StaleVersionError as error:
            form.add_error(None, str(error))
            submission, status = error.record, 409
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
            status = 400
        else:
            messages.success(request, "已保存。")
            return redirect("submissions:detail", pk=submission.pk)
    else:
        status = 400
    context = _detail_context(user, submission) | {
        "form": form,
        "can_edit": True,
        "conflict": status == 409,
        "pending_uploads": _keep_chosen_files(request, user, form),
    }
    return render(request, "submissions/detail.html", context, status=status)


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Perform one workflow action on an item."""
    user = _user(request)
    submission = selectors.get_submission(user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求不完整，请重试。")
        return redirect("submissions:detail", pk=pk)
    try:
        services.do_transition(
            submission=submission,
            action=form.cleaned_data["action"],
            actor=user,
            reason=form.cleaned_data["reason"] or "",
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, "操作成功。")
    except (services.StaleVersionError, ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("submissions:detail", pk=pk)


def _compare_context(older: Any, newer: Any) -> dict[str, Any]:
    title_ops = char_diff(older.title, newer.title)
    body_ops = char_diff(older.body, newer.body)
    inserted, deleted = diff_stats(title_ops + body_ops)
    return {
        "a": older,
        "b": newer,
        "title_ops": title_ops,
        "body_ops": body_ops,
        "inserted": inserted,
        "deleted": deleted,
    }


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two revisions of an item compared character by character."""
    submission = selectors.get_submission(_user(request), pk)
    revisions = {r.number: r for r in submission.revisions.select_related("author")}
    try:
        older, newer = revisions[int(request.GET["a"])], revisions[int(request.GET["b"])]
    except (KeyError, ValueError):
        raise Http404("没有这两个版本。") from None
    context = {
        "submission": submission,
        "revisions": list(revisions.values()),
        "compare": _compare_context(older, newer),
    }
    return render_partial(request, "submissions/compare.html", "diff", context)


@login_required
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Download an attachment of an item the user may read."""
    submission = selectors.get_submission(_user(request), pk)
    item = get_object_or_404(Attachment, pk=attachment_pk, submission=submission)
    do_record_download(
        actor=_user(request),
        kind="attachment",
        object_type="submission",
        object_id=submission.pk,
        file_name=item.original_name,
    )
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


@login_required
@require_POST
def remove_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Remove an attachment from an item the user may edit."""
    submission = selectors.get_submission(_user(request), pk)
    item = get_object_or_404(Attachment, pk=attachment_pk, submission=submission)
    try:
        services.do_remove_attachment(attachment=item, actor=_user(request))
        messages.success(request, f"已删除附件「{item.original_name}」。")
    except PermissionDenied as error:
        flash_errors(request, error)
    return redirect("submissions:detail", pk=pk)
