"""The audit trail as people read it: filters, one readable row per event, CSV and XLSX files."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from jianbao.accounts.audit_actions import action_label, readable_detail
from jianbao.accounts.models import AuditEvent, Outcome
from jianbao.xlsx import Cell, Sheet, workbook_bytes

HEADERS = ["序号", "时间", "用户名", "姓名", "单位", "事件", "对象", "结果", "来源地址", "详情"]
WIDTHS = [8, 20, 14, 12, 20, 18, 24, 8, 16, 60]

# Readable names of the object types events point at.
OBJECT_TYPES: dict[str, str] = {
    "submission": "稿件",
    "issue": "期刊",
    "series": "刊物",
    "user": "用户",
    "unit": "单位",
    "api_token": "API 令牌",
    "import_item": "档案",
    "import_batch": "导入批次",
    "attachment": "附件",
    "issue_file": "期刊文件",
    "search": "检索索引",
    "audit": "审计日志",
}


@dataclass(frozen=True)
class AuditFilter:
    """What the auditor narrowed the trail to (every field optional)."""

    user: str = ""
    unit: str = ""
    action: str = ""
    outcome: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_detail(self) -> dict[str, str]:
        """The filters in effect, for the export's own audit event."""
        return {key: str(value) for key, value in self.__dict__.items() if value}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_audit_events(qs: QuerySet[AuditEvent], filters: AuditFilter) -> QuerySet[AuditEvent]:
    """`qs` narrowed by user (name or display name), unit, action prefix, outcome and dates."""
    if filters.user:
        qs = qs.filter(Q(actor_name=filters.user) | Q(actor_display=filters.user))
    if filters.unit:
        qs = qs.filter(actor_unit=filters.unit)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.outcome in Outcome.values:
        qs = qs.filter(outcome=filters.outcome)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return qs


def object_text(event: AuditEvent) -> str:
    """The object as text: 「稿件 #12」."""
    if not event.object_type:
        return ""
    kind = OBJECT_TYPES.get(event.object_type, event.object_type)
    return f"{kind} #{event.object_id}" if event.object_id else kind


def detail_text(event: AuditEvent) -> str:
    """The detail as 「键：值；键：值」."""
    return "；".join(f"{key}：{value}" for key, value in readable_detail(event.detail))


def event_row(event: AuditEvent) -> list[Cell]:
    """One event as the export's row."""
    return [
        event.sequence,
        timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
        event.actor_name,
        event.actor_display,
        event.actor_unit,
        action_label(event.action),
        object_text(event),
        Outcome(event.outcome).label if event.outcome in Outcome.values else event.outcome,
        event.ip_address or "本机",
        detail_text(event),
    ]


def rows_as_file(rows: list[list[Cell]], fmt: str) -> bytes:
    """The rows as a CSV (UTF-8 with BOM, for Excel and WPS) or XLSX file."""
    if fmt == "xlsx":
        return workbook_bytes([Sheet(title="审计日志", headers=HEADERS, rows=rows, widths=WIDTHS)])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def _csv_safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value  # never let a cell become a formula
    return value
