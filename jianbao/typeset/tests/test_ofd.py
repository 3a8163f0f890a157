"""OFD output: valid GB/T 33190 structure, the PDF's text at the PDF's positions, the same image.

The OFD is read back with the project's own reader (`ofd_reader`) and compared with the PDF as
pdfplumber reads it (an independent PDF parser, not the pdfium code the writer uses); both are
rendered (poppler's pdftoppm for the PDF, `ofd_raster` for the OFD) and compared pixel by pixel.
"""

from __future__ import annotations

import ast
import dataclasses
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from PIL import ImageChops

from jianbao.cli import main
from jianbao.typeset import Bulletin, Entry, TypesetError, render_ofd, render_pdf
from jianbao.typeset.ofd import OfdMetadata, write_ofd
from jianbao.typeset.ofd_reader import OfdDocument, expand_deltas, read_ofd, structure_problems
from jianbao.typeset.tests.extract import (
    PAGE_NUMBER,
    REFERENCE_JSON,
    assert_pieces_in_order,
    json_pieces,
)
from jianbao.typeset.tests.ofd_raster import difference, pdf_pages, render_page

MM = 25.4 / 72
POSITION_TOLERANCE_MM = 0.5
# Image comparison at 100 dpi (see ofd_raster.difference): a faithful page scores ≤ 0.22 over the
# page and ≤ 0.35 in its worst 10 mm band; the same page moved by 0.5 mm scores ≥ 0.45 / ≥ 0.5,
# and a page with one line missing ≥ 0.65 in that band.
PAGE_THRESHOLD = 0.3
BAND_THRESHOLD = 0.45
RED = (230, 0, 18)
PACKAGE = Path(__file__).resolve().parents[1]


def _reference() -> Bulletin:
    return Bulletin.from_json(json.loads(REFERENCE_JSON.read_text(encoding="utf-8")))


def _long_issue() -> Bulletin:
    """A generated issue over several pages: marks, 总期号, 编者按, sections, briefs and a table."""
    reference = _reference()
    entries = [dataclasses.replace(entry, section="工作动态") for entry in reference.entries] * 2
    entries.append(
        Entry(
            kind="brief",
            body="区总工会开展夏送清凉活动，慰问一线职工1200余人。",
            source_units=("区总工会",),
        )
    )
    entries.append(
        Entry(
            kind="item",
            title="6月份信息采用情况",
            body="现将情况通报如下。",
            table=(("名次", "单位", "得分"), ("1", "区委宣传部", "37"), ("2", "区总工会", "12")),
        )
    )
    return dataclasses.replace(
        reference,
        number=36,
        total_number=1234,
        marks=("内部资料 注意保存",),
        editor_note="本期编发各单位工作动态，供参阅。",
        entries=tuple(entries),
    )


ISSUES = {"reference": _reference, "long": _long_issue}


@pytest.fixture(scope="module", params=sorted(ISSUES))
def rendered(request: pytest.FixtureRequest) -> tuple[str, bytes, bytes]:
    bulletin = ISSUES[request.param]()
    return request.param, render_pdf(bulletin), render_ofd(bulletin)


