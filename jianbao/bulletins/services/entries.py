"""Writes to the entries of an issue: add adopted submissions, merge, write, edit, order, remove.

The printed text lives in Entry only: editing it never touches a Submission or its Revisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.accounts.services import record_audit_event
from jianbao.bulletins.models import Entry, EntryKind, EntrySource, Issue
from jianbao.bulletins.selectors import credited_units
from jianbao.bulletins.services.common import (
    StaleIssueError,
    lock_issue,
    require_editable,
    require_office,
    touch,
)
from jianbao.bulletins.services.indexing import index_entries, unindex_entry
from jianbao.bulletins.workflow import LIVE_STATES
from jianbao.submissions.models import Kind, Submission
from jianbao.submissions.workflow import State
from jianbao.text.paragraphs import normalise_body

TITLE_MAX = 200
SOURCE_MAX = 200


def clean_entry_text(*, kind: str, title: str, body: str, section: str) -> tuple[str, str, str]:
    """Validated title, body and section of an entry."""
    if kind not in EntryKind.values:
        raise ValidationError({"kind": f"未知的条目类型「{kind}」。"})
    title = " ".join(title.split())
    body = normalise_body(body)
    section = section.strip().strip("【】[] ")
    errors = {}
    if kind == EntryKind.ITEM and not title:
        errors["title"] = "信息须有标题。"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"标题不能超过 {TITLE_MAX} 字。"
    if not body:
        errors["body"] = "正文不能为空。"
    if len(section) > 50:
        errors["section"] = "栏目名称不能超过 50 字。"
    if errors:
        raise ValidationError(errors)
    return title, body, section


def _clean_source_line(source_line: str | None) -> str | None:
    if source_line is None:
        return None
    source_line = source_line.strip()
    if len(source_line) > SOURCE_MAX:
        raise ValidationError({"source_line": f"来源署名不能超过 {SOURCE_MAX} 字。"})
    return source_line


def _units_of(submission: Submission) -> list[Unit]:
    return credited_units(submission)


def _check_adoptable(submissions: Sequence[Submission]) -> list[Submission]:
    """Adopted submissions not yet printed by a live issue, locked; refused otherwise."""
    if not submissions:
        raise ValidationError("请选择稿件。")
    ids = [s.pk for s in submissions]
    if len(set(ids)) != len(ids):
        raise ValidationError("同一篇稿件不能选择两次。")
    locked = {s.pk: s for s in Submission.objects.select_for_update().filter(pk__in=ids)}
    taken = set(
        EntrySource.objects.filter(
            submission_id__in=ids, entry__issue__state__in=LIVE_STATES
        ).values_list("submission_id", flat=True)
    )
    for pk in ids:
        item = locked[pk]
        if item.state != State.ADOPTED:
            raise ValidationError(f"稿件「{item}」尚未采用，不能编入期刊。")
        if pk in taken:
            raise ValidationError(f"稿件「{item}」已编入另一期。")
    return [locked[pk] for pk in ids]


def _next_position(issue: Issue, kind: str) -> int:
    """Items go before the first brief; briefs and notes go to the end."""
    entries = list(issue.entries.all())
    if kind == EntryKind.ITEM:
        for index, entry in enumerate(entries):
            if entry.kind == EntryKind.BRIEF:
                return index
    return len(entries)


def _insert(issue: Issue, entry: Entry, position: int) -> None:
    ordered = list(issue.entries.exclude(pk=entry.pk).only("pk", "order"))
    ordered.insert(position, entry)
    _renumber(ordered)


def _renumber(entries: Iterable[Entry]) -> None:
    changed = []
    for order, entry in enumerate(entries, start=1):
        if entry.order != order:
            entry.order = order
            changed.append(entry)
    Entry.objects.bulk_update(changed, ["order"])


def _credit(entry: Entry, pairs: Iterable[tuple[Submission | None, Unit]]) -> None:
    EntrySource.objects.bulk_create(
        EntrySource(entry=entry, submission=submission, unit=unit, order=order)
        for order, (submission, unit) in enumerate(pairs)
    )


def _new_entry(issue: Issue, actor: User, **fields: object) -> Entry:
    last = issue.entries.aggregate(m=Max("order"))["m"] or 0
    return Entry.objects.create(
        issue=issue, order=last + 1, updated_at=timezone.now(), updated_by=actor, **fields
    )


def _audit(action: str, actor: User, issue: Issue, **detail: object) -> None:
    record_audit_event(
        action=f"issue.{action}",
        actor=actor,
        object_type="issue",
        object_id=issue.pk,
        detail=detail,
    )


@transaction.atomic
def do_add_submissions(
    *,
    issue: Issue,
    actor: User,
    submissions: Sequence[Submission],
    expected_version: int | None = None,
) -> list[Entry]:
    """Each adopted submission becomes one entry crediting its units (a 简讯 becomes a brief)."""
    require_office(actor)
    current = lock_issue(issue, expected_version)
    require_editable(current)
    entries = []
    for item in _check_adoptable(submissions):
        kind = EntryKind.BRIEF if item.kind == Kind.BRIEF else EntryKind.ITEM
        position = _next_position(current, kind)
        entry = _new_entry(current, actor, kind=kind, title=item.title, body=item.body)
        _credit(entry, [(item, unit) for unit in _units_of(item)])
        _insert(current, entry, position)
        entries.append(entry)
    touch(current, actor, bump=False)
    index_entries(entries)
    _audit("add_submissions", actor, current, submissions=[s.pk for s in submissions])
    return entries


@transaction.atomic
def do_merge_submissions_into_entry(
    *,
    issue: Issue,
    actor: User,
    submissions: Sequence[Submission],
    title: str,
    body: str = "",
    section: str = "",
    print_sources: bool = False,
    expected_version: int | None = None,
) -> Entry:
    """综合采用: several submissions become one item; every source unit keeps its credit."""
    require_office(actor)
    current = lock_issue(issue, expected_version)
    require_editable(current)
    if len(submissions) < 2:
        raise ValidationError("综合采用至少需要两篇稿件。")
    items = _check_adoptable(submissions)
    body = body.strip() or "\n".join(item.body for item in items)
    title, body, section = clean_entry_text(
        kind=EntryKind.ITEM, title=title, body=body, section=section
    )
    position = _next_position(current, EntryKind.ITEM)
    # The office's own 综合 item usually prints no source; credit is kept in EntrySource.
    entry = _new_entry(
        current,
        actor,
        kind=EntryKind.ITEM,
        title=title,
        body=body,
        section=section,
        source_line=None if print_sources else "",
    )
    _credit(entry, [(item, unit) for item in items for unit in _units_of(item)])
    _insert(current, entry, position)
    touch(current, actor, bump=False)
    index_entries([entry])
    _audit("merge", actor, current, entry=entry.pk, submissions=[s.pk for s in items])
    return entry


@transaction.atomic
def do_create_entry(
    *,
    issue: Issue,
    actor: User,
    kind: str,
    title: str,
    body: str,
    section: str = "",
    source_line: str | None = None,
    units: Iterable[Unit] = (),
    expected_version: int | None = None,
) -> Entry:
    """An entry written by the office, optionally crediting units."""
    require_office(actor)
    current = lock_issue(issue, expected_version)
    require_editable(current)
    title, body, section = clean_entry_text(kind=kind, title=title, body=body, section=section)
    position = _next_position(current, kind)
    entry = _new_entry(
        current,
        actor,
        kind=kind,
        title=title,
        body=body,
        section=section,
        source_line=_clean_source_line(source_line),
    )
    _credit(entry, [(None, unit) for unit in units])
    _insert(current, entry, position)
    touch(current, actor, bump=False)
    index_entries([entry])
    _audit("create_entry", actor, current, entry=entry.pk)
    return entry


@transaction.atomic
def do_update_entry(
    *,
    entry: Entry,
    actor: User,
    expected_version: int,
    kind: str,
    title: str,
    body: str,
    section: str,
    source_line: str | None,
) -> Entry:
    """Change the printed text of an entry (the unit's original is never touched)."""
    require_office(actor)
    # Issue first, then entry: the same lock order as every other entry write.
    issue = lock_issue(entry.issue)
    current = (
        Entry.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=entry.pk)
    )
    if current.version != expected_version:
        raise StaleIssueError(current)
    require_editable(issue)
    title, body, section = clean_entry_text(kind=kind, title=title, body=body, section=section)
    touch(issue, actor, bump=False)
    current.kind, current.title, current.body, current.section = kind, title, body, section
    current.source_line = _clean_source_line(source_line)
    current.version += 1
    current.updated_at, current.updated_by = timezone.now(), actor
    current.save()
    index_entries([current])
    _audit("edit_entry", actor, issue, entry=current.pk)
    return current


