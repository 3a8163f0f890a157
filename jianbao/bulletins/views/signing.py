"""Signing (签发) behind a confirmation page, and 出校样 that stops to show open findings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from jianbao.bulletins import selectors, services
from jianbao.bulletins.forms import IssueTransitionForm
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services.issues import check_transition
from jianbao.bulletins.views.common import flash_errors, require_office, user_of
from jianbao.bulletins.views.issues import entry_rows
from jianbao.bulletins.workflow import IssueAction
from jianbao.proofreading.selectors import check_issue
from jianbao.text.proofread import RULES


def open_findings(issue: Issue) -> list[dict[str, Any]]:
    """The proofreading findings of every entry, numbered as printed, for the 出校样 check."""
    rows = []
    for number, (entry, checked) in enumerate(check_issue(issue), start=1):
        for field in checked:
            for finding in field.findings:
                rule = RULES.get(finding.rule)
                rows.append(
                    {
                        "number": number,
                        "entry": entry,
                        "field": "标题" if field.field == "title" else "正文",
                        "finding": finding,
                        "rule": rule.label if rule else finding.rule,
                    }
                )
    return rows


def intercept_transition(
    request: HttpRequest, issue: Issue, form: IssueTransitionForm
) -> HttpResponse | None:
    """出校样 with open findings shows them and asks first (the page offers sign-off only
    through its confirmation page, `issue_sign`)."""
    action = form.cleaned_data["action"]
    if action == IssueAction.PROOF and request.POST.get("confirm") != "1":
        findings = open_findings(issue)
        if findings:
            context = {"issue": issue, "findings": findings, "version": issue.version}
            return render(request, "bulletins/proof_confirm.html", context)
    return None


@login_required
def issue_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """What is being signed (entries, proof PDF), an optional 签发意见, then sign."""
    user = user_of(request)
    require_office(user)
    issue = selectors.get_issue(user, pk)
    if request.method == "POST":
        try:
            issue = services.do_transition_issue(
                issue=issue,
                action=IssueAction.SIGN,
                actor=user,
                comment=request.POST.get("comment", ""),
                expected_version=_version(request),
            )
        except (ValidationError, PermissionDenied, services.StaleIssueError) as error:
            flash_errors(request, error)
            return redirect("bulletins:sign", pk=pk)
        messages.success(request, f"已签发{issue}。")
        return redirect("bulletins:detail", pk=pk)
    refusal = None
    try:
        check_transition(issue, IssueAction.SIGN, user)
    except (ValidationError, PermissionDenied) as error:
        refusal = "；".join(getattr(error, "messages", None) or [str(error)])
    context = {
        "issue": issue,
        "rows": entry_rows(selectors.entries_of(issue)),
        "refusal": refusal,
    }
    return render(request, "bulletins/sign_confirm.html", context)


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None
