"""The DOCX names the official fonts everywhere and sets up the GB/T 9704 page."""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any

import pytest

from jianbao.typeset import Bulletin, render_docx
from jianbao.typeset.tests.extract import REFERENCE_JSON

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _full_issue() -> dict[str, Any]:
    """The reference issue with every optional part switched on."""
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    data["marks"] = ["内部资料", "注意保存"]
    data["total_number"] = 1234
    data["editor_note"] = "本期刊发各单位经验做法。"
    data["entries"][0]["section"] = "工作动态"
    data["entries"][1]["section"] = "工作动态"
    data["entries"][2]["section"] = "基层经验"
    data["footer"]["copies"] = 120
    data["footer"]["report_to"] = "市委办公室"
    return data


@pytest.fixture(scope="module")
def parts() -> dict[str, str]:
    content = render_docx(Bulletin.from_json(_full_issue()))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = [name for name in archive.namelist() if name.endswith((".xml", ".rels"))]
        return {name: archive.read(name).decode("utf-8") for name in names}


def test_no_stray_thumbnail(parts: dict[str, str]) -> None:
    assert "thumbnail" not in parts["_rels/.rels"]


def test_official_font_names_in_every_slot(parts: dict[str, str]) -> None:
    document = parts["word/document.xml"]
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{font}"' in document, font
    footers = "".join(text for name, text in parts.items() if name.startswith("word/footer"))
    assert 'w:eastAsia="宋体"' in footers
    assert "— " in footers
    assert "PAGE" in footers
    for rfonts in re.findall(r"<w:rFonts [^>]*/>", parts["word/styles.xml"]):
        assert "heme" not in rfonts, rfonts
    for xml in (document, footers):
        for rfonts in re.findall(r"<w:rFonts [^>]*/>", xml):
            assert "heme" not in rfonts, rfonts
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                assert f"w:{slot}=" in rfonts, rfonts


def test_page_setup(parts: dict[str, str]) -> None:
    document = parts["word/document.xml"]
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in document
    margins = re.search(r"<w:pgMar [^>]*/>", document)
    assert margins
    for side, twips in (("top", 2098), ("bottom", 1984), ("left", 1587), ("right", 1474)):
        assert f'w:{side}="{twips}"' in margins.group(0)
    assert '<w:docGrid w:type="lines" w:linePitch="579"/>' in document
    assert "<w:evenAndOddHeaders/>" in parts["word/settings.xml"]
    styles = parts["word/styles.xml"]
    assert '<w:spacing w:val="-5"/>' in styles  # −0.25 pt: 28 characters a line
    assert 'w:firstLineChars="200"' in styles


def test_masthead_and_footer_text(parts: dict[str, str]) -> None:
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", parts["word/document.xml"]))
    for expected in (
        "内部资料\u3000注意保存",
        "上街信息",
        "第35期（总第1234期）",
        "2024年6月17日",
        "编者按：",
        "【工作动态】",
        "【基层经验】",
        "报：市委办公室",
        "责任编辑：王思宇 柴亚文",
        "（共印120份）",
    ):
        assert expected in text, expected
    assert text.count("【工作动态】") == 1  # a heading only when the section changes
    assert 'w:color w:val="E60012"' in parts["word/document.xml"]  # red title and rule


def test_elements_keep_schema_order(parts: dict[str, str]) -> None:
    from lxml import etree

    order = {
        "pPr": ["pStyle", "keepNext", "pBdr", "tabs", "snapToGrid", "spacing", "ind", "jc"],
        "rPr": ["rFonts", "b", "bCs", "color", "spacing", "sz", "szCs"],
    }
    root = etree.fromstring(parts["word/document.xml"].encode("utf-8"))
    for parent, expected in order.items():
        for element in root.iter(f"{{{W}}}{parent}"):
            tags = [etree.QName(child).localname for child in element]
            known = [tag for tag in tags if tag in expected]
            assert known == sorted(known, key=expected.index), tags
