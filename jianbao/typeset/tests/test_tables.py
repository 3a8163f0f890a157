"""An entry may carry a table (a 通报's ranking): it survives JSON and prints in every format."""

from __future__ import annotations

import datetime
import io

import docx
import pdfplumber
import pytest

from jianbao.typeset import Bulletin, BulletinError, Entry, render_docx, render_html, render_pdf
from jianbao.typeset.layout import lay_out

ROWS = (("名次", "单位", "得分"), ("1", "区委宣传部", "37"), ("2", "区总工会", "12"))


def _bulletin() -> Bulletin:
    return Bulletin(
        series="信息工作通报",
        year=2024,
        number=6,
        organ="中共上街区委办公室",
        date=datetime.date(2024, 7, 5),
        entries=(
            Entry(kind="item", title="6月份信息采用情况", body="现将情况通报如下。", table=ROWS),
            Entry(kind="note", body="未被采用的单位：峡窝镇。"),
        ),
    )


def test_table_round_trips_through_json_and_is_absent_when_empty() -> None:
    bulletin = _bulletin()
    data = bulletin.to_json()
    assert data["entries"][0]["table"] == [list(row) for row in ROWS]
    assert "table" not in data["entries"][1]
    assert Bulletin.from_json(data) == bulletin


@pytest.mark.parametrize(
    "table", [[["名次", "单位"], ["1"]], "名次", [["名次", 1]], [["名次"], []]]
)
def test_malformed_table_is_refused_in_chinese(table: object) -> None:
    data = _bulletin().to_json()
    data["entries"][0]["table"] = table
    with pytest.raises(BulletinError, match="表格"):
        Bulletin.from_json(data)


def test_layout_puts_the_table_after_the_entry_text() -> None:
    paragraphs = lay_out(_bulletin()).paragraphs
    assert [p.style for p in paragraphs] == ["body", "table", "body"]
    assert paragraphs[1].rows == ROWS


def test_docx_pdf_and_html_print_the_table() -> None:
    bulletin = _bulletin()
    document = docx.Document(io.BytesIO(render_docx(bulletin)))
    assert [[cell.text for cell in row.cells] for row in document.tables[0].rows] == [
        list(row) for row in ROWS
    ]
    with pdfplumber.open(io.BytesIO(render_pdf(bulletin))) as pdf:
        text = "".join(pdf.pages[0].extract_text().split())
    assert "1区委宣传部37" in text
    html = render_html(bulletin)
    assert "<th>名次</th>" in html and "<td>区委宣传部</td>" in html
