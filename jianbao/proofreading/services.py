"""Writes of the proofreading desk: accept a suggestion, ignore a term, switch a rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.bulletins.models import Entry
from jianbao.bulletins.services import do_update_entry
from jianbao.proofreading.models import DisabledRule, IgnoredTerm
from jianbao.proofreading.policy import may_tune_proofreading
from jianbao.proofreading.selectors import check_submission
from jianbao.submissions.models import Submission
from jianbao.submissions.policy import claims_by_editing, may_edit
from jianbao.submissions.services import do_update_submission
from jianbao.text.proofread import RULES, Finding

FIELDS = ("title", "body")
# Accepted suggestions in a row fold into one revision under this note (see
# `do_update_submission`): two accepts make one new revision, not two.
ACCEPT_NOTE = "校对采纳"


def _edited(
    record: Submission | Entry,
    *,
    field: str,
    start: int,
    end: int,
    expected_text: str,
    suggestion: str,
) -> tuple[str, str]:
    """(title, body) of the record with the suggestion applied to `field` at [start, end)."""
    if field not in FIELDS:
        raise ValidationError(f"未知的字段「{field}」。")
    text = getattr(record, field)
    if not (0 <= start <= end <= len(text)) or text[start:end] != expected_text:
        raise ValidationError("内容已变化，这条校对提示已过期，请刷新后再试。")
    changed = text[:start] + suggestion + text[end:]
    return (changed, record.body) if field == "title" else (record.title, changed)


@transaction.atomic
def do_accept_suggestion(
    *,
    submission: Submission,
    actor: User,
    field: str,
    start: int,
    end: int,
    expected_text: str,
    suggestion: str,
    expected_version: int,
) -> Submission:
    """Apply one suggestion to an item as a new revision by the actor."""
    title, body = _edited(
        submission, field=field, start=start, end=end, expected_text=expected_text,
        suggestion=suggestion,
    )  # fmt: skip
    return do_update_submission(
        submission=submission,
        actor=actor,
        expected_version=expected_version,
        title=title,
        body=body,
        revision_note=ACCEPT_NOTE,
    )


def _applied(text: str, findings: list[Finding]) -> tuple[str, int]:
    """The text with every suggestion applied (from the end, skipping overlaps), and how many."""
    applied, limit = 0, len(text) + 1
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        if finding.suggestion is None or finding.end > limit:
            continue
        text = text[: finding.start] + finding.suggestion + text[finding.end :]
        applied, limit = applied + 1, finding.start
    return text, applied


@transaction.atomic
def do_accept_all(
    *, submission: Submission, actor: User, expected_version: int, rule: str = ""
) -> int:
    """Apply every suggestion (of one rule, when given) to an item at once; how many."""
    if not (may_edit(actor, submission) or claims_by_editing(actor, submission)):
        raise PermissionDenied("当前状态下您不能修改这篇稿件。")
    if rule and rule not in RULES:
        raise ValidationError(f"未知的校对规则「{rule}」。")
    texts = {"title": submission.title, "body": submission.body}
    total = 0
    for checked in check_submission(submission):
        chosen = [f for f in checked.findings if not rule or f.rule == rule]
        texts[checked.field], count = _applied(checked.text, chosen)
        total += count
    if not total:
        raise ValidationError("没有可以采纳的校对建议。")
    do_update_submission(
        submission=submission,
        actor=actor,
        expected_version=expected_version,
        title=texts["title"],
        body=texts["body"],
        revision_note=ACCEPT_NOTE,
    )
    return total


@transaction.atomic
def do_accept_entry_suggestion(
    *,
    entry: Entry,
    actor: User,
    field: str,
    start: int,
    end: int,
    expected_text: str,
    suggestion: str,
    expected_version: int,
) -> Entry:
    """Apply one suggestion to the printed text of an issue's entry."""
    title, body = _edited(
        entry, field=field, start=start, end=end, expected_text=expected_text,
        suggestion=suggestion,
    )  # fmt: skip
    return do_update_entry(
        entry=entry,
        actor=actor,
        expected_version=expected_version,
        kind=entry.kind,
        title=title,
        body=body,
        section=entry.section,
        source_line=entry.source_line,
    )


def _require_office(actor: User) -> None:
    if not may_tune_proofreading(actor):
        raise PermissionDenied("只有信息科编辑可以更改本单位的校对设置。")


@transaction.atomic
def do_ignore_term(*, term: str, actor: User) -> IgnoredTerm:
    """Stop flagging `term` anywhere in the office."""
    _require_office(actor)
    term = term.strip()
    if not term or len(term) > 100:
        raise ValidationError("要忽略的词语不能为空，且不超过 100 字。")
    ignored, _ = IgnoredTerm.objects.get_or_create(term=term, defaults={"created_by": actor})
    record_audit_event(action="proofread.ignore", actor=actor, detail={"term": term})
    return ignored


@transaction.atomic
def do_set_rule_enabled(*, rule: str, enabled: bool, actor: User) -> None:
    """Switch one proofreading rule on or off for the office."""
    _require_office(actor)
    if rule not in RULES:
        raise ValidationError(f"未知的校对规则「{rule}」。")
    if enabled:
        DisabledRule.objects.filter(rule=rule).delete()
    else:
        DisabledRule.objects.get_or_create(rule=rule, defaults={"disabled_by": actor})
    record_audit_event(
        action="proofread.rule", actor=actor, detail={"rule": rule, "enabled": enabled}
    )
