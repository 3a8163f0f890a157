"""Publishing the 通报: snapshot the ranking, render its files, freeze the period (audited).

Interfaces: `do_publish_report(...)` (chief or admin), `proposed_report_number(...)`,
`report_masthead(...)` and `render_report_file(...)` for draft downloads and frozen files.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.assessment.models import ReportFile, ReportPublication, UnitClass
from jianbao.assessment.rankings import can_publish_reports, class_rankings
from jianbao.assessment.reports.document import (
    Masthead,
    default_introduction,
    default_title,
    render_report,
)
from jianbao.assessment.reports.workbook import report_workbook
from jianbao.assessment.services import do_freeze_period
from jianbao.bulletins.models import Issue, Series, VoidedNumber
from jianbao.bulletins.workflow import IssueState
from jianbao.media import files_discarded_on_error
from jianbao.ranking import Period
from jianbao.typeset import TypesetError

REPORT_FORMATS = ("xlsx", "docx", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
MAX_INTRODUCTION = 2000


@dataclass(frozen=True)
class ReportDraft:
    """What the office chose for a 通报 before it is published."""

    series: Series
    number: int
    issue_date: datetime.date
    title: str
    introduction: str
    period: Period
    unit_class: UnitClass | None = None


def proposed_report_number(series: Series, year: int) -> int:
    """The next number free in the series and year (issues, voided numbers and 通报 count)."""
    used = [
        Issue.objects.filter(series=series, year=year)
        .exclude(state=IssueState.VOIDED)
        .aggregate(m=Max("number"))["m"],
        VoidedNumber.objects.filter(series=series, year=year).aggregate(m=Max("number"))["m"],
        ReportPublication.objects.filter(series=series, year=year).aggregate(m=Max("number"))["m"],
    ]
    return max(n or 0 for n in used) + 1


def report_masthead(draft: ReportDraft, *, correction_notice: str | None = None) -> Masthead:
    """The masthead and footer the 通报 prints, from its series."""
    series = draft.series
    return Masthead(
        series=series.title,
        organ=series.organ,
        year=draft.issue_date.year,
        number=draft.number,
        date=draft.issue_date,
        title=draft.title.strip() or default_title(draft.period.label),
        introduction=draft.introduction.strip() or default_introduction(draft.period.label),
        distribute_to=series.distribute_to,
        editors=tuple(series.editors or ()),
        correction_notice=correction_notice,
    )


def render_report_file(
    masthead: Masthead, period: Period, snapshot: list[dict[str, Any]], fmt: str
) -> bytes:
    """One file of the 通报; a Chinese ValidationError when it cannot be typeset."""
    if fmt == "xlsx":
        return report_workbook(title=masthead.title, period_label=period.label, snapshot=snapshot)
    try:
        return render_report(masthead, snapshot, fmt)
    except TypesetError as error:
        raise ValidationError(f"排版失败：{error}") from error


def _check_draft(draft: ReportDraft) -> None:
    if draft.number <= 0:
        raise ValidationError({"number": "期号应为正整数。"})
    if len(draft.introduction) > MAX_INTRODUCTION:
        raise ValidationError({"introduction": f"导语不能超过{MAX_INTRODUCTION}字。"})
    if draft.period.end > timezone.localdate():
        raise ValidationError({"period": "期间尚未结束，不能印发通报。"})


def _previous_edition(draft: ReportDraft) -> ReportPublication | None:
    """The latest edition published for the same period and class (a new one corrects it)."""
    return (
        ReportPublication.objects.select_for_update()
        .filter(
            period_start=draft.period.start,
            period_end=draft.period.end,
            unit_class=draft.unit_class,
        )
        .order_by("-edition")
        .first()
    )


def _check_number_free(draft: ReportDraft) -> None:
    year, number, series = draft.issue_date.year, draft.number, draft.series
    taken = (
        Issue.objects.filter(series=series, year=year, number=number)
        .exclude(state=IssueState.VOIDED)
        .exists()
        or VoidedNumber.objects.filter(series=series, year=year, number=number).exists()
        or ReportPublication.objects.filter(series=series, year=year, number=number).exists()
    )
    if taken:
        raise ValidationError({"number": f"《{series.title}》{year}年第{number}期已被使用。"})


@transaction.atomic
def do_publish_report(*, actor: User, draft: ReportDraft) -> ReportPublication:
    """Publish the 通报: freeze the period, keep the ranking snapshot and the files."""
    if not can_publish_reports(actor):
        raise PermissionDenied("只有签发人或管理员可以印发通报。")
    _check_draft(draft)
    Series.objects.select_for_update().filter(pk=draft.series.pk).first()  # numbers, one at a time
    previous = _previous_edition(draft)
    notice = None
    if previous is None:
        _check_number_free(draft)
    else:  # a correction keeps the number of the 通报 it corrects
        draft = replace(draft, series=previous.series, number=previous.number)
        notice = f"本通报更正{previous.issue_date:%Y年%m月%d日}印发的同期通报，以本版为准。"
    now = timezone.now()
    snapshot = [
        ranking.to_json()
        for ranking in class_rankings(
            period=draft.period, unit_class_id=draft.unit_class.pk if draft.unit_class else None
        )
    ]
    masthead = report_masthead(draft, correction_notice=notice)
    freeze = do_freeze_period(
        actor=actor,
        start=draft.period.start,
        end=draft.period.end,
        reason=f"《{masthead.series}》{masthead.year}年第{masthead.number}期通报已印发",
    )
    publication = ReportPublication.objects.create(
        series=draft.series,
        year=masthead.year,
        number=masthead.number,
        edition=previous.edition + 1 if previous else 1,
        issue_date=draft.issue_date,
        title=masthead.title,
        introduction=masthead.introduction,
        period_start=draft.period.start,
        period_end=draft.period.end,
        period_key=draft.period.key,
        unit_class=draft.unit_class,
        snapshot=snapshot,
        freeze=freeze,
        corrects=previous,
        published_by=actor,
        published_at=now,
    )
    _store_files(publication, masthead, draft.period, snapshot)
    record_audit_event(
        action="report_published",
        actor=actor,
        object_type="report",
        object_id=publication.pk,
        detail={
            "period": draft.period.key,
            "unit_class": draft.unit_class.name if draft.unit_class else "",
            "edition": publication.edition,
            "files": {f.format: f.sha256 for f in publication.files.all()},
        },
    )
    return publication


def _store_files(
    publication: ReportPublication, masthead: Masthead, period: Period, snapshot: list[Any]
) -> None:
    """Render and store the XLSX, DOCX and PDF with their SHA-256 (removed on rollback)."""
    stem = f"{masthead.series}-{masthead.year}-{masthead.number}"
    if publication.edition > 1:
        stem += f"-更正{publication.edition - 1}"
    with files_discarded_on_error() as saved:
        for fmt in REPORT_FORMATS:
            content = render_report_file(masthead, period, snapshot, fmt)
            stored = ReportFile(
                publication=publication,
                format=fmt,
                sha256=hashlib.sha256(content).hexdigest(),
                size=len(content),
            )
            stored.file.save(f"{stem}.{fmt}", ContentFile(content), save=False)
            saved.append(stored.file)
            stored.save()
