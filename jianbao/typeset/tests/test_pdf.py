"""The PDF's geometry: A4, embedded fonts, 28 characters a line, 22 lines a page, page numbers."""

from __future__ import annotations

import io
import json
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1

from jianbao.typeset import Bulletin, TypesetError, render_pdf, typst_adapter
from jianbao.typeset.layout import lay_out
from jianbao.typeset.tests.extract import REFERENCE_JSON, pdf_text

BODY_SIZE = 16.0
BOTTOM_MARGIN = 35 * 72 / 25.4  # points: the page number sits below the text block
NO_LINE_START = "，。、；：？！）》」』”’…%"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    return render_pdf(Bulletin.from_json(data))


def _body_lines(page: Any) -> list[str]:
    """The 三号 lines of a page, top to bottom (masthead title and footer are other sizes)."""
    rows: dict[int, list[Any]] = defaultdict(list)
    for char in page.chars:
        if abs(char["size"] - BODY_SIZE) < 0.1:
            rows[round(char["top"])].append(char)
    return [
        "".join(c["text"] for c in sorted(rows[top], key=lambda c: c["x0"])) for top in sorted(rows)
    ]


def _full_width(line: str) -> bool:
    return all(unicodedata.east_asian_width(char) in "WF" for char in line)


def test_pages_are_a4(pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) >= 4
        for page in document.pages:
            assert page.width == pytest.approx(595.28, abs=0.5)
            assert page.height == pytest.approx(841.89, abs=0.5)


def test_all_fonts_are_embedded(pdf: bytes) -> None:
    document = PDFDocument(PDFParser(io.BytesIO(pdf)))
    seen = set()
    for page in PDFPage.create_pages(document):
        for reference in resolve1(page.resources.get("Font")).values():
            font = resolve1(reference)
            if font["Subtype"].name == "Type0":
                font = resolve1(resolve1(font["DescendantFonts"])[0])
            descriptor = resolve1(font["FontDescriptor"])
            assert {"FontFile", "FontFile2", "FontFile3"} & set(descriptor), font
            seen.add(str(font["BaseFont"]))
    assert any("FandolFang" in name for name in seen)
    assert any("NotoSerifCJK" in name for name in seen)


def test_body_lines_hold_28_characters_and_pages_22_lines(pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [_body_lines(page) for page in document.pages]
    # Page 1 also carries the masthead's 第35期 and organ/date lines (same size, not body).
    body = [lines[2:] if number == 0 else lines for number, lines in enumerate(pages)]
    assert all(len(lines) <= 22 for lines in body), [len(lines) for lines in body]
    assert any(len(lines) == 22 for lines in body)
    full = [line for lines in body for line in lines if _full_width(line)]
    assert max(len(line) for line in full) == 28
    assert sum(len(line) == 28 for line in full) > len(full) / 2
    for line in (line for lines in body for line in lines):
        assert line[0] not in NO_LINE_START, f"line starts with punctuation: {line}"


def test_page_numbers_alternate_sides(pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            label = f"— {number} —"
            assert label in (page.extract_text() or "")
            chars = [
                c for c in page.chars if c["text"] == "—" and c["top"] > page.height - BOTTOM_MARGIN
            ]
            middle = page.width / 2
            assert all((c["x0"] > middle) == (number % 2 == 1) for c in chars), number


def test_headline_is_stroked_bold(pdf: bytes) -> None:
    document = PDFDocument(PDFParser(io.BytesIO(pdf)))
    first = next(iter(PDFPage.create_pages(document)))
    content = b"".join(resolve1(stream).get_data() for stream in first.contents)
    # Typst has no fake bold: the lead is drawn with text render mode 2 (fill and stroke).
    assert b"2 Tr" in content


@pytest.mark.parametrize("keep", [10, 8])
def test_footer_is_at_the_foot_of_the_last_page(keep: int) -> None:
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    data["entries"] = data["entries"][:keep]
    with pdfplumber.open(io.BytesIO(render_pdf(Bulletin.from_json(data)))) as document:
        last = document.pages[-1]
        editors = [c for c in last.chars if c["text"] == "责"][-1]
        body = [c for c in last.chars if abs(c["size"] - BODY_SIZE) < 0.1]
    # The 报尾 (its last line, then a rule) ends at the text block's foot (bottom margin 35 mm).
    assert editors["bottom"] == pytest.approx(last.height - 35 * 72 / 25.4, abs=24)
    if keep == 8:
        assert body, "with room left, the 报尾 shares the last page with the text"


def test_missing_fonts_raise_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIANBAO_FONTS_DIR", str(tmp_path))
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    with pytest.raises(TypesetError) as error:
        render_pdf(Bulletin.from_json(data))
    message = str(error.value)
    assert "FandolFang" in message
    assert "install-system-deps.sh" in message
    assert "make run" in message


def test_broken_template_raises_typeset_error(tmp_path: Path) -> None:
    template = tmp_path / "broken.typ"
    template.write_text("#let x = (\n", encoding="utf-8")
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    layout = lay_out(Bulletin.from_json(data)).to_json()
    with pytest.raises(TypesetError, match=r"broken\.typ"):
        typst_adapter.compile_pdf(layout, template=template)


def test_more_pages_get_numbers_and_total_number(pdf: bytes) -> None:
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    data["total_number"] = 1234
    data["marks"] = ["内部资料", "注意保存"]
    data["footer"]["copies"] = 120
    text = pdf_text(render_pdf(Bulletin.from_json(data)))
    assert "第35期（总第1234期）" in "".join(text.split())
    assert "内部资料" in text
    assert "（共印120份）" in text


def test_pdf_without_page_fit_probes_is_the_same_pdf(pdf: bytes) -> None:
    # render_pdf leaves the proof's page-fit probes out (they cost ~10% of a compile): the probes
    # are invisible, so the PDF compiled with them is the same bytes (measure_pages only lays
    # the issue out and queries them).
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    bulletin = Bulletin.from_json(data)
    dirs = typst_adapter.FontDirs.from_environment()
    compiler = typst_adapter._compiler(dirs, typst_adapter.TEMPLATE)
    probed = compiler.compile(
        format="pdf",
        sys_inputs=typst_adapter._inputs(lay_out(bulletin).to_json(), probes=True),
        timestamp=typst_adapter._timestamp(bulletin.date),
    )
    assert probed == pdf
    assert typst_adapter.measure_pages(lay_out(bulletin).to_json())


def test_an_identical_issue_is_compiled_once() -> None:
    # Publishing renders the PDF and then the OFD from the same PDF: the second is not recompiled.
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    data["number"] = 9035
    bulletin = Bulletin.from_json(data)
    first = render_pdf(bulletin)
    assert render_pdf(bulletin) is first
    data["number"] = 9036
    assert render_pdf(Bulletin.from_json(data)) is not first
