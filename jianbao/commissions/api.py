"""Commission endpoints: list, read, publish, answer, decline — through the same services."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from jianbao.accounts.models import Unit, User
from jianbao.bounds import MAX_IDS, Id, Offset
from jianbao.commissions import selectors, services
from jianbao.commissions.models import Commission, CommissionTarget, TargetMode
from jianbao.commissions.workdays import MAX_WORKING_DAYS
from jianbao.submissions.models import Kind

router = Router(tags=["commissions"])


class TargetOut(Schema):
    unit_id: int
    unit: str
    state: str
    state_label: str
    answered_at: datetime | None
    declined: bool
    decline_reason: str
    submission_ids: list[int]


class CommissionOut(Schema):
    id: int
    title: str
    description: str
    state: str
    issued_on: date
    working_days: int
    deadline: date
    deadline_estimated: bool
    quota_per_unit: int | None
    created_by: str
    targets: list[TargetOut]


class CommissionListOut(Schema):
    count: int
    items: list[CommissionOut]


class CommissionIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    working_days: int = Field(..., ge=1, le=MAX_WORKING_DAYS)
    target_mode: TargetMode = TargetMode.CHOSEN
    unit_kind: str = Field("", max_length=20)
    unit_ids: list[Id] = Field(default_factory=list, max_length=MAX_IDS)
    quota_per_unit: int | None = Field(None, ge=1, le=50)


class AnswerIn(Schema):
    submission_ids: list[Id] = Field(default_factory=list, max_length=MAX_IDS)
    # Or write a new item that is reported and linked at once:
    title: str = Field("", max_length=200)
    body: str = Field("", max_length=100_000)
    kind: Kind = Kind.ITEM
    decline_reason: str = Field("", max_length=500)


class ListFilters(Schema):
    state: str | None = Field(None, max_length=20)
    unit_id: Id | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _target_out(t: CommissionTarget) -> TargetOut:
    return TargetOut(
        unit_id=t.unit_id,
        unit=t.unit.name,
        state=t.state,
        state_label=t.get_state_display(),
        answered_at=t.answered_at,
        declined=t.declined,
        decline_reason=t.decline_reason,
        submission_ids=[a.submission_id for a in t.answers.all()],
    )


def _out(user: User, c: Commission) -> CommissionOut:
    if selectors.may_manage(user):
        targets = list(selectors.targets_of(c))
    else:
        targets = [selectors.target_for(user, c)]
    return CommissionOut(
        id=c.pk,
        title=c.title,
        description=c.description,
        state=c.state,
        issued_on=c.issued_on,
        working_days=c.working_days,
        deadline=c.deadline,
        deadline_estimated=c.deadline_estimated,
        quota_per_unit=c.quota_per_unit,
        created_by=str(c.created_by),
        targets=[_target_out(t) for t in targets],
    )


def _units(ids: list[int]) -> list[Unit]:
    units = list(Unit.objects.filter(pk__in=ids, active=True))
    missing = set(ids) - {u.pk for u in units}
    if missing:
        raise ValidationError({"unit_ids": f"未知或已停用的单位编号：{sorted(missing)}"})
    return units


@router.get("", response=CommissionListOut, summary="List the commissions you may see")
def list_commissions(request: HttpRequest, filters: Query[ListFilters]) -> CommissionListOut:
    user = _user(request)
    qs = selectors.commission_list(
        user,
        selectors.CommissionFilter(
            state=filters.state,
            unit_id=filters.unit_id,
            date_from=filters.date_from,
            date_to=filters.date_to,
            overdue=filters.overdue,
        ),
    )
    page = list(qs[filters.offset : filters.offset + filters.limit])
    return CommissionListOut(count=qs.count(), items=[_out(user, c) for c in page])


@router.get("/{commission_id}", response=CommissionOut, summary="Read one commission")
def get_commission(request: HttpRequest, commission_id: Id) -> CommissionOut:
    user = _user(request)
    return _out(user, selectors.get_commission(user, commission_id))


@router.post("", response={201: CommissionOut}, summary="Publish a commission (editors)")
def create_commission(request: HttpRequest, payload: CommissionIn) -> Status:
    user = _user(request)
    commission = services.do_create_commission(
        actor=user,
        title=payload.title,
        description=payload.description,
        working_days=payload.working_days,
        target_mode=payload.target_mode,
        unit_kind=payload.unit_kind,
        units=_units(payload.unit_ids),
        quota_per_unit=payload.quota_per_unit,
    )
    return Status(201, _out(user, commission))


@router.post(
    "/{commission_id}/answer",
    response=CommissionOut,
    summary="Answer for your unit: link reported items, write a new one, or decline (无此情况)",
)
def answer_commission(request: HttpRequest, commission_id: Id, payload: AnswerIn) -> CommissionOut:
    user = _user(request)
    commission = selectors.get_commission(user, commission_id)
    selectors.target_for(user, commission)  # 404 before anything else for other units
    chosen = [
        bool(payload.submission_ids),
        bool(payload.body.strip()),
        bool(payload.decline_reason.strip()),
    ]
    if sum(chosen) != 1:
        raise ValidationError("请只选择一种答复方式：submission_ids、body 或 decline_reason。")
    if payload.submission_ids:
        visible = selectors.linkable_submissions(user).filter(pk__in=payload.submission_ids)
        found = list(visible)
        if len(found) != len(set(payload.submission_ids)):
            raise ValidationError({"submission_ids": "只能关联本单位已报送、尚未用于约稿的稿件。"})
        services.do_answer_commission(commission=commission, actor=user, submissions=found)
    elif payload.body.strip():
        services.do_answer_with_new_submission(
            commission=commission,
            actor=user,
            title=payload.title,
            body=payload.body,
            kind=payload.kind,
        )
    else:
        services.do_decline_commission(
            commission=commission, actor=user, reason=payload.decline_reason
        )
    return _out(user, selectors.get_commission(user, commission_id))
