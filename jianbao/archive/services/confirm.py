"""Confirming an item: the parsed issue becomes a published archive issue, all or nothing.

The bulletins services cannot do this: they open drafts with the next free number, place items
before briefs whatever the printed order, audit every entry, and publish only by rendering new
files through sign-off. An archive issue is already printed: it is written here in one
transaction straight into the bulletins models, as printed, with the original file frozen.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.archive.models import REVIEWABLE_STATES, ImportItem, ItemState
from jianbao.archive.policy import require_importer
from jianbao.archive.selectors import UnitResolver, item_problems
from jianbao.archive.services.common import audit
from jianbao.bulletins.models import (
    Adoption,
    AdoptionForm,
    AdoptionLevel,
    Entry,
    EntryKind,
    EntrySource,
    Issue,
    IssueFile,
    Series,
)
from jianbao.bulletins.services.indexing import index_issue
from jianbao.bulletins.workflow import IssueState


class AlreadyImportedError(ValidationError):
    """The file or the issue number is already in the archive: skip, do not fail."""


def _published_at(day: datetime.date) -> datetime.datetime:
    """The printed date, as the (unknown) time of publication of a past issue."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _create_issue(series: Series, parsed: dict[str, Any], actor: User | None) -> Issue:
    footer = parsed.get("footer") or {}
    day = datetime.date.fromisoformat(parsed["date"])
    now = timezone.now()
    return Issue.objects.create(
        series=series,
        year=parsed["year"],
        number=parsed["number"],
        total_number=parsed.get("total_number"),
        issue_date=day,
        organ=parsed.get("organ") or series.organ,
        state=IssueState.PUBLISHED,
        marks=list(parsed.get("marks") or []),
        editor_note=parsed.get("editor_note") or "",
        report_to=footer.get("report_to") or "",
        send_to=footer.get("send_to") or "",
        distribute_to=footer.get("distribute_to") or "",
        extra_to=footer.get("extra_to") or "",
        editors=list(footer.get("editors") or []),
        copies=footer.get("copies"),
        is_archive=True,
        published_at=_published_at(day),
        created_by=actor,
        updated_at=now,
        updated_by=actor,
    )


def _units(entry: dict[str, Any], resolve: UnitResolver) -> list[Unit]:
    """The credited units of a parsed entry, once each; names left unattributed drop out."""
    units = [resolve(name) for name in entry["source_units"]]
    return list({unit.pk: unit for unit in units if unit is not None}.values())


def _create_entries(
    issue: Issue, parsed: dict[str, Any], resolve: UnitResolver, actor: User | None
) -> list[tuple[Entry, list[Unit]]]:
    """The printed entries in order, each with the units it credits."""
    now = timezone.now()
    entries = Entry.objects.bulk_create(
        Entry(
            issue=issue,
            order=order,
            kind=entry["kind"],
            section=entry.get("section") or "",
            title=entry.get("title") or "",
            body=entry["body"],
            # The source line exactly as printed; the credited units are kept beside it.
            source_line=entry.get("source_raw") or "",
            updated_at=now,
            updated_by=actor,
        )
        for order, entry in enumerate(parsed["entries"], start=1)
    )
    credited = [
        (row, _units(entry, resolve)) for row, entry in zip(entries, parsed["entries"], strict=True)
    ]
    EntrySource.objects.bulk_create(
        EntrySource(entry=row, unit=unit, order=order)
        for row, units in credited
        for order, unit in enumerate(units)
    )
    return credited


def _record_adoptions(
    issue: Issue, credited: list[tuple[Entry, list[Unit]]], actor: User | None
) -> None:
    """Credit the units as the office's own outlet did at the time (the scoring source)."""
    now = timezone.now()
    rows = []
    for entry, units in credited:
        form = AdoptionForm.SINGLE
        if entry.kind == EntryKind.BRIEF:
            form = AdoptionForm.BRIEF
        elif len(units) > 1:
            form = AdoptionForm.MERGED
        rows += [
            Adoption(entry=entry, issue=issue, unit=unit, outlet=issue.series.title,
                     level=AdoptionLevel.DISTRICT, form=form, date=issue.issue_date,
                     recorded_by=actor, created_at=now)
            for unit in units
        ]  # fmt: skip
    Adoption.objects.bulk_create(rows)


def _freeze_original(issue: Issue, item: ImportItem) -> None:
    """A DOCX or PDF original becomes the issue's frozen file (the same stored bytes)."""
    if item.format in ("docx", "pdf") and item.file:
        IssueFile.objects.create(
            issue=issue,
            format=item.format,
            file=item.file.name,
            sha256=item.sha256,
            size=item.size,
            created_at=timezone.now(),
        )


def _check(item: ImportItem, resolve: UnitResolver) -> None:
    if item.state not in REVIEWABLE_STATES:
        raise ValidationError(f"该文件当前状态为「{ItemState(item.state).label}」，不能导入。")
    taken = ImportItem.objects.filter(sha256=item.sha256, state=ItemState.IMPORTED)
    if taken.exclude(pk=item.pk).exists():
        raise AlreadyImportedError("同一文件已导入。")
    problems = item_problems(item, resolve)
    duplicate = [p.message for p in problems if p.code == "duplicate"]
    if duplicate:
        raise AlreadyImportedError(duplicate[0])
    if problems:
        raise ValidationError([p.message for p in problems])


@transaction.atomic
def do_confirm_item(
    *, item: ImportItem, actor: User | None, resolver: UnitResolver | None = None
) -> Issue:
    """Store the item as a published archive issue with entries, credits, file and index."""
    require_importer(actor)
    current = (
        ImportItem.objects.select_for_update(of=("self",)).select_related("batch").get(pk=item.pk)
    )
    resolve = resolver or UnitResolver()
    _check(current, resolve)
    parsed = current.parsed
    series = Series.objects.get(title=parsed["series"])
    issue = _create_issue(series, parsed, actor)
    credited = _create_entries(issue, parsed, resolve, actor)
    _freeze_original(issue, current)
    _record_adoptions(issue, credited, actor)
    index_issue(issue)
    current.state, current.issue, current.message = ItemState.IMPORTED, issue, ""
    current.updated_by = actor
    current.save()
    audit("confirm", actor, current, issue=issue.pk, sha256=current.sha256)
    return issue
