"""Files in: encodings judged from the bytes, DOCX through the adapter, PDF through pdfplumber."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from jianbao.text.bulletin_parser import bulletin_only
from jianbao.text.encoding import decode_bytes
from jianbao.text.extract import ExtractError, ScannedPdfError, extract_file, parse_file
from jianbao.text.tests.sample_files import FIXTURES, reference_json, reference_text

FONT_DIRS = [
    Path(__file__).resolve().parents[3] / "var" / "fonts",
    Path("/usr/share/fonts/opentype/noto"),
]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("enc-reference-gbk.txt", "gb18030"),
        ("enc-reference-utf16le-bom.txt", "utf-16-le"),
        ("enc-reference-utf16be-nobom.txt", "utf-16-be"),
        ("enc-reference-utf8-bom.txt", "utf-8-sig"),
    ],
)
def test_reference_in_other_encodings(name: str, encoding: str) -> None:
    result = parse_file(FIXTURES / name)
    assert result["input"] == {"format": "text", "encoding": encoding}
    assert bulletin_only(result) == reference_json()


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("enc-variant03-gb18030.txt", "gb18030"), ("enc-variant03-utf16le-nobom.txt", "utf-16-le")],
)
def test_short_variant_in_other_encodings(name: str, encoding: str) -> None:
    result = parse_file((FIXTURES / name).read_bytes(), name)
    assert result["input"]["encoding"] == encoding
    assert result["number"] == 36
    assert len(result["entries"]) == 7


def test_gb18030_four_byte_character_survives() -> None:
    decoded = decode_bytes((FIXTURES / "enc-variant03-gb18030.txt").read_bytes())
    assert "参演人员𠀀" in decoded.text


def test_encoding_is_judged_from_bytes_not_name(tmp_path: Path) -> None:
    misleading = tmp_path / "utf8-really.docx.txt"
    misleading.write_bytes(reference_text().encode("gbk"))
    assert extract_file(misleading).encoding == "gb18030"
    assert decode_bytes("上街信息".encode()).encoding == "utf-8"
    assert decode_bytes(b"plain ascii").text == "plain ascii"


def _docx_bytes() -> bytes:
    """A DOCX like the ones offices send: bold headline run, organ and date in a table."""
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("上街信息").bold = True
    document.add_paragraph("第35期")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "中共上街区委办公室"
    table.cell(0, 1).text = "2024年6月17日"
    item = document.add_paragraph()
    item.add_run("区委宣传部创新打造文明实践“三个模式”。").bold = True
    item.add_run("一是打造夜间模式。二是打造假期模式。三是打造共享模式。（区委宣传部）")
    second = document.add_paragraph()
    second.add_run("区总工会深入推进集体协商").bold = True
    second.add_run("一是强化工作部署。二是加强政策指导。（区总工会）")
    document.add_paragraph("△ 今年以来，我区电诈发案数量同比下降34.94%。（区公安局）")
    document.add_paragraph("本期送：区县处级领导")
    document.add_paragraph("发：峡窝镇、各街道办事处、区直各单位负责同志")
    document.add_paragraph("责任编辑：王思宇 柴亚文")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_bold_run_is_the_headline(tmp_path: Path) -> None:
    path = tmp_path / "issue.bin"  # no extension: the content decides
    path.write_bytes(_docx_bytes())
    result = parse_file(path)
    assert result["input"]["format"] == "docx"
    assert (result["series"], result["number"]) == ("上街信息", 35)
    assert (result["organ"], result["date"]) == ("中共上街区委办公室", "2024-06-17")
    summary = [(e["kind"], e["title"], e["body"][:8], e["source_units"]) for e in result["entries"]]
    assert summary == [
        ("item", "区委宣传部创新打造文明实践“三个模式”", "一是打造夜间模式", ["区委宣传部"]),
        ("item", "区总工会深入推进集体协商", "一是强化工作部署", ["区总工会"]),
        ("brief", None, "今年以来，我区电", ["区公安局"]),
    ]
    assert result["footer"]["editors"] == ["王思宇", "柴亚文"]
    assert result["warnings"] == []


TYPST_SOURCE = (FIXTURES / "issue.typ").read_text(encoding="utf-8")


def _typst_pdf(source: str) -> bytes:
    typst = pytest.importorskip("typst")
    fonts = [str(path) for path in FONT_DIRS if path.is_dir()]
    if not any((Path(path) / "FandolHei-Regular.otf").exists() for path in fonts):
        pytest.skip("Fandol fonts are not installed")
    return bytes(typst.compile(source.encode("utf-8"), font_paths=fonts, format="pdf"))


def test_pdf_text_layer_with_bold_headlines_and_page_numbers() -> None:
    result = parse_file(_typst_pdf(TYPST_SOURCE), "issue.pdf")
    assert result["input"]["format"] == "pdf"
    assert (result["series"], result["number"], result["date"]) == ("上街信息", 35, "2024-06-17")
    assert result["organ"] == "中共上街区委办公室"
    entries = result["entries"]
    assert [entry["title"] for entry in entries] == [
        "区委宣传部创新打造文明实践“三个模式”",
        "区总工会深入推进集体协商“要约行动”",
        None,
    ]
    assert entries[0]["body"].startswith("一是打造夜间模式。延长新时代文明实践中心（所、站）")
    assert "\n" not in entries[0]["body"]
    assert entries[0]["source_units"] == ["区委宣传部"]
    # the second item runs over the page break: one paragraph, page number dropped
    assert "\n" not in entries[1]["body"]
    assert entries[1]["body"].endswith("关注集体合同生效后情况，确保职工权益落实到位。")
    assert entries[2]["source_units"] == ["区公安局"]
    assert result["footer"]["editors"] == ["王思宇", "柴亚文"]
    assert [(piece["kind"], piece["text"]) for piece in result["noise"]] == [
        ("page_number", "— 1 —"),
        ("running_header", "上街信息"),
        ("page_number", "— 2 —"),
    ]


def test_scanned_pdf_without_text_layer_is_refused() -> None:
    pdf = _typst_pdf('#set page(paper: "a5")\n#rect(width: 50%, height: 30%, fill: gray)')
    with pytest.raises(ScannedPdfError, match="没有文字层"):
        extract_file(pdf, "scan.pdf")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.4\n%broken beyond repair", "PDF"),
        (b"PK\x03\x04not really a zip", "损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "旧版 Word"),
        (b"", "空"),
        (bytes(range(256)) * 8, "文本文件"),
    ],
)
def test_corrupt_files_raise_clear_errors(data: bytes, message: str) -> None:
    with pytest.raises(ExtractError, match=message):
        extract_file(data, "broken")


def test_zip_that_is_not_a_docx() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ExtractError, match=r"word/document\.xml"):
        extract_file(buffer.getvalue())


def test_rotated_text_is_reported_not_mixed_into_lines() -> None:
    source = (
        '#set text(font: "FandolSong", size: 16pt)\n'
        "上街信息\n\n第35期\n\n#rotate(-90deg, reflow: true)[内部资料]\n\n本期送：区县处级领导\n"
    )
    extracted = extract_file(_typst_pdf(source))
    assert extracted.noise == [{"kind": "rotated_text", "text": "内部资料"}]
    assert "内部资料" not in extracted.text
    assert extracted.warnings[0]["field"] == "text"


class _FakePage:
    """Word's fake bold: every character of the headline printed twice, a hair apart."""

    def __init__(self, chars: list[dict[str, object]]) -> None:
        self.chars = chars

    def dedupe_chars(self) -> _FakePage:
        seen: set[tuple[object, int]] = set()
        kept = []
        for char in self.chars:
            key = (char["text"], round(float(str(char["x0"]))))
            if key not in seen:
                seen.add(key)
                kept.append(char)
        return _FakePage(kept)


def test_overprinted_characters_are_kept_once_and_marked_bold() -> None:
    from jianbao.text.pdf_adapter import _page_chars

    def char(text: str, x0: float) -> dict[str, object]:
        return {"text": text, "x0": x0, "top": 100.0, "fontname": "FangSong", "size": 16.0}

    page = _FakePage([char("标", 10), char("标", 10.3), char("题", 26), char("题", 26.3)])
    page.chars.append(char("正", 42))
    chars = _page_chars(page)
    assert [(c["text"], c["overprinted"]) for c in chars] == [
        ("标", True),
        ("题", True),
        ("正", False),
    ]