def _pdf_chars(pdf: bytes) -> list[list[dict[str, Any]]]:
    """pdfplumber's characters per page with the pen position in mm from the top-left corner."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            chars = []
            for char in page.chars:
                x, y = char["matrix"][4], char["matrix"][5]
                colour = char["non_stroking_color"]
                rgb = (
                    tuple(round(v * 255) for v in colour)
                    if len(colour) == 3
                    else (round(colour[0] * 255),) * 3
                )
                chars.append(
                    {
                        "text": char["text"],
                        "x": x * MM,
                        "baseline": (page.height - y) * MM,
                        "size": char["size"] * MM,
                        "fill": rgb,
                    }
                )
            pages.append(chars)
    return pages


def _reading_order(chars: list[Any], key: Any) -> list[Any]:
    return sorted(chars, key=lambda c: (round(key(c, "baseline"), 1), key(c, "x")))


def test_structure_follows_gbt_33190(rendered: tuple[str, bytes, bytes]) -> None:
    name, pdf, ofd = rendered
    assert structure_problems(ofd) == [], name
    with zipfile.ZipFile(io.BytesIO(ofd)) as package:
        names = package.namelist()
        document = package.read("Doc_0/Document.xml").decode()
    assert names[:4] == [
        "OFD.xml",
        "Doc_0/Document.xml",
        "Doc_0/PublicRes.xml",
        "Doc_0/DocumentRes.xml",
    ]
    assert "<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>" in document
    # Text, not page images: no picture in the package, every font is a subset OpenType file.
    assert not [n for n in names if n.lower().endswith((".png", ".jpg", ".jpeg", ".bmp", ".tif"))]
    fonts = [n for n in names if n.startswith("Doc_0/Res/font_")]
    assert fonts and all(package_size < 1_000_000 for package_size in (len(ofd),))
    with pdfplumber.open(io.BytesIO(pdf)) as source:
        assert len(read_ofd(ofd).pages) == len(source.pages)
    assert len(read_ofd(ofd).pages) >= (5 if name == "reference" else 8)


def test_metadata_names_title_organ_date_and_number() -> None:
    document = read_ofd(render_ofd(_long_issue()))
    assert document.info["Title"] == "上街信息 第36期（总第1234期）"
    assert document.info["Author"] == "中共上街区委办公室"
    assert document.info["CreationDate"] == "2024-06-17"
    assert re.fullmatch(r"[0-9a-f]{32}", document.info["DocID"])
    assert document.custom == {"刊名": "上街信息", "年份": "2024", "期号": "36", "总期号": "1234"}


def test_every_character_is_where_the_pdf_puts_it(rendered: tuple[str, bytes, bytes]) -> None:
    name, pdf, ofd = rendered
    document = read_ofd(ofd)
    for number, (expected, page) in enumerate(zip(_pdf_chars(pdf), document.pages, strict=True)):
        want = _reading_order(expected, lambda c, k: c[k])
        got = _reading_order(list(page.chars), getattr)
        assert "".join(c["text"] for c in want) == "".join(c.text for c in got), (name, number)
        for pdf_char, ofd_char in zip(want, got, strict=True):
            assert abs(pdf_char["x"] - ofd_char.x) <= POSITION_TOLERANCE_MM, (
                name,
                number,
                ofd_char,
            )
            assert abs(pdf_char["baseline"] - ofd_char.baseline) <= POSITION_TOLERANCE_MM, (
                name,
                number,
                ofd_char,
            )
            assert pdf_char["size"] == pytest.approx(ofd_char.size, abs=0.01)
            assert pdf_char["fill"] == ofd_char.fill


def test_masthead_is_red_text_and_rules_are_vector_paths(
    rendered: tuple[str, bytes, bytes],
) -> None:
    name, _pdf, ofd = rendered
    document = read_ofd(ofd)
    first, last = document.pages[0], document.pages[-1]
    assert "".join(c.text for c in first.chars if c.fill == RED) == "上街信息"
    red_rules = [p for p in first.paths if p.stroke == RED]
    assert len(red_rules) == 1
    (start,), (end,) = (points for _op, points in red_rules[0].segments)
    assert end[0] - start[0] == pytest.approx(156, abs=0.5)  # the text block's width
    assert start[0] == pytest.approx(28, abs=0.5)  # left margin
    # The 报尾 rules (and a table's, on the long issue) are horizontal lines as wide as the text.
    lines = [
        [point for _op, points in p.segments for point in points]
        for p in last.paths
        if p.stroke == (0, 0, 0) and [op for op, _points in p.segments] == ["M", "L"]
    ]
    rules = [(a, b) for a, b in lines if a[1] == pytest.approx(b[1]) and b[0] - a[0] > 100]
    assert len(rules) >= 2, name
    for a, b in rules:
        assert b[0] - a[0] == pytest.approx(156, abs=0.5)
        assert a[0] == pytest.approx(28, abs=0.5)


def test_bold_headline_is_stroked_like_the_pdf() -> None:
    document = read_ofd(render_ofd(_reference()))
    bold = "".join(c.text for c in document.pages[0].chars if c.stroke_width > 0)
    assert bold.startswith("我区多部门联动筑牢未成年人保护防线")


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed"
)
def test_rendered_pages_look_like_the_pdf(
    rendered: tuple[str, bytes, bytes], tmp_path: Path
) -> None:
    name, pdf, ofd = rendered
    document = read_ofd(ofd)
    pdf_images = pdf_pages(pdf, tmp_path)
    assert len(pdf_images) == len(document.pages)
    for number, (expected, page) in enumerate(zip(pdf_images, document.pages, strict=True)):
        image = render_page(document, page)
        whole, band = difference(expected, image)
        assert whole < PAGE_THRESHOLD and band < BAND_THRESHOLD, (name, number, whole, band)
        if number == 0:
            # The measure can tell: the same page moved by 0.5 mm fails it.
            moved = difference(expected, ImageChops.offset(image, 0, 2))
            assert moved[0] > PAGE_THRESHOLD and moved[1] > BAND_THRESHOLD


def test_same_issue_gives_same_bytes() -> None:
    assert render_ofd(_reference()) == render_ofd(_reference())


def test_missing_font_file_is_a_clear_error(tmp_path: Path) -> None:
    metadata = OfdMetadata(
        title="上街信息 第35期", author="中共上街区委办公室", date=_reference().date
    )
    with pytest.raises(TypesetError, match=r"OFD 需要嵌入字体 .*找不到"):
        write_ofd(render_pdf(_reference()), metadata=metadata, font_folders=(tmp_path,))


def test_reader_expands_repeats_and_reports_broken_packages() -> None:
    assert expand_deltas("g 3 5.6 2 g 2 1") == [5.6, 5.6, 5.6, 2.0, 1.0, 1.0]
    ofd = render_ofd(_reference())
    assert structure_problems(b"not a zip") == ["不是 ZIP 格式的 OFD 包"]

    def rewrite(skip: str, edit: tuple[str, str, str] | None = None) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(ofd)) as source, zipfile.ZipFile(buffer, "w") as target:
            for item in source.namelist():
                data = source.read(item)
                if edit and item == edit[0]:
                    data = data.replace(edit[1].encode(), edit[2].encode())
                if item != skip:
                    target.writestr(item, data)
        return buffer.getvalue()

    assert any("字体文件不在包内" in p for p in structure_problems(rewrite("Doc_0/Res/font_3.otf")))
    missing_page = structure_problems(rewrite("Doc_0/Pages/Page_2/Content.xml"))
    assert missing_page == ["包内缺少 Doc_0/Pages/Page_2/Content.xml"]
    dangling = rewrite("", ("Doc_0/Pages/Page_1/Content.xml", 'Font="3"', 'Font="99"'))
    assert any("引用了不存在的字体 99" in p for p in structure_problems(dangling))


def test_text_is_extractable_in_reading_order() -> None:
    document: OfdDocument = read_ofd(render_ofd(_reference()))
    text = PAGE_NUMBER.sub("", document.text)
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    assert_pieces_in_order(text, json_pieces(data), "ofd")
    assert "区委宣传部创新打造文明实践“三个模式”" in text


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_one_adapter_each_for_pdfium_and_harfbuzz() -> None:
    for path in PACKAGE.glob("*.py"):
        imports = _imports(path)
        assert ("pypdfium2" in imports) == (path.name == "pdf_geometry.py"), path.name
        assert ("uharfbuzz" in imports) == (path.name == "font_files.py"), path.name


def test_render_command_writes_ofd_and_reports_a_missing_font_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = ["render", "--from-json", str(REFERENCE_JSON), "--format", "ofd"]
    assert main([*source, "--out", str(tmp_path / "ok")]) == 0
    (written,) = capsys.readouterr().out.split()
    assert written.endswith("上街信息-2024-35.ofd")
    assert structure_problems(Path(written).read_bytes()) == []
    monkeypatch.setattr("jianbao.typeset.ofd.find_font", _no_font)
    assert main([*source, "--out", str(tmp_path / "bad")]) == 1
    error = capsys.readouterr().err.strip()
    assert "\n" not in error and "OFD 需要嵌入字体" in error


def _no_font(name: str, folders: tuple[Path, ...]) -> None:
    raise TypesetError(f"OFD 需要嵌入字体 {name}，但在 {folders[0]} 中找不到它的字体文件")
