"""The statistics page as XLSX: one sheet per chart, with every unit in the per-unit sheet."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from jianbao.assessment.reports.workbook import as_number
from jianbao.xlsx import Sheet, workbook_bytes

if TYPE_CHECKING:
    from jianbao.assessment.statistics import Statistics


def _points(value: Decimal) -> Decimal | int:
    return as_number(str(value))


def statistics_workbook(stats: Statistics) -> bytes:
    """Every table of the statistics page, values only."""
    unit_rows = sorted(stats.units, key=lambda u: (u.class_name, u.rank, u.unit))
    sheets = [
        Sheet(
            "各单位",
            [
                "考核分类",
                "单位",
                "报送条数",
                "被采用条数",
                "采用率",
                "采用次数",
                "得分",
                "类内名次",
            ],
            [
                [
                    u.class_name,
                    u.unit,
                    u.submitted,
                    u.adopted_items,
                    u.adoption_rate,
                    u.adoptions,
                    _points(u.points),
                    u.rank,
                ]
                for u in unit_rows
            ],
            [14, 30, 10, 12, 10, 10, 10, 10],
        ),
        Sheet(
            "各类别",
            [
                "考核分类",
                "单位数",
                "报送条数",
                "被采用条数",
                "采用率",
                "采用次数",
                "总分",
                "平均分",
            ],
            [
                [
                    c.class_name,
                    c.units,
                    c.submitted,
                    c.adopted_items,
                    c.adoption_rate,
                    c.adoptions,
                    _points(c.points),
                    c.average_points,
                ]
                for c in stats.classes
            ],
            [14, 8, 10, 12, 10, 10, 10, 10],
        ),
        Sheet(
            "月度趋势",
            ["月份", "报送条数", "采用次数", "得分"],
            [[m.label, m.submitted, m.adoptions, _points(m.points)] for m in stats.months],
            [14, 10, 10, 10],
        ),
        Sheet("采用级别", ["级别", "采用次数"], [list(row) for row in stats.by_level], [12, 10]),
        Sheet("采用载体", ["载体", "采用次数"], [list(row) for row in stats.by_outlet], [30, 10]),
        Sheet(
            "约稿按时报送",
            ["考核分类", "按时", "逾期", "未报", "未到期", "按时率"],
            [
                [r["class"], r["on_time"], r["late"], r["missed"], r["open"], r["on_time_rate"]]
                for r in stats.commissions
            ],
            [14, 8, 8, 8, 8, 10],
        ),
        Sheet(
            "采用最多的信息",
            ["信息标题", "报送单位", "采用次数"],
            [[i["title"], i["unit"], i["count"]] for i in stats.top_items],
            [60, 24, 10],
        ),
    ]
    return workbook_bytes(sheets)
