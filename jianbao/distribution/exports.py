"""The receipt ledger of an issue as an XLSX workbook (through the shared adapter)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from jianbao.bulletins.models import Issue
from jianbao.distribution.models import Receipt
from jianbao.distribution.selectors import counts_of, distribution_of
from jianbao.xlsx import Cell, Sheet, workbook_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["序号", "报尾行", "姓名", "单位", "分发依据", "份号", "送达时间", "首次阅读",
           "签收时间", "状态", "催阅次数"]  # fmt: skip


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value is not None else None


def _state(receipt: Receipt) -> str:
    if receipt.acknowledged_at:
        return "已签收"
    return "已阅未签收" if receipt.first_read_at else "未阅"


def _rows(receipts: Iterable[Receipt]) -> list[list[Cell]]:
    return [
        [
            i,
            r.get_line_display(),
            str(r.recipient),
            r.recipient.unit.name if r.recipient.unit else "",
            r.via,
            r.copy_number,
            _local(r.delivered_at),
            _local(r.first_read_at),
            _local(r.acknowledged_at),
            _state(r),
            r.reminders,
        ]
        for i, r in enumerate(receipts, start=1)
    ]


def _summary(issue: Issue) -> list[list[Cell]]:
    counts = counts_of(issue)
    distribution = distribution_of(issue)
    return [
        ["期刊", str(issue)],
        ["印发时间", _local(issue.published_at)],
        ["印数", distribution.print_count if distribution else issue.copies],
        ["纸质件份数", counts.paper],
        ["送达人数", counts.total],
        ["已阅", counts.read],
        ["已签收", counts.acknowledged],
        ["说明", distribution.note if distribution else ""],
    ]


def ledger_workbook(issue: Issue, receipts: Iterable[Receipt]) -> bytes:
    """Two sheets: the summary (印数, counts) and one row per recipient."""
    return workbook_bytes(
        [
            Sheet(title="签收登记", headers=HEADERS, rows=_rows(receipts),
                  widths=[6, 8, 12, 24, 20, 6, 18, 18, 18, 10, 8]),
            Sheet(title="汇总", headers=["项目", "内容"], rows=_summary(issue), widths=[12, 40]),
        ]
    )  # fmt: skip
