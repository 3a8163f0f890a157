"""Proofreading on the item page: findings inline, accept as a revision, ignore for the office."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.web import flash_errors
from jianbao.bulletins.models import Entry
from jianbao.bulletins.policy import may_edit_issues
from jianbao.bulletins.selectors import get_issue
from jianbao.bulletins.workflow import EDITABLE_STATES
from jianbao.proofreading import selectors, services
from jianbao.proofreading.policy import may_tune_proofreading
from jianbao.submissions.policy import claims_by_editing, may_edit
from jianbao.submissions.selectors import get_submission
from jianbao.text.proofread import RULES, Finding
from jianbao.versioning import StaleWriteError


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


def _groups(
    checked: list[selectors.FieldFindings], *, heading: str, accept_url: str, version: int
) -> list[dict[str, Any]]:
    labels = {"title": "标题", "body": "正文"}
    return [
        {
            "label": f"{heading}{labels[f.field]}",
            "field": f.field,
            "findings": f.findings,
            "segments": _segments(f.text, f.findings),
            "accept_url": accept_url,
            "version": version,
        }
        for f in checked
        if f.findings
    ]


def _panel(request: HttpRequest, groups: list[dict[str, Any]], **extra: Any) -> HttpResponse:
    context = {
        "groups": groups,
        "total": sum(len(g["findings"]) for g in groups),
        "can_ignore": may_tune_proofreading(_user(request)),
        "rules": RULES,
        "next": request.GET.get("next") or "/",
        **extra,
    }
    return render(request, "proofreading/panel.html", context)


def _submission_panel(request: HttpRequest, pk: int, **extra: Any) -> HttpResponse:
    user = _user(request)
    submission = get_submission(user, pk)
    groups = _groups(
        selectors.check_submission(submission),
        heading="",
        accept_url=reverse("proofreading:accept", args=[pk]),
        version=submission.version,
    )
    findings = [f for g in groups for f in g["findings"] if f.suggestion is not None]
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    return _panel(
        request,
        groups,
        can_accept=may_edit(user, submission) or claims_by_editing(user, submission),
        submission=submission,
        accept_all_url=reverse("proofreading:accept_all", args=[pk]),
        accept_rules=[(rule, RULES[rule].label, n) for rule, n in counts.items() if rule in RULES],
        acceptable=len(findings),
        **extra,
    )


@login_required
def submission_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The proofreading panel of an item (loaded into the item page by htmx)."""
    return _submission_panel(request, pk)


def _after_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the panel again with the changed text (and the page's text and form out of band);
    otherwise back to the item page."""
    if not getattr(request, "htmx", False):
        return redirect("submissions:detail", pk=pk)
    notices = [(m.tags, str(m)) for m in messages.get_messages(request)]
    return _submission_panel(request, pk, notices=notices, swapped=True)


@login_required
@require_POST
def accept_all(request: HttpRequest, pk: int) -> HttpResponse:
    """「全部采纳」: every suggestion of the item, or of one finding type, in one change."""
    user = _user(request)
    submission = get_submission(user, pk)
    try:
        count = services.do_accept_all(
            submission=submission,
            actor=user,
            expected_version=int(request.POST.get("version", "0")),
            rule=request.POST.get("rule", ""),
        )
    except ValueError:
        messages.error(request, "请求无效：版本不是数字。")
    except (StaleWriteError, ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已采纳 {count} 处校对建议。")
    return _after_accept(request, pk)


@login_required
def issue_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The proofreading panel of an issue: every entry's printed text."""
    user = _user(request)
    issue = get_issue(user, pk)
    groups = []
    for number, (entry, checked) in enumerate(selectors.check_issue(issue), start=1):
        groups += _groups(
            checked,
            heading=f"第{number}条",
            accept_url=reverse("proofreading:accept_entry", args=[pk, entry.pk]),
            version=entry.version,
        )
    return _panel(
        request, groups, can_accept=may_edit_issues(user) and issue.state in EDITABLE_STATES
    )


def _suggestion_fields(request: HttpRequest) -> dict[str, Any]:
    data = request.POST
    return {
        "field": data.get("field", ""),
        "start": int(data.get("start", "-1")),
        "end": int(data.get("end", "-1")),
        "expected_text": data.get("text", ""),
        "suggestion": data.get("suggestion", ""),
        "expected_version": int(data.get("version", "0")),
    }


def _accept_from_post(request: HttpRequest, apply: Callable[[dict[str, Any]], object]) -> None:
    """Apply the posted suggestion and say how it went."""
    try:
        fields = _suggestion_fields(request)
    except ValueError:
        messages.error(request, "请求无效：位置或版本不是数字。")
        return
    try:
        apply(fields)
    except (StaleWriteError, ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        text, suggestion = fields["expected_text"], fields["suggestion"]
        messages.success(request, f"已采纳：「{text}」→「{suggestion}」。")


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply one suggestion to the item as a new revision."""
    user = _user(request)
    submission = get_submission(user, pk)
    _accept_from_post(
        request,
        lambda fields: services.do_accept_suggestion(submission=submission, actor=user, **fields),
    )
    return _after_accept(request, pk)


@login_required
@require_POST
def accept_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Apply one suggestion to the printed text of an issue's entry."""
    user = _user(request)
    entry = get_object_or_404(Entry, pk=entry_pk, issue=get_issue(user, pk))
    _accept_from_post(
        request,
        lambda fields: services.do_accept_entry_suggestion(entry=entry, actor=user, **fields),
    )
    return redirect("bulletins:detail", pk=pk)


@login_required
@require_POST
def ignore(request: HttpRequest) -> HttpResponse:
    """Stop flagging a term anywhere in the office."""
    try:
        services.do_ignore_term(term=request.POST.get("term", ""), actor=_user(request))
        messages.success(request, f"已忽略「{request.POST.get('term', '')}」，以后不再提示。")
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    target = request.POST.get("next", "/")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if safe else "/")


@login_required
def office_settings(request: HttpRequest) -> HttpResponse:
    """Rules on or off, and the ignored terms, for the whole office."""
    user = _user(request)
    if not may_tune_proofreading(user):
        raise PermissionDenied("只有信息科编辑可以更改校对设置。")
    if request.method == "POST":
        rule = request.POST.get("rule", "")
        try:
            services.do_set_rule_enabled(
                rule=rule, enabled=request.POST.get("enabled") == "1", actor=user
            )
            messages.success(request, "校对设置已保存。")
        except (ValidationError, PermissionDenied) as error:
            flash_errors(request, error)
        return redirect("proofreading:settings")
    disabled, ignored = selectors.office_choices()
    rules = [(name, info, name not in disabled) for name, info in RULES.items()]
    return render(
        request, "proofreading/settings.html", {"rules": rules, "ignored": sorted(ignored)}
    )