@transaction.atomic
def do_reorder_entries(
    *,
    issue: Issue,
    actor: User,
    entry_ids: Sequence[int],
    expected_version: int | None = None,
    expected_order: Sequence[int] | None = None,
    via: str = "",
) -> Issue:
    """Put the entries in the given order (every entry of the issue exactly once).

    `expected_order` is the order the caller's page showed: when the entries were reordered,
    added or removed since, the page is stale and nothing changes (StaleIssueError).
    """
    require_office(actor)
    current = lock_issue(issue, expected_version)
    require_editable(current)
    entries = {e.pk: e for e in current.entries.only("pk", "order")}
    if expected_order is not None and list(expected_order) != list(entries):
        raise StaleIssueError(current)
    if sorted(entry_ids) != sorted(entries):
        raise ValidationError("排序须包含本期每个条目各一次。")
    _renumber(entries[pk] for pk in entry_ids)
    touch(current, actor, bump=False)
    detail: dict[str, object] = {"order": list(entry_ids)}
    if via:
        detail["via"] = via
    _audit("reorder", actor, current, **detail)
    return current


@transaction.atomic
def do_remove_entry(*, entry: Entry, actor: User, expected_version: int | None = None) -> Issue:
    """Take an entry out of a draft; its submissions become available again."""
    require_office(actor)
    current = lock_issue(entry.issue, expected_version)
    require_editable(current)
    Entry.objects.filter(pk=entry.pk, issue=current).delete()
    _renumber(current.entries.only("pk", "order"))
    touch(current, actor, bump=False)
    unindex_entry(current, entry.pk)
    _audit("remove_entry", actor, current, entry=entry.pk)
    return current
