"""Publishing (印发): render and freeze the files, mark the sources published, record adoptions.

Crash-safe: rendering runs outside the write transaction, files are written under temporary
names and renamed to their official names only after the commit (see `jianbao.media`)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.bulletins.models import (
    Adoption,
    AdoptionForm,
    AdoptionLevel,
    Entry,
    EntryKind,
    Issue,
    IssueFile,
)
from jianbao.bulletins.rendering import RenderedFile, render_issue, stored_name
from jianbao.bulletins.selectors import entries_of
from jianbao.bulletins.services.common import StaleIssueError, lock_issue, require_office, touch
from jianbao.bulletins.services.indexing import index_entries, unindex_entry
from jianbao.bulletins.services.issues import check_transition
from jianbao.bulletins.workflow import IssueAction, IssueState
from jianbao.distribution.services import start_distribution
from jianbao.media import (
    TEMP_MARK,
    holds,
    matching_temp,
    move_into_place,
    parse_temp_name,
    remove_stored,
    write_temp_file,
)
from jianbao.notifications.models import NotificationKind
from jianbao.notifications.services import do_notify
from jianbao.submissions.services import do_transition
from jianbao.submissions.workflow import Action, State

logger = logging.getLogger(__name__)


def do_publish_issue(*, issue: Issue, actor: User, expected_version: int | None = None) -> Issue:
    """Publish a signed issue: render DOCX, PDF, HTML and OFD, store them with their SHA-256."""
    require_office(actor)
    frozen = _frozen(issue, expected_version)
    check_transition(frozen, IssueAction.PUBLISH, actor)
    # A signed issue is frozen: rendering (Typst, ~1 s) runs outside the write transaction, and
    # the short step that records the files checks that the version has not moved meanwhile.
    files = render_issue(frozen)
    return finish_publication(issue=frozen, actor=actor, files=files)


def _frozen(issue: Issue, expected_version: int | None) -> Issue:
    """The issue as stored now (no lock), refused when the caller's version is stale."""
    current = Issue.objects.select_related("series").get(pk=issue.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleIssueError(current)
    return current


def finish_publication(*, issue: Issue, actor: User, files: list[RenderedFile]) -> Issue:
    """Store rendered files and mark the issue and its sources published (crash-safe)."""
    # The files are written under temporary names first, the rows naming their final names are
    # committed in one short transaction (refused if the issue moved past `issue.version`), and
    # the files are renamed into place once that transaction commits. Any failure before the
    # commit removes the temporary files again; a crash leaves them for `jianbao doctor`.
    staged = [_stage(issue, rendered) for rendered in files]
    outcome = {"committed": False}
    try:
        return _commit_publication(issue=issue, actor=actor, staged=staged, outcome=outcome)
    except BaseException:
        if not outcome["committed"]:
            for item in staged:
                remove_stored(item.temp)
        raise


@dataclass(frozen=True)
class _Staged:
    rendered: RenderedFile
    name: str  # the official name under MEDIA_ROOT
    temp: str  # where the bytes wait until the commit


def _stage(issue: Issue, rendered: RenderedFile) -> _Staged:
    name = stored_name(issue, rendered.format)
    temp = write_temp_file(name=name, content=rendered.content, sha256=rendered.sha256)
    return _Staged(rendered, name, temp)


@transaction.atomic
def _commit_publication(
    *, issue: Issue, actor: User, staged: list[_Staged], outcome: dict[str, bool]
) -> Issue:
    current = lock_issue(issue, issue.version)
    check_transition(current, IssueAction.PUBLISH, actor)
    taken = IssueFile.objects.filter(file__in=[item.name for item in staged])
    other = taken.exclude(issue=current).select_related("issue").first()
    if other is not None:
        raise ValidationError(f"文件名「{other.file.name}」已属于{other.issue}，不能覆盖。")
    _finish(current, actor, staged)

    def move_files() -> None:
        outcome["committed"] = True
        _move_staged(staged)

    transaction.on_commit(move_files)
    return current


def _move_staged(staged: list[_Staged]) -> None:
    """Rename the committed files into place; a failure is left for `jianbao doctor`."""
    for item in staged:
        try:
            move_into_place(item.temp, item.name)
        except OSError as error:
            logger.error("could not move %s into place (%s); run jianbao doctor", item.temp, error)


def _finish(current: Issue, actor: User, staged: list[_Staged]) -> None:
    now = timezone.now()
    stored = [_record(current, item, now) for item in staged]
    entries = entries_of(current)
    _publish_submissions(entries)
    if current.corrects_id is None:
        # A correction reprints the same items: the adoptions were recorded the first time.
        _record_adoptions(current, entries, actor, now)
    current.state = IssueState.PUBLISHED
    current.published_at = now
    touch(current, actor, now)
    _index(current, entries)
    record_audit_event(
        action="issue.publish",
        actor=actor,
        object_type="issue",
        object_id=current.pk,
        detail={"files": {f.format: f.sha256 for f in stored}},
    )
    # Distribution (jianbao.distribution): recipients on the series' lists get it in 收件;
    # the blanket notice to every leader stays for series without a list.
    delivered = start_distribution(issue=current, actor=actor)
    _notify_publication(current, entries, actor, tell_leaders=not delivered)


def _issue_name(issue: Issue) -> str:
    """「《上街信息》2024年第35期」"""
    return f"《{issue.series.title}》{issue.year}年第{issue.number}期"


def _notify_publication(
    issue: Issue, entries: list[Entry], actor: User, *, tell_leaders: bool = True
) -> None:
    """Tell each reporter whose item it prints (first edition only) and every leader."""
    name, url = _issue_name(issue), f"/issues/{issue.pk}/"
    if issue.corrects_id is None:
        told: set[int] = set()
        for entry in entries:
            for source in entry.sources.all():
                submission = source.submission
                if submission is None or submission.pk in told:
                    continue
                told.add(submission.pk)
                label = submission.title or submission.body[:30]
                do_notify(
                    recipients=[submission.author],
                    kind=NotificationKind.SUBMISSION_PRINTED,
                    title=f"{name}刊发了您的信息「{label}」",
                    url=url,
                    actor=actor,
                )
    if not tell_leaders:
        return
    correction = f"（更正版：{issue.correction_notice}）" if issue.corrects_id else ""
    do_notify(
        recipients=User.objects.filter(is_leader=True, is_active=True),
        kind=NotificationKind.ISSUE_PUBLISHED,
        title=f"{name}已印发{correction}",
        url=url,
        actor=actor,
    )


def _record(issue: Issue, item: _Staged, now: datetime) -> IssueFile:
    """The row of one file, under its official name (the file itself is moved in on commit)."""
    stored = IssueFile(
        issue=issue,
        format=item.rendered.format,
        sha256=item.rendered.sha256,
        size=len(item.rendered.content),
        created_at=now,
    )
    stored.file.name = item.name
    stored.save()
    return stored


def _publish_submissions(entries: list[Entry]) -> None:
    seen: set[int] = set()
    for entry in entries:
        for source in entry.sources.all():
            submission = source.submission
            if submission is None or submission.pk in seen:
                continue
            seen.add(submission.pk)
            if submission.state == State.ADOPTED:
                do_transition(submission=submission, action=Action.PUBLISH, actor=None)


def _form_of(entry: Entry) -> AdoptionForm:
    submissions = {s.submission_id for s in entry.sources.all() if s.submission_id}
    if len(submissions) > 1:
        return AdoptionForm.MERGED
    return AdoptionForm.BRIEF if entry.kind == EntryKind.BRIEF else AdoptionForm.SINGLE


def _record_adoptions(issue: Issue, entries: list[Entry], actor: User, now: datetime) -> None:
    Adoption.objects.bulk_create(
        Adoption(
            submission_id=source.submission_id,
            entry=entry,
            issue=issue,
            unit_id=source.unit_id,
            outlet=issue.series.title,
            level=AdoptionLevel.DISTRICT,
            form=_form_of(entry),
            date=issue.issue_date,
            recorded_by=actor,
            created_at=now,
        )
        for entry in entries
        for source in entry.sources.all()
    )


def _index(issue: Issue, entries: list[Entry]) -> None:
    """Make the printed entries findable; a correction replaces the entries it supersedes."""
    index_entries(entries)
    if issue.corrects_id is not None:
        older = Entry.objects.filter(
            issue__series=issue.series,
            issue__year=issue.year,
            issue__number=issue.number,
            issue__edition__lt=issue.edition,
        ).values_list("pk", flat=True)
        for pk in older:
            unindex_entry(issue, pk)


def finish_interrupted_publications() -> list[str]:
    """Rename the files of publishes that committed but stopped before the rename; their names.

    Run by every worker at start-up and with its stale-task check, so a crash between the commit
    and the rename heals without anyone running `jianbao doctor`. A temporary file with no row is
    left alone: its publish may still be running in another process, or it rolled back (the
    doctor removes those after its grace period).
    """
    root = Path(settings.MEDIA_ROOT)
    waiting: dict[str, list[str]] = defaultdict(list)
    for path in (root / "issues").rglob(f"*{TEMP_MARK}*"):
        temp = path.relative_to(root).as_posix()
        parsed = parse_temp_name(temp)
        if parsed is not None:
            waiting[parsed[0]].append(temp)
    finished: list[str] = []
    for record in IssueFile.objects.filter(file__in=list(waiting)):
        name, temps = record.file.name, waiting[record.file.name]
        try:
            if holds(name, record.sha256):
                for temp in temps:  # the rename happened: these are copies
                    remove_stored(temp)
            elif (ready := matching_temp(record.sha256, temps)) is not None:
                move_into_place(ready, name)
                logger.warning("finished the interrupted publication of %s", name)
                finished.append(name)
        except OSError as error:  # reported by `jianbao doctor`; never stops the worker
            logger.warning("cannot finish the publication of %s: %s", name, error)
    return sorted(finished)
