"""Pages of the archive import (信息科 only). Thin: form → service → redirect/render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.selectors import active_units
from jianbao.accounts.services import do_record_download
from jianbao.archive import selectors, services
from jianbao.archive.forms import (
    CancelForm,
    MastheadForm,
    SkipForm,
    UnitChoiceForm,
    UploadForm,
    entries_from_post,
)
from jianbao.archive.models import (
    CANCELLABLE_STATES,
    RESUMABLE_STATES,
    REVIEWABLE_STATES,
    BatchState,
    ImportBatch,
    ImportItem,
)
from jianbao.archive.policy import require_importer
from jianbao.bulletins.models import EntryKind
from jianbao.bulletins.views.common import add_form_errors, flash_errors


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    require_importer(user)
    return user


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    """Past batches and the upload form."""
    user = _user(request)
    page = Paginator(selectors.batches_visible_to(user), 30).get_page(request.GET.get("page"))
    return render(request, "archive/batch_list.html", {"page": page, "form": UploadForm()})


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Store the uploaded files as a new batch; many are parsed in the background."""
    user = _user(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        page = Paginator(selectors.batches_visible_to(user), 30).get_page(1)
        context = {"page": page, "form": form}
        return render(request, "archive/batch_list.html", context, status=400)
    files = [(f.name or "未命名", f) for f in form.cleaned_data["uploads"]]
    batch = services.do_upload_files(actor=user, files=files)
    messages.success(request, f"已上传 {len(files)} 个文件。")
    return redirect("archive:batch", pk=batch.pk)


def _batch_context(batch: ImportBatch) -> dict[str, Any]:
    counts = selectors.state_counts(batch)
    total = batch.total or 1
    return {
        "batch": batch,
        "counts": counts,
        "running": batch.state in (BatchState.PENDING, BatchState.RUNNING),
        "resumable": batch.state in RESUMABLE_STATES,
        "cancellable": batch.state in CANCELLABLE_STATES,
        "percent": min(100, round(batch.processed * 100 / total)),
    }


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch: progress while it runs (polled by htmx), then every file with its state."""
    batch = selectors.get_batch(_user(request), pk)
    context = _batch_context(batch)
    if getattr(request, "htmx", False):
        response = render(request, "archive/batch.html#progress", context)
        if not context["running"]:
            response["HX-Refresh"] = "true"  # done: reload once to show the finished list
        return response
    context["items"] = batch.items.select_related("issue__series").defer("text", "parsed")
    return render(request, "archive/batch.html", context)


@login_required
@require_POST
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Import every ready file of the batch."""
    user = _user(request)
    batch = selectors.get_batch(user, pk)
    try:
        services.do_confirm_ready(batch=batch, actor=user)
        messages.success(request, "已开始导入可直接导入的文件。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("archive:batch", pk=pk)


@login_required
@require_POST
def batch_resume(request: HttpRequest, pk: int) -> HttpResponse:
    """Take up a failed or interrupted batch again: the worker parses the files still pending."""
    user = _user(request)
    batch = selectors.get_batch(user, pk)
    try:
        services.do_resume_batch(batch=batch, actor=user)
        messages.success(request, "已重新开始处理本批，剩余文件在后台处理。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("archive:batch", pk=pk)


@login_required
@require_POST
def batch_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a batch for good: its files still pending are skipped with the reason."""
    user = _user(request)
    batch = selectors.get_batch(user, pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("取消理由过长或含有无效字符。")
        services.do_cancel_batch(batch=batch, actor=user, reason=form.cleaned_data["reason"])
        messages.success(request, "已取消本批，未处理的文件已跳过。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("archive:batch", pk=pk)


def _entry_rows(item: ImportItem) -> list[dict[str, Any]]:
    rows = []
    for index, entry in enumerate(item.parsed.get("entries") or []):
        rows.append({"index": index, **entry, "sources": "、".join(entry["source_units"])})
    return rows


def _item_context(item: ImportItem, form: MastheadForm | None = None) -> dict[str, Any]:
    parsed = item.parsed
    initial = {key: parsed.get(key) for key in ("series", "year", "number", "total_number")}
    initial |= {"date": parsed.get("date"), "organ": parsed.get("organ"), "version": item.version}
    problems = selectors.item_problems(item) if item.state in REVIEWABLE_STATES else []
    return {
        "item": item,
        "form": form or MastheadForm(initial=initial),
        "entries": _entry_rows(item),
        "kinds": EntryKind.choices,
        "problems": problems,
        "unknown": [p.name for p in problems if p.code == "unit"],
        "unknown_series": next((p.name for p in problems if p.code == "series"), ""),
        "left": item.unattributed,
        "units": active_units(),
        "warnings": parsed.get("warnings") or [],
        "editable": item.state in REVIEWABLE_STATES,
        "blocked": any(p.code != "duplicate" for p in problems),
    }


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review page: the original text beside the parsed structure, editable."""
    item = selectors.get_item(_user(request), pk)
    return render(request, "archive/item.html", _item_context(item))


@login_required
@require_POST
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the editor's corrections; a stale save is refused with 409, the text kept."""
    user = _user(request)
    item = selectors.get_item(user, pk)
    form = MastheadForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.do_update_parsed(
                item=item, actor=user, expected_version=data["version"],
                series=data["series"] or "", year=data["year"], number=data["number"],
                total_number=data["total_number"], date=data["date"], organ=data["organ"] or "",
                entries=entries_from_post(request.POST),
            )  # fmt: skip
        except services.StaleItemError as error:
            form.add_error(None, str(error))
            status = 409
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, "已保存修改。")
            return redirect("archive:item", pk=pk)
    item.refresh_from_db()
    return render(request, "archive/item.html", _item_context(item, form), status=status)


@login_required
@require_POST
def item_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """Map an unknown source name to a unit, create the unit, or leave it unattributed."""
    user = _user(request)
    item = selectors.get_item(user, pk)
    form = UnitChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要对应的单位。")
        return redirect("archive:item", pk=pk)
    name, action, unit = (form.cleaned_data[k] for k in ("name", "action", "unit"))
    try:
        if action == "map":
            if unit is None:
                raise ValidationError("请选择要对应的单位。")
            services.do_map_unit_name(name=name, unit=unit, actor=user)
            messages.success(request, f"「{name}」已对应到「{unit.name}」，并记为该单位的别名。")
        elif action == "create":
            services.do_create_unit_for_name(name=name, actor=user)
            messages.success(request, f"已新建单位「{name}」。")
        else:
            leave = action == "leave"
            services.do_set_unattributed(item=item, name=name, actor=user, leave=leave)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("archive:item", pk=pk)


@login_required
@require_POST
def item_series(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the series the item names."""
    user = _user(request)
    item = selectors.get_item(user, pk)
    try:
        series = services.do_create_series_for_item(item=item, actor=user)
        messages.success(request, f"已新建刊物{series}。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("archive:item", pk=pk)


@login_required
@require_POST
def item_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Store the item as a published archive issue."""
    user = _user(request)
    item = selectors.get_item(user, pk)
    try:
        issue = services.do_confirm_item(item=item, actor=user)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        return redirect("archive:item", pk=pk)
    messages.success(request, f"已导入{issue}。")
    return redirect("bulletins:detail", pk=issue.pk)


@login_required
@require_POST
def item_skip(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave a file out of the archive, with a reason."""
    user = _user(request)
    item = selectors.get_item(user, pk)
    form = SkipForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("请填写跳过的理由。")
        services.do_skip_item(item=item, actor=user, reason=form.cleaned_data["reason"])
        messages.success(request, "已跳过该文件。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    return redirect("archive:batch", pk=item.batch_id)


@login_required
def item_file(request: HttpRequest, pk: int) -> FileResponse:
    """The original file as uploaded."""
    item = selectors.get_item(_user(request), pk)
    if not item.file:
        raise Http404("该文件未保存（重复文件）。")
    do_record_download(
        actor=_user(request),
        kind="archive_file",
        object_type="import_item",
        object_id=item.pk,
        file_name=item.original_name,
    )
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)
