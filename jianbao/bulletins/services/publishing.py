"""Publishing (印发): render and freeze the files, mark the sources published, record adoptions."""

from __future__ import annotations

from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
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
from jianbao.bulletins.rendering import RenderedFile, file_name, render_issue
from jianbao.bulletins.selectors import entries_of
from jianbao.bulletins.services.common import lock_issue, require_office, touch
from jianbao.bulletins.services.indexing import index_entries, unindex_entry
from jianbao.bulletins.services.issues import check_transition
from jianbao.bulletins.workflow import IssueAction, IssueState
from jianbao.media import files_discarded_on_error
from jianbao.submissions.services import do_transition
from jianbao.submissions.workflow import Action, State


@transaction.atomic
def do_publish_issue(*, issue: Issue, actor: User, expected_version: int | None = None) -> Issue:
    """Publish a signed issue: render DOCX, PDF and HTML, store them with their SHA-256."""
    require_office(actor)
    current = lock_issue(issue, expected_version)
    check_transition(current, IssueAction.PUBLISH, actor)
    # A signed issue is frozen, so rendering can move to a background task unchanged: render,
    # then call `finish_publication` with the same version.
    files = render_issue(current)
    return finish_publication(issue=current, actor=actor, files=files)


@transaction.atomic
def finish_publication(*, issue: Issue, actor: User, files: list[RenderedFile]) -> Issue:
    """Store rendered files and mark the issue and its sources published."""
    current = lock_issue(issue, issue.version)
    check_transition(current, IssueAction.PUBLISH, actor)
    with files_discarded_on_error() as saved:
        _finish(current, actor, files, saved)
    return current


def _finish(current: Issue, actor: User, files: list[RenderedFile], saved: list[FieldFile]) -> None:
    now = timezone.now()
    stored = [_store(current, rendered, now) for rendered in files]
    saved.extend(item.file for item in stored)
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


def _store(issue: Issue, rendered: RenderedFile, now: datetime) -> IssueFile:
    item = IssueFile(
        issue=issue,
        format=rendered.format,
        sha256=rendered.sha256,
        size=len(rendered.content),
        created_at=now,
    )
    item.file.save(file_name(issue, rendered.format), ContentFile(rendered.content), save=False)
    item.save()
    return item


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
