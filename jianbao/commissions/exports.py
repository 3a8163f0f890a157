"""The commission list as an XLSX workbook (through the shared adapter `jianbao.xlsx`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from jianbao.commissions.models import Commission, CommissionTarget
from jianbao.commissions.selectors import outcome_state
from jianbao.xlsx import Cell, Sheet, workbook_bytes

MAX_ROWS = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OUTCOME_LABELS = {"on_time": "按时", "late": "逾期报送", "missed": "逾期未报", "open": "未到期"}


def _commission_rows(commissions: Sequence[Commission]) -> list[list[Cell]]:
    return [
        [
            c.pk,
            c.title,
            c.get_state_display(),
            str(c.created_by),
            c.issued_on,
            c.working_days,
            c.deadline,
            c.quota_per_unit,
            getattr(c, "n_targets", None),
            getattr(c, "n_responded", None),
            getattr(c, "n_late", None),
            getattr(c, "n_missed", None),
        ]
        for c in commissions
    ]


def _target_rows(commissions: Sequence[Commission]) -> list[list[Cell]]:
    now = timezone.now()
    targets = (
        CommissionTarget.objects.filter(commission__in=[c.pk for c in commissions])
        .select_related("commission", "unit")
        .prefetch_related("answers__submission")
        .order_by("-commission__issued_on", "commission_id", "unit__order")
    )
    rows: list[list[Cell]] = []
    for t in targets:
        state = outcome_state(deadline=t.commission.deadline, answered_at=t.answered_at, now=now)
        answers = [a.submission for a in t.answers.all()]
        rows.append(
            [
                t.commission_id,
                t.commission.title,
                t.unit.name,
                t.get_state_display(),
                OUTCOME_LABELS[state],
                timezone.localtime(t.answered_at) if t.answered_at else None,
                len(answers),
                "；".join(f"{s}（{s.get_state_display()}）" for s in answers),
                t.decline_reason,
            ]
        )
    return rows


def commissions_workbook(commissions: Sequence[Commission]) -> bytes:
    """Two sheets: the commissions with their counts, and every unit's answer."""
    return workbook_bytes(
        [
            Sheet(
                title="约稿",
                headers=["编号", "主题", "状态", "发布人", "发布日期", "期限（工作日）",
                         "截止日期", "每单位篇数", "约稿单位数", "已答复", "逾期报送", "逾期未报"],
                rows=_commission_rows(commissions),
                widths=[6, 40, 8, 10, 12, 8, 12, 8, 8, 8, 8, 8],
            ),
            Sheet(
                title="单位报送情况",
                headers=["约稿编号", "主题", "单位", "状态", "按时情况", "报送时间",
                         "稿件数", "稿件（采用情况）", "无此情况说明"],
                rows=_target_rows(commissions),
                widths=[8, 36, 18, 10, 10, 18, 6, 60, 30],
            ),
        ]
    )  # fmt: skip
