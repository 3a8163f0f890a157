"""Proofreading on the item page: findings inline, accept as a revision, ignore for the office."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.proofreading import selectors, services
from jianbao.submissions.policy import may_edit
from jianbao.submissions.selectors import get_submission
from jianbao.submissions.services import StaleVersionError
from jianbao.text.proofread import RULES, Finding


@dataclass(frozen=True)
class Segment:
    text: str
    finding: Finding | None
    number: int = 0


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _segments(text: str, findings: list[Finding]) -> list[Segment]:
    """The text cut into plain runs and flagged runs, numbered like the list beside it."""
    segments, position = [], 0
    for number, finding in enumerate(findings, start=1):
        if finding.start < position:
            continue  # overlapping findings are already merged by the proofreader
        if finding.start > position:
            segments.append(Segment(text[position : finding.start], None))
        segments.append(Segment(text[finding.start : finding.end] or "‸", finding, number))
        position = finding.end
    segments.append(Segment(text[position:], None))
    return segments


@login_required
def submission_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The proofreading panel of an item (loaded into the item page by htmx)."""
    user = _user(request)
    submission = get_submission(user, pk)
    fields = [
        {
            "field": f.field,
            "label": "标题" if f.field == "title" else "正文",
            "segments": _segments(f.text, f.findings),
            "findings": f.findings,
        }
        for f in selectors.check_submission(submission)
    ]
    context: dict[str, Any] = {
        "submission": submission,
        "fields": fields,
        "total": sum(len(f["findings"]) for f in fields),
        "can_accept": may_edit(user, submission),
        "can_ignore": user.is_office_staff,
        "rules": RULES,
    }
    return render(request, "proofreading/panel.html", context)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply one suggestion to the item as a new revision."""
    user = _user(request)
    submission = get_submission(user, pk)
    data = request.POST
    try:
        services.do_accept_suggestion(
            submission=submission,
            actor=user,
            field=data.get("field", ""),
            start=int(data.get("start", "-1")),
            end=int(data.get("end", "-1")),
            expected_text=data.get("text", ""),
            suggestion=data.get("suggestion", ""),
            expected_version=int(data.get("version", "0")),
        )
        messages.success(
            request, f"已采纳：「{data.get('text', '')}」→「{data.get('suggestion', '')}」。"
        )
    except (ValueError, ValidationError, PermissionDenied, StaleVersionError) as error:
        text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text or "请求无效。")
    return redirect("submissions:detail", pk=pk)


@login_required
@require_POST
def ignore(request: HttpRequest) -> HttpResponse:
    """Stop flagging a term anywhere in the office."""
    try:
        services.do_ignore_term(term=request.POST.get("term", ""), actor=_user(request))
        messages.success(request, f"已忽略「{request.POST.get('term', '')}」，以后不再提示。")
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    target = request.POST.get("next", "/")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if safe else "/")


@login_required
def office_settings(request: HttpRequest) -> HttpResponse:
    """Rules on or off, and the ignored terms, for the whole office."""
    user = _user(request)
    if not user.is_office_staff:
        raise PermissionDenied("只有信息科编辑可以更改校对设置。")
    if request.method == "POST":
        rule = request.POST.get("rule", "")
        try:
            services.do_set_rule_enabled(
                rule=rule, enabled=request.POST.get("enabled") == "1", actor=user
            )
            messages.success(request, "校对设置已保存。")
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        return redirect("proofreading:settings")
    disabled, ignored = selectors.office_choices()
    rules = [(name, info, name not in disabled) for name, info in RULES.items()]
    return render(
        request, "proofreading/settings.html", {"rules": rules, "ignored": sorted(ignored)}
    )
