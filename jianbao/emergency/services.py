"""Every write to emergency reports: start, 初报/续报/终报, and the 送阅件 forwarded to leaders.

Time is passed in (`now`), so the limits and lateness are tested without waiting.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.selectors import office_staff
from jianbao.accounts.services import record_audit_event
from jianbao.bulletins.models import Series
from jianbao.emergency import clock
from jianbao.emergency.models import EmergencyReport, EmergencyThread, ReportKind, ThreadState
from jianbao.emergency.selectors import limits, may_manage, may_start
from jianbao.notifications.models import NotificationKind
from jianbao.notifications.services import do_notify
from jianbao.typeset import Bulletin, Entry, render_pdf

TITLE_MAX = 200
TEXT_MAX = 5000
SERIES = "送阅件"


def _url(thread: EmergencyThread) -> str:
    return reverse("emergency:detail", args=[thread.pk])


@transaction.atomic
def do_start_emergency(*, actor: User, title: str, now: datetime | None = None) -> EmergencyThread:
    """Start an emergency report: the start time is stamped and the office alerted at once."""
    if not may_start(actor):
        raise PermissionDenied("只有单位信息员可以报送紧急信息。")
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "请填写事件标题，如「某路段发生交通事故」。"})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": f"事件标题不能超过 {TITLE_MAX} 字。"})
    now = now or timezone.now()
    assert actor.unit_id is not None  # may_start
    thread = EmergencyThread.objects.create(
        unit_id=actor.unit_id, title=title, started_by=actor, started_at=now,
        next_due_at=clock.due_of_next(started_at=now, reported=[], limits=limits()),
    )  # fmt: skip
    record_audit_event(
        action="emergency.start",
        actor=actor,
        object_type="emergency",
        object_id=thread.pk,
        detail={"title": title},
    )
    do_notify(
        recipients=office_staff(),
        kind=NotificationKind.EMERGENCY_REPORT,
        title=f"紧急信息：{thread.unit}「{title}」",
        url=_url(thread),
        actor=actor,
    )
    return thread


@dataclass(frozen=True)
class Elements:
    """The standard elements (要素) of an emergency report."""

    occurred: str
    place: str
    what: str
    contact: str
    casualties: str = ""
    causes: str = ""
    measures: str = ""
    next_steps: str = ""


def _check(elements: Elements) -> Elements:
    errors: dict[str, str] = {}
    for name, label in [("occurred", "事发时间"), ("place", "事发地点"), ("what", "事件经过"),
                        ("contact", "联系人及电话")]:  # fmt: skip
        if not getattr(elements, name).strip():
            errors[name] = f"请填写{label}。"
    for name, value in elements.__dict__.items():
        if len(value) > TEXT_MAX:
            errors[name] = f"内容不能超过 {TEXT_MAX} 字。"
    if errors:
        raise ValidationError(errors)
    return Elements(**{k: v.strip() for k, v in elements.__dict__.items()})


def _kind_allowed(thread: EmergencyThread, kind: str) -> None:
    if thread.state != ThreadState.OPEN:
        raise ValidationError("该紧急信息已终报，不能再续报。")
    if kind not in ReportKind.values:
        raise ValidationError({"kind": "报告类型无效。"})
    first = not thread.reports.exists()
    if first and kind != ReportKind.INITIAL:
        raise ValidationError({"kind": "请先报送初报。"})
    if not first and kind == ReportKind.INITIAL:
        raise ValidationError({"kind": "初报已报送，请选择续报或终报。"})


@transaction.atomic
def do_add_report(
    *,
    actor: User,
    thread: EmergencyThread,
    kind: str,
    elements: Elements,
    now: datetime | None = None,
) -> EmergencyReport:
    """Add 初报/续报/终报 to a thread; one made after its due moment is flagged late."""
    if not may_start(actor) or actor.unit_id != thread.unit_id:
        raise PermissionDenied("只有本单位信息员可以续报。")
    thread = EmergencyThread.objects.select_for_update().get(pk=thread.pk)
    _kind_allowed(thread, kind)
    elements = _check(elements)
    now = now or timezone.now()
    due = thread.next_due_at or now
    report = EmergencyReport.objects.create(
        thread=thread, kind=kind, reported_by=actor, reported_at=now, due_at=due,
        late=clock.is_late(due_at=due, reported_at=now), **elements.__dict__,
    )  # fmt: skip
    if kind == ReportKind.FINAL:
        thread.state, thread.next_due_at = ThreadState.FINAL, None
    else:
        thread.next_due_at = clock.due_of_next(
            started_at=thread.started_at, reported=[now], limits=limits()
        )
    thread.save(update_fields=["state", "next_due_at"])
    record_audit_event(
        action="emergency.report",
        actor=actor,
        object_type="emergency",
        object_id=thread.pk,
        detail={"kind": kind, "late": report.late},
    )
    late = "（逾期）" if report.late else ""
    do_notify(
        recipients=office_staff(),
        kind=NotificationKind.EMERGENCY_REPORT,
        title=f"紧急信息{report.get_kind_display()}{late}：{thread.unit}「{thread.title}」",
        url=_url(thread),
        body=elements.what[:500],
        actor=actor,
    )
    return report


def _organ() -> str:
    series = Series.objects.filter(active=True).order_by("pk").first()
    return series.organ if series is not None else "信息科"


def _bulletin(thread: EmergencyThread, number: int, day: datetime) -> Bulletin:
    entries = []
    for report in thread.reports.all():
        parts = [
            f"{label}：{value}"
            for label, value in [
                ("事发时间", report.occurred), ("事发地点", report.place),
                ("事件经过", report.what), ("伤亡和损失", report.casualties),
                ("原因", report.causes), ("已采取的措施", report.measures),
                ("下一步工作", report.next_steps), ("联系人", report.contact),
            ]
            if value
        ]  # fmt: skip
        stamp = timezone.localtime(report.reported_at).strftime("%m月%d日%H:%M")
        entries.append(
            Entry(
                kind="item", title=f"{report.get_kind_display()}（{stamp}）",
                body="\n".join(parts), source_units=(thread.unit.short_name or thread.unit.name,),
            )
        )  # fmt: skip
    entries[0] = replace(entries[0], section=thread.title)
    return Bulletin(
        series=SERIES, year=day.year, number=number, organ=_organ(),
        date=timezone.localdate(day), entries=tuple(entries),
    )  # fmt: skip


@transaction.atomic
def do_forward_to_leaders(
    *, actor: User, thread: EmergencyThread, now: datetime | None = None
) -> EmergencyThread:
    """Compile the thread into a 送阅件 (official typesetter, masthead 「送阅件」), store the PDF
    with its SHA-256 and notify the leaders."""
    if not may_manage(actor):
        raise PermissionDenied("只有信息科编辑可以编发送阅件。")
    thread = EmergencyThread.objects.select_for_update().get(pk=thread.pk)
    if not thread.reports.exists():
        raise ValidationError("尚无书面报告，不能编发送阅件。")
    now = now or timezone.now()
    year = timezone.localdate(now).year
    number = (
        EmergencyThread.objects.filter(compiled_at__year=year).exclude(pk=thread.pk).count() + 1
    )
    content = render_pdf(_bulletin(thread, number, now))
    thread.compiled_pdf.save(f"songyue-{year}-{number}.pdf", ContentFile(content), save=False)
    thread.compiled_sha256 = hashlib.sha256(content).hexdigest()
    thread.compiled_at, thread.compiled_by = now, actor
    thread.save(update_fields=["compiled_pdf", "compiled_sha256", "compiled_at", "compiled_by"])
    record_audit_event(
        action="emergency.forward",
        actor=actor,
        object_type="emergency",
        object_id=thread.pk,
        detail={"sha256": thread.compiled_sha256, "number": number},
    )
    do_notify(
        recipients=User.objects.filter(is_active=True, is_leader=True),
        kind=NotificationKind.EMERGENCY_FORWARDED,
        title=f"送阅件：{thread.title}",
        url=_url(thread),
        actor=actor,
    )
    return thread
