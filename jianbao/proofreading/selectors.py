"""Proofreading with the office's choices applied."""

from __future__ import annotations

from dataclasses import dataclass

from jianbao.bulletins.models import Entry, Issue
from jianbao.proofreading.models import DisabledRule, IgnoredTerm
from jianbao.submissions.models import Submission
from jianbao.text.proofread import RULES, Finding, proofread


@dataclass(frozen=True)
class FieldFindings:
    field: str  # "title" or "body"
    text: str
    findings: list[Finding]


def office_choices() -> tuple[frozenset[str], frozenset[str]]:
    """The rules switched off and the terms ignored by the office."""
    disabled = frozenset(DisabledRule.objects.values_list("rule", flat=True)) & set(RULES)
    ignored = frozenset(IgnoredTerm.objects.values_list("term", flat=True))
    return disabled, ignored


def check_text(text: str, *, extra_disabled: frozenset[str] = frozenset()) -> list[Finding]:
    """Findings in `text` under the office's choices."""
    disabled, ignored = office_choices()
    return proofread(text, disabled_rules=disabled | extra_disabled, ignored_terms=ignored)


def _check_fields(
    title: str, body: str, choices: tuple[frozenset[str], frozenset[str]]
) -> list[FieldFindings]:
    disabled, ignored = choices
    return [
        FieldFindings(field, text, proofread(text, disabled_rules=disabled, ignored_terms=ignored))
        for field, text in (("title", title), ("body", body))
        if text
    ]


def check_submission(submission: Submission) -> list[FieldFindings]:
    """Findings in an item's title and body (offsets are per field)."""
    return _check_fields(submission.title, submission.body, office_choices())


def check_issue(issue: Issue) -> list[tuple[Entry, list[FieldFindings]]]:
    """Findings in the printed title and body of every entry of an issue, in print order."""
    choices = office_choices()
    entries = issue.entries.only("pk", "issue_id", "title", "body", "version")  # in print order
    return [(entry, _check_fields(entry.title, entry.body, choices)) for entry in entries]
