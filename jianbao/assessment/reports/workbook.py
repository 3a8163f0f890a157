"""The 通报 as XLSX: a sheet per unit class, the units with no adoption, and how ties are ranked."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from jianbao.ranking import TIE_RULE
from jianbao.xlsx import Cell, Sheet, workbook_bytes

RANKING_HEADERS = [
    "名次",
    "单位",
    "得分",
    "中央采用",
    "省级采用",
    "市级采用",
    "区级采用",
    "采用合计",
    "备注",
]
RANKING_WIDTHS = [8, 30, 10, 10, 10, 10, 10, 10, 10]
LEVELS = ("central", "province", "city", "district")


def as_number(text: str) -> Decimal | int:
    """Points as a number cell: whole numbers stay integers."""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else value


def ranking_rows(snapshot_class: dict[str, Any]) -> list[list[Cell]]:
    """One class's ranking as sheet rows."""
    rows: list[list[Cell]] = []
    for line in snapshot_class["lines"]:
        levels = line["by_level"]
        rows.append(
            [
                line["rank"],
                line["unit"],
                as_number(line["points"]),
                *(levels.get(level, 0) for level in LEVELS),
                line["adopted"],
                "并列" if line["tied"] else "",
            ]
        )
    return rows


def report_workbook(*, title: str, period_label: str, snapshot: Sequence[dict[str, Any]]) -> bytes:
    """The XLSX of a 通报: values only, Chinese headers, column widths set."""
    sheets = [
        Sheet(cls["class"], RANKING_HEADERS, ranking_rows(cls), RANKING_WIDTHS) for cls in snapshot
    ]
    missing = [[cls["class"], unit] for cls in snapshot for unit in cls["without_adoption"]]
    sheets.append(Sheet("未被采用单位", ["考核分类", "单位"], missing, [16, 30]))
    sheets.append(
        Sheet(
            "说明",
            ["项目", "内容"],
            [["标题", title], ["期间", period_label], ["排名规则", TIE_RULE]],
            [12, 100],
        )
    )
    return workbook_bytes(sheets)
