"""The shared XLSX writer: values only, Chinese headers, widths, no formula injection."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import load_workbook

from jianbao.xlsx import Sheet, workbook_bytes


def test_sheets_hold_headers_values_and_widths() -> None:
    data = workbook_bytes(
        [
            Sheet("区直单位", ["单位", "得分"], [["区司法局", Decimal("37.5")], ["区法院", 12]]),
            Sheet("街道/镇", ["单位", "时间"], [["矿山街道", datetime(2024, 6, 1, tzinfo=UTC)]],
                  widths=[20, 18]),
        ]
    )  # fmt: skip
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["区直单位", "街道_镇"]
    first = book["区直单位"]
    assert [c.value for c in first[1]] == ["单位", "得分"]
    assert [c.value for c in first[2]] == ["区司法局", 37.5]
    assert first.column_dimensions["A"].width >= 10
    assert book["街道_镇"].column_dimensions["A"].width == 20


def test_text_that_looks_like_a_formula_stays_text() -> None:
    book = load_workbook(io.BytesIO(workbook_bytes([Sheet("s", ["a"], [["=1+1"], ["-2"]])])))
    values = [row[0].value for row in book["s"].iter_rows(min_row=2)]
    assert values == ["'=1+1", "'-2"]
    assert all(not str(v).startswith("=") for v in values)
