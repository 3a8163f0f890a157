"""Pages of emergency reports (紧急信息). Thin: form → service → redirect/render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.accounts.web import add_form_errors, flash_errors, render_partial
from jianbao.emergency import selectors, services
from jianbao.emergency.forms import ReportForm, StartForm
from jianbao.emergency.models import ReportKind


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def thread_list(request: HttpRequest) -> HttpResponse:
    """Threads with their countdowns; htmx polls the table every few seconds."""
    user = _user(request)
    if not (selectors.may_manage(user) or selectors.is_unit_member(user) or user.is_leader):
        raise PermissionDenied("只有信息科、领导和单位信息员可以查看紧急信息。")
    context = {
        "rows": selectors.thread_rows(user),
        "may_start": selectors.may_start(user),
        "start_form": StartForm(),
    }
    return render_partial(request, "emergency/list.html", "rows", context)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """One button: stamp the start time and open the report form."""
    user = _user(request)
    if not selectors.may_start(user):
        raise PermissionDenied("只有单位信息员可以报送紧急信息。")
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.do_start_emergency(actor=user, title=form.cleaned_data["title"])
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            return redirect("emergency:detail", pk=thread.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "first_minutes": selectors.limits().first_minutes}
    return render(request, "emergency/start.html", context, status=status)


def _context(user: User, pk: int) -> dict[str, object]:
    thread = selectors.get_thread(user, pk)
    reports = list(selectors.reports_of(thread))
    may_report = selectors.may_start(user) and user.unit_id == thread.unit_id
    kind = ReportKind.FOLLOWUP if reports else ReportKind.INITIAL
    last = reports[-1] if reports else None
    initial = {"kind": kind}
    if last is not None:  # a follow-up starts from what was reported last
        initial |= {f: getattr(last, f) for f in ("occurred", "place", "contact")}
    return {
        "thread": thread,
        "reports": reports,
        "countdown": selectors.thread_countdown(thread),
        "may_report": may_report and thread.state == "open",
        "manager": selectors.may_manage(user),
        "form": ReportForm(initial=initial),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The thread: countdown, reports so far, the next report's form (htmx polls the reports)."""
    context = _context(_user(request), pk)
    return render_partial(request, "emergency/detail.html", "reports", context)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Add 初报/续报/终报 to the thread."""
    user = _user(request)
    thread = selectors.get_thread(user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("kind")
        try:
            services.do_add_report(
                actor=user, thread=thread, kind=kind, elements=services.Elements(**data)
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, "报告已报送，信息科已收到提醒。")
            return redirect("emergency:detail", pk=pk)
    context = _context(user, pk) | {"form": form}
    return render(request, "emergency/detail.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Compile the thread into a 送阅件 and send it to the leaders (one step)."""
    user = _user(request)
    thread = selectors.get_thread(user, pk)
    try:
        services.do_forward_to_leaders(actor=user, thread=thread)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, "送阅件已编发，领导已收到提醒。")
    return redirect("emergency:detail", pk=pk)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    """The compiled 送阅件 PDF."""
    user = _user(request)
    thread = selectors.get_thread(user, pk)
    if not thread.compiled_pdf:
        raise Http404("尚未编发送阅件。")
    record_audit_event(
        action="download.file",
        actor=user,
        object_type="emergency",
        object_id=thread.pk,
        detail={"what": "送阅件", "sha256": thread.compiled_sha256},
    )
    return FileResponse(
        thread.compiled_pdf.open("rb"),
        as_attachment=True,
        filename=f"送阅件-{thread.pk}.pdf",
        content_type="application/pdf",
    )
