"""Issue endpoints: list, read, create, add and merge submissions, edit entries, transitions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from jianbao.accounts.models import User
from jianbao.bounds import MAX_IDS, Id, Number, Offset, Version, Year
from jianbao.bulletins import selectors, services
from jianbao.bulletins.models import Entry, EntryKind, FileFormat, Issue
from jianbao.bulletins.policy import available_issue_transitions
from jianbao.bulletins.services.common import require_office
from jianbao.submissions.models import Submission
from jianbao.submissions.selectors import submissions_visible_to

router = Router(tags=["issues"])


class EntryOut(Schema):
    id: int
    order: int
    kind: str
    section: str
    title: str
    body: str
    source_line: str | None
    printed_source: str | None
    credited_units: list[str]
    submission_ids: list[int]
    version: int


class FileOut(Schema):
    format: str
    url: str
    sha256: str | None
    size: int | None


class IssueOut(Schema):
    id: int
    series: str
    year: int
    number: int
    total_number: int | None
    edition: int
    issue_date: date
    state: str
    state_label: str
    version: int
    signed_by: str | None
    signed_at: datetime | None
    published_at: datetime | None
    correction_notice: str
    corrects_id: int | None
    allowed_actions: list[str]
    files: list[FileOut]
    preview_pdf_url: str
    entries: list[EntryOut] | None = None


class IssueListOut(Schema):
    count: int
    items: list[IssueOut]


class IssueIn(Schema):
    series_id: Id
    issue_date: date | None = None
    number: Number | None = None


class SubmissionsIn(Schema):
    submission_ids: list[Id] = Field(..., max_length=MAX_IDS)
    version: Version | None = None


class MergeIn(SubmissionsIn):
    title: str = Field(..., max_length=200)
    body: str = Field("", max_length=100_000)
    section: str = Field("", max_length=50)
    print_sources: bool = False


class EntryIn(Schema):
    kind: EntryKind = EntryKind.ITEM
    title: str = Field("", max_length=200)
    body: str = Field(..., max_length=100_000)
    section: str = Field("", max_length=50)
    source_line: str | None = Field(None, max_length=200)
    version: Version | None = None


class EntryPatch(Schema):
    version: Version
    kind: EntryKind
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=100_000)
    section: str = Field("", max_length=50)
    source_line: str | None = Field(None, max_length=200)


class OrderIn(Schema):
    entry_ids: list[Id] = Field(..., max_length=MAX_IDS)
    version: Version | None = None


class TransitionIn(Schema):
    action: str = Field(..., max_length=50)
    reason: str = Field("", max_length=2000)
    version: Version | None = None


class CorrectionIn(Schema):
    notice: str = Field(..., max_length=2000)


class ListFilters(Schema):
    series_id: Id | None = None
    year: Year | None = None
    state: str | None = Field(None, max_length=20)
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _entry_out(entry: Entry) -> EntryOut:
    _units, line = selectors.printed_source(entry)
    sources = list(entry.sources.all())
    return EntryOut(
        id=entry.pk,
        order=entry.order,
        kind=entry.kind,
        section=entry.section,
        title=entry.title,
        body=entry.body,
        source_line=entry.source_line,
        printed_source=line,
        credited_units=list(dict.fromkeys(s.unit.name for s in sources)),
        submission_ids=list(dict.fromkeys(s.submission_id for s in sources if s.submission_id)),
        version=entry.version,
    )


def _files(issue: Issue) -> list[FileOut]:
    stored = selectors.issue_files(issue)
    return [
        FileOut(
            format=fmt,
            url=reverse("bulletins:download", args=[issue.pk, fmt]),
            sha256=stored[fmt].sha256 if fmt in stored else None,
            size=stored[fmt].size if fmt in stored else None,
        )
        for fmt in FileFormat.values
    ]


def _out(user: User, issue: Issue, *, with_entries: bool = True) -> IssueOut:
    return IssueOut(
        id=issue.pk,
        series=issue.series.title,
        year=issue.year,
        number=issue.number,
        total_number=issue.total_number,
        edition=issue.edition,
        issue_date=issue.issue_date,
        state=issue.state,
        state_label=issue.get_state_display(),
        version=issue.version,
        signed_by=str(issue.signed_by) if issue.signed_by else None,
        signed_at=issue.signed_at,
        published_at=issue.published_at,
        correction_notice=issue.correction_notice,
        corrects_id=issue.corrects_id,
        allowed_actions=[t.action.value for t in available_issue_transitions(user, issue)],
        files=_files(issue),
        preview_pdf_url=reverse("bulletins:preview_pdf", args=[issue.pk]),
        entries=[_entry_out(e) for e in selectors.entries_of(issue)] if with_entries else None,
    )


def _office_issue(request: HttpRequest, issue_id: int) -> Issue:
    require_office(_user(request))
    return selectors.get_issue(_user(request), issue_id)


def _submissions(user: User, ids: list[int]) -> list[Submission]:
    """The submissions `user` may read; a missing id and one they may not see are the same 404."""
    found = {s.pk: s for s in submissions_visible_to(user).filter(pk__in=ids)}
    missing = sorted(set(ids) - set(found))
    if missing:
        raise Http404(f"稿件 #{missing[0]} 不存在或您无权查看。")
    return [found[pk] for pk in ids]


@router.get("", response=IssueListOut, summary="List the issues you may see")
def list_issues(request: HttpRequest, filters: Query[ListFilters]) -> IssueListOut:
    user = _user(request)
    qs = selectors.issues_visible_to(user).select_related("signed_by")
    if filters.series_id:
        qs = qs.filter(series_id=filters.series_id)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.state:
        qs = qs.filter(state=filters.state)
    page = list(qs.prefetch_related("files")[filters.offset : filters.offset + filters.limit])
    return IssueListOut(count=qs.count(), items=[_out(user, i, with_entries=False) for i in page])


@router.get("/{issue_id}", response=IssueOut, summary="Read one issue with its entries")
def get_issue(request: HttpRequest, issue_id: int) -> IssueOut:
    user = _user(request)
    return _out(user, selectors.get_issue(user, issue_id))


@router.get("/{issue_id}/bulletin", response=dict, summary="The issue as bulletin JSON")
def get_bulletin_json(request: HttpRequest, issue_id: int) -> dict[str, Any]:
    return selectors.issue_to_bulletin_json(selectors.get_issue(_user(request), issue_id))


@router.post("", response={201: IssueOut}, summary="Open a new issue (next number proposed)")
def create_issue(request: HttpRequest, payload: IssueIn) -> Status[IssueOut]:
    user = _user(request)
    require_office(user)
    series = selectors.get_series(user, payload.series_id)
    issue = services.do_create_issue(
        series=series, actor=user, issue_date=payload.issue_date, number=payload.number
    )
    return Status(201, _out(user, issue))


@router.post("/{issue_id}/entries/from-submissions", response=IssueOut, summary="Add adopted")
def add_submissions(request: HttpRequest, issue_id: int, payload: SubmissionsIn) -> IssueOut:
    issue = _office_issue(request, issue_id)
    services.do_add_submissions(
        issue=issue,
        actor=_user(request),
        submissions=_submissions(_user(request), payload.submission_ids),
        expected_version=payload.version,
    )
    return _out(_user(request), selectors.get_issue(_user(request), issue_id))


@router.post("/{issue_id}/entries/merge", response=IssueOut, summary="综合采用 into one entry")
def merge_submissions(request: HttpRequest, issue_id: int, payload: MergeIn) -> IssueOut:
    issue = _office_issue(request, issue_id)
    services.do_merge_submissions_into_entry(
        issue=issue,
        actor=_user(request),
        submissions=_submissions(_user(request), payload.submission_ids),
        title=payload.title,
        body=payload.body,
        section=payload.section,
        print_sources=payload.print_sources,
        expected_version=payload.version,
    )
    return _out(_user(request), selectors.get_issue(_user(request), issue_id))


@router.post("/{issue_id}/entries", response={201: EntryOut}, summary="Write an entry")
def create_entry(request: HttpRequest, issue_id: int, payload: EntryIn) -> Status[EntryOut]:
    issue = _office_issue(request, issue_id)
    entry = services.do_create_entry(
        issue=issue,
        actor=_user(request),
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        section=payload.section,
        source_line=payload.source_line,
        expected_version=payload.version,
    )
    return Status(201, _entry_out(entry))


@router.patch("/{issue_id}/entries/{entry_id}", response=EntryOut, summary="Edit printed text")
def edit_entry(request: HttpRequest, issue_id: int, entry_id: int, payload: EntryPatch) -> EntryOut:
    issue = _office_issue(request, issue_id)
    entry = services.do_update_entry(
        entry=get_object_or_404(Entry, pk=entry_id, issue=issue),
        actor=_user(request),
        expected_version=payload.version,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        section=payload.section,
        source_line=payload.source_line,
    )
    return _entry_out(entry)


@router.delete("/{issue_id}/entries/{entry_id}", response=IssueOut, summary="Remove an entry")
def remove_entry(request: HttpRequest, issue_id: int, entry_id: int) -> IssueOut:
    issue = _office_issue(request, issue_id)
    entry = get_object_or_404(Entry, pk=entry_id, issue=issue)
    services.do_remove_entry(entry=entry, actor=_user(request))
    return _out(_user(request), selectors.get_issue(_user(request), issue_id))


@router.put("/{issue_id}/order", response=IssueOut, summary="Reorder the entries")
def reorder(request: HttpRequest, issue_id: int, payload: OrderIn) -> IssueOut:
    issue = _office_issue(request, issue_id)
    services.do_reorder_entries(
        issue=issue,
        actor=_user(request),
        entry_ids=payload.entry_ids,
        expected_version=payload.version,
    )
    return _out(_user(request), selectors.get_issue(_user(request), issue_id))


@router.post("/{issue_id}/transitions", response=IssueOut, summary="proof, sign, publish, void…")
def transition_issue(request: HttpRequest, issue_id: int, payload: TransitionIn) -> IssueOut:
    issue = _office_issue(request, issue_id)
    issue = services.do_transition_issue(
        issue=issue,
        action=payload.action,
        actor=_user(request),
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _out(_user(request), issue)


@router.post("/{issue_id}/correction", response={201: IssueOut}, summary="Start a correction")
def start_correction(
    request: HttpRequest, issue_id: int, payload: CorrectionIn
) -> Status[IssueOut]:
    issue = _office_issue(request, issue_id)
    correction = services.do_start_correction(
        issue=issue, actor=_user(request), notice=payload.notice
    )
    return Status(201, _out(_user(request), correction))
