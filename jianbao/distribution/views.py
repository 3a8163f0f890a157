"""Pages of distribution: 收件 and 签收 for recipients, the receipt ledger for the office.

Thin: form → service → redirect/render. Lists and groups are in `views_lists.py`.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jianbao.accounts.models import User
from jianbao.accounts.services import do_record_download
from jianbao.accounts.web import flash_errors, render_partial
from jianbao.bulletins.selectors import get_issue
from jianbao.distribution import exports, selectors, services
from jianbao.distribution.forms import LedgerFilterForm
from jianbao.distribution.policy import may_have_inbox, may_see_ledger

INBOX_PAGE = 30
LEDGER_PAGE = 100


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_office(user: User) -> None:
    if not may_see_ledger(user):
        raise PermissionDenied("只有信息科可以查看签收情况。")


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """收件: the issues delivered to me, unread first."""
    user = _user(request)
    if not may_have_inbox(user):
        raise PermissionDenied("您没有阅读简报的权限。")
    receipts = selectors.inbox_of(user)
    context = {
        "page": Paginator(receipts, INBOX_PAGE).get_page(request.GET.get("page")),
        "unread": selectors.unread_count(user),
        "unsigned": selectors.unsigned_count(user),
    }
    return render(request, "distribution/inbox.html", context)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """签收 one issue delivered to me (from 收件 or from the reading page)."""
    user = _user(request)
    issue = get_issue(user, pk)
    try:
        services.do_acknowledge(issue=issue, user=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已签收{services.issue_name(issue)}。")
    if request.POST.get("back") == "read":
        return redirect("bulletins:read", pk=issue.pk)
    return redirect("distribution:inbox")


@login_required
@require_GET
def distributed(request: HttpRequest) -> HttpResponse:
    """The office's overview: every distributed issue with its read and signed counts."""
    user = _user(request)
    _require_office(user)
    page = Paginator(selectors.distributed_issues(user), INBOX_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "distribution/distributed.html", {"page": page})


def _ledger_filter(form: LedgerFilterForm) -> selectors.LedgerFilter:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.LedgerFilter(
        state=data.get("state") or "", line=data.get("line") or "", q=(data.get("q") or "").strip()
    )


@login_required
@require_GET
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """Who of an issue's recipients has received, read and signed; filters; 催阅; export."""
    user = _user(request)
    _require_office(user)
    issue = selectors.ledger_issue(user, pk)
    form = LedgerFilterForm(request.GET)
    page, rows = selectors.ledger_page(
        issue, _ledger_filter(form), request.GET.get("page"), LEDGER_PAGE
    )
    context = {
        "issue": issue,
        "issue_name": services.issue_name(issue),
        "distribution": selectors.distribution_of(issue),
        "counts": selectors.counts_of(issue),
        "form": form,
        "page": page,
        "rows": rows,
        "page_query": _page_query(request),
    }
    return render_partial(request, "distribution/ledger.html", "receipts", context)


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """催阅: one click notifies everyone who has not signed yet."""
    user = _user(request)
    _require_office(user)
    issue = selectors.ledger_issue(user, pk)
    try:
        count = services.do_remind(issue=issue, actor=user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已向 {count} 位未签收的分发对象发送催阅提醒。")
    return redirect("distribution:ledger", pk=issue.pk)


@login_required
@require_GET
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt ledger of an issue as XLSX (recorded as a download)."""
    user = _user(request)
    _require_office(user)
    issue = selectors.ledger_issue(user, pk)
    name = f"{services.issue_name(issue)}签收登记.xlsx"
    content = exports.ledger_workbook(issue, selectors.receipts_of(issue))
    do_record_download(
        actor=user, kind="export", object_type="issue", object_id=issue.pk, file_name=name
    )
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
