"""Collect the engine's facts from the database for a date range (bulk reads, no model objects).

- adoptions: `bulletins.Adoption` rows (our own series on publish, archive imports, outside
  outlets recorded by editors), grouped per item × outlet × outlet issue × level × date into one
  fact credited to all the units of the group (merged/joint items share);
- 送阅件: emergency reports the office forwarded to leaders (`jianbao.emergency`), as
  adoptions by the outlet 「送阅件」;
- instructions: `Instruction`, credited to the item's source units; `first` is False when an
  earlier instruction exists on the same item;
- outcomes: `jianbao.commissions.selectors.commission_outcomes` and
  `jianbao.instructions.selectors.feedback_outcomes` (instruction feedback; missed/late only);
- submissions: reported items (submitted_at set, not a draft), dated by their local report day,
  reaching back far enough for every quota period that ends in the range;
- corrections: accepted objections with points.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from jianbao.accounts.models import Unit
from jianbao.assessment.models import Instruction, Objection, ObjectionState
from jianbao.assessment.selectors import unit_class_map
from jianbao.bulletins.models import Adoption, EntrySource
from jianbao.commissions.selectors import commission_outcomes
from jianbao.emergency.selectors import forwarded_reports
from jianbao.instructions.selectors import feedback_outcomes
from jianbao.scoring.model import (
    AdoptionFact,
    CorrectionFact,
    Facts,
    InstructionFact,
    OutcomeFact,
    SubmissionFact,
    UnitFact,
)
from jianbao.submissions.models import Submission
from jianbao.submissions.workflow import State


def lookback_start(start: date) -> date:
    """The first day whose submissions can count for a quota period ending on or after start."""
    return min(date(start.year, 1, 1), start - timedelta(days=7))


def collect_facts(*, start: date, end: date) -> Facts:
    """Every fact the engine needs to score [start, end]."""
    return Facts(
        units=_units(),
        adoptions=_adoptions(start, end),
        instructions=_instructions(start, end),
        outcomes=_outcomes(start, end),
        submissions=_submissions(lookback_start(start), end),
        corrections=_corrections(start, end),
    )


def _units() -> tuple[UnitFact, ...]:
    classes = unit_class_map()
    return tuple(
        UnitFact(id=pk, name=short or name, unit_class=classes[pk].name if pk in classes else "")
        for pk, name, short in Unit.objects.filter(active=True)
        .order_by("pk")
        .values_list("pk", "name", "short_name")
    )


def _item_key(entry_id: int | None, submission_id: int | None, pk: int) -> str:
    if submission_id is not None and entry_id is None:
        return f"s{submission_id}"
    if entry_id is not None:
        return f"e{entry_id}"
    return f"a{pk}"


def _adoptions(start: date, end: date) -> tuple[AdoptionFact, ...]:
    rows = Adoption.objects.filter(date__gte=start, date__lte=end).values_list(
        "pk", "entry_id", "submission_id", "unit_id", "outlet", "outlet_issue", "level", "form",
        "date", "forwarded",
    ).order_by("pk")  # fmt: skip
    groups: dict[tuple, list[int]] = {}
    first_pk: dict[tuple, int] = {}
    days: dict[object, date] = {}
    for pk, entry, submission, unit, outlet, issue, level, form, day, forwarded in _raw(rows):
        when = days.get(day)
        if when is None:  # text on SQLite: parsed once per distinct day
            when = days[day] = day if isinstance(day, date) else date.fromisoformat(day)
        key = (_item_key(entry, submission, pk), outlet, issue, level, form, when, bool(forwarded))
        units = groups.get(key)
        if units is None:
            groups[key] = [unit]
            first_pk[key] = pk
        else:
            units.append(unit)
    songyue = tuple(  # 送阅件 forwarded to leaders (R4: 送阅件 adopted)
        AdoptionFact(
            id=f"em{r.thread_id}", item=f"em{r.thread_id}", units=(r.unit_id,), outlet="送阅件",
            level="district", form="single", date=r.date,
        )
        for r in forwarded_reports(start=start, end=end)
    )  # fmt: skip
    return songyue + tuple(
        AdoptionFact(
            id=str(first_pk[key]), item=key[0],
            units=(units[0],) if len(units) == 1 else tuple(sorted(set(units))), outlet=key[1],
            outlet_issue=key[2], level=key[3], form=key[4], date=key[5], forwarded=key[6],
        )
        for key, units in groups.items()
    )  # fmt: skip


def _raw(rows: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query straight from the cursor: Django's per-value converters
    (dates, booleans) cost about a second per 100,000 rows; callers convert what they need."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def item_units(
    submission_ids: set[int], entry_ids: set[int]
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """The credited units of submissions (their source units, else the reporting unit) and of
    printed entries (their sources)."""
    by_submission: dict[int, list[int]] = defaultdict(list)
    through = Submission.source_units.through
    for sid, uid in through.objects.filter(submission_id__in=submission_ids).values_list(
        "submission_id", "unit_id"
    ):
        by_submission[sid].append(uid)
    for sid, uid in Submission.objects.filter(pk__in=submission_ids).values_list("pk", "unit_id"):
        if not by_submission.get(sid):
            by_submission[sid].append(uid)
    by_entry: dict[int, list[int]] = defaultdict(list)
    for eid, uid in EntrySource.objects.filter(entry_id__in=entry_ids).values_list(
        "entry_id", "unit_id"
    ):
        by_entry[eid].append(uid)
    return by_submission, by_entry


def _instructions(start: date, end: date) -> tuple[InstructionFact, ...]:
    rows = list(
        Instruction.objects.filter(date__gte=start, date__lte=end).values_list(
            "pk", "submission_id", "entry_id", "leader_name", "leader_level", "date"
        )
    )
    if not rows:
        return ()
    by_submission, by_entry = item_units({r[1] for r in rows if r[1]}, {r[2] for r in rows if r[2]})
    earlier = _first_instruction_per_item(rows)
    facts = []
    for pk, submission, entry, leader, level, day in rows:
        units = by_submission.get(submission, []) if submission else by_entry.get(entry, [])
        key = f"s{submission}" if submission else f"e{entry}"
        facts.append(
            InstructionFact(
                id=str(pk), item=key, units=tuple(sorted(set(units))), level=level, date=day,
                leader=leader, first=earlier.get(key) == pk,
            )
        )  # fmt: skip
    return tuple(facts)


def _first_instruction_per_item(rows: list[tuple]) -> dict[str, int]:
    """The pk of the first instruction ever recorded on each item of these rows."""
    submissions = {r[1] for r in rows if r[1]}
    entries = {r[2] for r in rows if r[2] and not r[1]}
    first: dict[str, tuple[date, int]] = {}
    everything = Instruction.objects.filter(
        Q(submission_id__in=submissions) | Q(entry_id__in=entries, submission__isnull=True)
    ).values_list("pk", "submission_id", "entry_id", "date")
    for pk, submission, entry, day in everything:
        key = f"s{submission}" if submission else f"e{entry}"
        if key not in first or (day, pk) < first[key]:
            first[key] = (day, pk)
    return {key: pk for key, (_, pk) in first.items()}


def _outcomes(start: date, end: date) -> tuple[OutcomeFact, ...]:
    commissions = tuple(
        OutcomeFact(
            id=f"{o.commission_id}-{o.unit_id}", kind="commission", unit=o.unit_id,
            outcome=o.state, date=o.deadline, title=o.title,
        )
        for o in commission_outcomes(start=start, end=end)
        if o.state in ("missed", "late")
    )  # fmt: skip
    feedback = tuple(
        OutcomeFact(
            id=f"f{o.follow_up_id}-{o.unit_id}", kind="feedback", unit=o.unit_id,
            outcome=o.state, date=o.due_date, title=o.title,
        )
        for o in feedback_outcomes(start=start, end=end)
        if o.state in ("missed", "late")
    )  # fmt: skip
    return commissions + feedback


def _submissions(start: date, end: date) -> tuple[SubmissionFact, ...]:
    """Reported items by local report day. The time is read as text and converted here: the
    database drivers' per-row datetime parsing (and SQLite's TruncDate) cost seconds at 200,000
    rows."""
    rows = (
        Submission.objects.filter(
            submitted_at__gte=_local_midnight(start),
            submitted_at__lt=_local_midnight(end + timedelta(days=1)),
        )
        .exclude(state__in=[State.DRAFT, State.AWAITING_UNIT_APPROVAL, State.SENT_BACK])
        .annotate(at=Cast("submitted_at", CharField()))
        .values_list("pk", "unit_id", "at", "kind")
    )
    zone = timezone.get_current_timezone()
    days: dict[str, date] = {}
    facts: list[SubmissionFact] = []
    append = facts.append
    for pk, unit, at, kind in _raw(rows):
        hour = at[:13]  # "2025-03-04 01" (UTC): every submission of that hour has one local day
        day = days.get(hour)
        if day is None:
            moment = datetime.fromisoformat(at[:19]).replace(tzinfo=UTC)
            day = days[hour] = moment.astimezone(zone).date()
        append(SubmissionFact(str(pk), unit, day, kind))
    return tuple(facts)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _corrections(start: date, end: date) -> tuple[CorrectionFact, ...]:
    rows = Objection.objects.filter(
        state=ObjectionState.ACCEPTED,
        correction_points__isnull=False,
        correction_date__gte=start,
        correction_date__lte=end,
    ).values_list("pk", "unit_id", "correction_date", "correction_points", "answer")
    return tuple(
        CorrectionFact(id=str(pk), unit=unit, date=day, points=points, reason=answer[:100])
        for pk, unit, day, points, answer in rows
        if day is not None and points is not None
    )
