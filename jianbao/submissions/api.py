"""Submission endpoints: list, read, create, edit, transition — through the same services."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from jianbao.accounts.models import Unit, User
from jianbao.bounds import MAX_IDS, Id, Offset, Version
from jianbao.submissions import selectors, services
from jianbao.submissions.models import Kind, Submission, Urgency
from jianbao.submissions.policy import available_transitions

router = Router(tags=["submissions"])


class UnitOut(Schema):
    id: int
    name: str


class SubmissionOut(Schema):
    id: int
    title: str
    body: str
    kind: str
    urgency: str
    state: str
    state_label: str
    unit: UnitOut
    source_units: list[UnitOut]
    author: str
    contact: str
    version: int
    claimed_by: str | None
    submitted_at: datetime | None
    updated_at: datetime
    allowed_actions: list[str]


class SubmissionListOut(Schema):
    count: int
    items: list[SubmissionOut]


class SubmissionIn(Schema):
    title: str = Field("", max_length=200)
    body: str = Field(..., max_length=100_000)
    kind: Kind = Kind.ITEM
    urgency: Urgency = Urgency.NORMAL
    contact: str = Field("", max_length=100)
    source_unit_ids: list[Id] = Field(default_factory=list, max_length=MAX_IDS)


class SubmissionPatch(Schema):
    version: Version
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=100_000)
    kind: Kind | None = None
    urgency: Urgency | None = None
    contact: str | None = Field(None, max_length=100)
    source_unit_ids: list[Id] | None = Field(None, max_length=MAX_IDS)


class TransitionIn(Schema):
    action: str = Field(..., max_length=50)
    reason: str = Field("", max_length=2000)
    version: Version | None = None


class RevisionOut(Schema):
    number: int
    title: str
    body: str
    author: str
    by_office: bool
    note: str
    created_at: datetime


class DecisionOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str | None
    reason: str
    created_at: datetime


class ListFilters(Schema):
    state: str | None = Field(None, max_length=30)
    unit_id: Id | None = None
    kind: str | None = Field(None, max_length=20)
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = Field(None, max_length=200)
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _out(user: User, s: Submission) -> SubmissionOut:
    return SubmissionOut(
        id=s.pk,
        title=s.title,
        body=s.body,
        kind=s.kind,
        urgency=s.urgency,
        state=s.state,
        state_label=s.get_state_display(),
        unit=UnitOut(id=s.unit.pk, name=s.unit.name),
        source_units=[UnitOut(id=u.pk, name=u.name) for u in s.source_units.all()],
        author=str(s.author),
        contact=s.contact,
        version=s.version,
        claimed_by=str(s.claimed_by) if s.claimed_by else None,
        submitted_at=s.submitted_at,
        updated_at=s.updated_at,
        allowed_actions=[t.action.value for t in available_transitions(user, s)],
    )


def _units(ids: list[int]) -> list[Unit]:
    units = list(Unit.objects.filter(pk__in=ids, active=True))
    missing = set(ids) - {u.pk for u in units}
    if missing:
        raise ValidationError({"source_unit_ids": f"未知的单位编号：{sorted(missing)}"})
    return units


@router.get("", response=SubmissionListOut, summary="List the submissions you may see")
def list_submissions(request: HttpRequest, filters: Query[ListFilters]) -> SubmissionListOut:
    user = _user(request)
    inbox_filter = selectors.InboxFilter(
        unit_id=filters.unit_id,
        kind=filters.kind,
        state=filters.state,
        date_from=filters.date_from,
        date_to=filters.date_to,
        text=filters.q,
    )
    if user.is_office_staff:
        qs = selectors.inbox(user, inbox_filter)
        total = selectors.inbox_total(user, inbox_filter)
    else:
        qs = selectors.filter_submissions(
            selectors.submissions_visible_to(user), inbox_filter, user
        ).order_by("-updated_at", "-pk")
        total = qs.count()
    rows = Submission.objects.select_related("unit", "author", "claimed_by").prefetch_related(
        "source_units"
    )
    page = selectors.ByKeysFirst(qs, rows=rows)[filters.offset : filters.offset + filters.limit]
    return SubmissionListOut(count=total, items=[_out(user, s) for s in page])


@router.get("/{submission_id}", response=SubmissionOut, summary="Read one submission")
def get_submission(request: HttpRequest, submission_id: int) -> SubmissionOut:
    user = _user(request)
    return _out(user, selectors.get_submission(user, submission_id))


@router.post("", response={201: SubmissionOut}, summary="Create a draft")
def create_submission(request: HttpRequest, payload: SubmissionIn) -> Status:
    user = _user(request)
    submission = services.do_create_submission(
        author=user,
        title=payload.title,
        body=payload.body,
        kind=payload.kind,
        urgency=payload.urgency,
        contact=payload.contact,
        source_units=_units(payload.source_unit_ids),
    )
    return Status(201, _out(user, submission))


@router.patch("/{submission_id}", response=SubmissionOut, summary="Edit (needs the version read)")
def edit_submission(
    request: HttpRequest, submission_id: int, payload: SubmissionPatch
) -> SubmissionOut:
    user = _user(request)
    submission = services.do_update_submission(
        submission=selectors.get_submission(user, submission_id),
        actor=user,
        expected_version=payload.version,
        title=payload.title,
        body=payload.body,
        kind=payload.kind,
        urgency=payload.urgency,
        contact=payload.contact,
        source_units=_units(payload.source_unit_ids)
        if payload.source_unit_ids is not None
        else None,
    )
    return _out(user, submission)


@router.post("/{submission_id}/transitions", response=SubmissionOut, summary="Perform an action")
def transition_submission(
    request: HttpRequest, submission_id: int, payload: TransitionIn
) -> SubmissionOut:
    user = _user(request)
    submission = services.do_transition(
        submission=selectors.get_submission(user, submission_id),
        action=payload.action,
        actor=user,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _out(user, submission)


@router.get("/{submission_id}/revisions", response=list[RevisionOut], summary="All revisions")
def list_revisions(request: HttpRequest, submission_id: int) -> list[RevisionOut]:
    submission = selectors.get_submission(_user(request), submission_id)
    return [
        RevisionOut(
            number=r.number,
            title=r.title,
            body=r.body,
            author=str(r.author),
            by_office=r.by_office,
            note=r.note,
            created_at=r.created_at,
        )
        for r in submission.revisions.select_related("author")
    ]


@router.get("/{submission_id}/history", response=list[DecisionOut], summary="Every transition")
def list_history(request: HttpRequest, submission_id: int) -> list[DecisionOut]:
    submission = selectors.get_submission(_user(request), submission_id)
    return [
        DecisionOut(
            action=d.action,
            from_state=d.from_state,
            to_state=d.to_state,
            actor=str(d.actor) if d.actor else None,
            reason=d.reason,
            created_at=d.created_at,
        )
        for d in submission.decisions.select_related("actor")
    ]
