"""Hand-made variant issues: masthead forms, sources, brackets, sections, briefs, footers."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jianbao.text.bulletin_parser import bulletin_only, parse_bulletin_text
from jianbao.text.tests.sample_files import FIXTURES, reference_json, reference_text


def parse_fixture(name: str) -> dict[str, Any]:
    return parse_bulletin_text((FIXTURES / name).read_text(encoding="utf-8"))


def fields(result: dict[str, Any]) -> list[str]:
    return [warning["field"] for warning in result["warnings"]]


def test_marks_year_number_total_dotted_date_sources_and_footer_in_any_order() -> None:
    result = parse_fixture("variant-01-marks-footer.txt")
    assert result["series"] == "工作简报"
    assert (result["year"], result["number"], result["total_number"]) == (2024, 3, 128)
    assert result["organ"] == "某县人民政府办公室"
    assert result["date"] == "2024-06-17"
    assert result["marks"] == ["内部资料", "注意保存", "000123", "秘密★1年"]
    entries = result["entries"]
    assert [entry["title"] for entry in entries] == [
        "我县推进高标准农田建设",
        "城关镇扎实开展人居环境整治",
        "县委宣传部打造新时代文明实践品牌",
        "我县多部门联合开展就业援助月活动",
    ]
    assert (entries[0]["source_units"], entries[0]["source_raw"]) == (
        ["县农业局"],
        "（县农业局 刘广刚）",
    )
    # half-width parentheses around a source become the printed full-width ones
    assert (entries[1]["source_units"], entries[1]["source_raw"]) == (["城关镇"], "（城关镇）")
    assert entries[2]["source_units"] == ["县委宣传部"]
    assert entries[2]["source_raw"] == "（县委宣传部 供稿）"
    assert entries[3]["source_units"] == ["县委组织部", "县人社局"]
    assert entries[0]["body"].endswith("整合涉农资金1.2亿元，撬动社会资本投入。")
    assert result["footer"] == {
        "report_to": "市委办公室，市政府办公室",
        "send_to": "县委、县政府领导",
        "distribute_to": "各乡镇，县直各单位",
        "extra_to": "县人大办公室、县政协办公室",
        "editors": ["张三", "李四"],
        "copies": 120,
    }
    assert result["warnings"] == []


def test_chinese_date_letter_spaced_title_contents_and_editor_note() -> None:
    result = parse_fixture("variant-02-chinese-date-contents-note.txt")
    assert (result["series"], result["number"]) == ("上街信息", 35)
    assert (result["organ"], result["date"], result["year"]) == (
        "中共上街区委办公室",
        "2024-12-31",
        2024,
    )
    note = (
        "今年以来，各单位围绕中心、服务大局，创造了许多好经验好做法。"
        "现将有关情况刊发，供各地各部门学习借鉴。"
    )
    assert result["editor_note"] == note
    kinds = [(entry["kind"], entry["title"]) for entry in result["entries"]]
    # the contents list is noise, not entries: each title appears once; the 编者按 at the top
    # is the editor_note, not an entry as well (the renderer would print it twice)
    assert kinds == [
        ("item", "区委宣传部创新打造文明实践“三个模式”"),
        ("item", "工业路街道多措并举改善街区风貌"),
    ]
    assert [piece["kind"] for piece in result["noise"]] == ["contents"] * 3
    assert result["warnings"] == []


def test_sections_marked_and_numbered_briefs() -> None:
    result = parse_fixture("variant-03-sections-briefs.txt")
    assert result["date"] == "2024-07-01"
    summary = [(e["kind"], e["section"], e["title"], e["source_units"]) for e in result["entries"]]
    assert summary == [
        ("item", "工作动态", "区委宣传部创新打造文明实践“三个模式”", ["区委宣传部"]),
        ("item", "基层传真", "工业路街道多措并举改善街区风貌", ["工业路街道"]),
        ("brief", "基层传真", None, ["区科技局"]),
        ("brief", "基层传真", None, ["区市场监管局"]),
        ("brief", "简讯", None, ["区教育局"]),
        ("brief", "简讯", None, ["区卫健委"]),
        ("brief", "简讯", None, ["区应急局"]),
    ]
    bodies = [entry["body"] for entry in result["entries"][4:]]
    assert bodies[0].startswith("区教育局召开2024年中考工作部署会")
    assert bodies[2] == "区应急局开展防汛应急演练，参演人员200余人。"
    assert result["footer"]["editors"] == ["王思宇"]


def test_hard_wrapped_lines_page_numbers_and_running_headers() -> None:
    result = parse_fixture("variant-04-wrapped.txt")
    assert (result["number"], result["date"]) == (37, "2024-07-08")
    titles = [entry["title"] for entry in result["entries"]]
    assert titles == [
        "区委宣传部创新打造文明实践“三个模式”",
        "区总工会深入推进集体协商“要约行动”",
        "区税务局规范涉税专业服务机构管理",
    ]
    body = result["entries"][1]["body"]
    assert "\n" not in body
    assert "遇到的各种问题，推进企业集体协商工作有序开展，培养企业、职工协商理念。今年以来" in body
    assert result["footer"]["distribute_to"] == "峡窝镇、各街道办事处、区直各单位负责同志"
    assert [(piece["kind"], piece["text"]) for piece in result["noise"]] == [
        ("page_number", "— 1 —"),
        ("running_header", "上街信息"),
        ("page_number", "- 2 -"),
        ("running_header", "上街信息"),
        ("page_number", "-3-"),
    ]


def test_brackets_that_are_not_sources() -> None:
    result = parse_fixture("variant-05-brackets.txt")
    entries = result["entries"]
    assert [entry["source_raw"] for entry in entries] == [None, None, "（区农业农村局）"]
    assert "六省（区）开展产业合作" in entries[0]["body"]
    assert entries[0]["body"].endswith("（以下简称“协作机制”），定期会商重点事项。")
    assert entries[1]["body"].endswith("新建游客服务中心（站）3个（详见附表1）。")
    assert entries[2]["body"].endswith("完成改厕任务（第2批）。")
    assert fields(result) == ["entries[0].source_units", "entries[1].source_units"]


def test_titles_on_their_own_lines_multi_paragraph_bodies_and_lone_sources() -> None:
    result = parse_fixture("variant-06-standalone-titles.txt")
    first, second = result["entries"]
    assert first["title"] == "区委组织部深化党建引领基层治理"
    assert first["body"].count("\n") == 1
    assert first["body"].startswith("今年以来，区委组织部坚持把党建引领作为基层治理的主线")
    assert first["source_units"] == ["区委组织部"]
    assert second["title"] == "矿山街道打造“15分钟便民生活圈”"
    assert second["source_raw"] == "（矿山街道）"
    assert result["confidence"]["entries[0].title"] == 0.85


def test_headline_as_first_sentence_is_flagged_for_checking() -> None:
    result = parse_fixture("variant-07-sentence-headlines.txt")
    assert (result["series"], result["organ"]) == ("政务信息", "上街区人民政府办公室")
    first = result["entries"][0]
    assert first["title"] == "区司法局优化法律援助服务"
    assert first["body"].startswith("区司法局对未成年人提出的法律援助申请及时审查")
    assert fields(result) == ["entries[0].title", "entries[1].title"]
    assert result["confidence"]["entries[0].title"] == 0.6
    assert result["footer"] == {
        "report_to": "市政府办公室",
        "send_to": "区政府领导",
        "distribute_to": "各镇、街道，区直各单位",
        "extra_to": None,
        "editors": ["赵六"],
        "copies": None,
    }


def test_missing_masthead_and_footer_are_warned_not_guessed() -> None:
    result = parse_fixture("variant-08-no-masthead.txt")
    assert result["series"] is None
    assert result["number"] is None
    assert result["date"] is None
    assert len(result["entries"]) == 2
    assert fields(result) == [
        "series",
        "number",
        "organ",
        "date",
        "year",
        "footer",
        "footer.editors",
        "entries[1].source_units",
    ]
    assert all("请核对" in warning["message"] for warning in result["warnings"])


def test_text_collapsed_onto_one_line() -> None:
    result = parse_fixture("variant-09-collapsed.txt")
    assert (result["series"], result["number"], result["organ"], result["date"]) == (
        "上街信息",
        35,
        "中共上街区委办公室",
        "2024-06-17",
    )
    summary = [(e["kind"], e["title"], e["source_units"]) for e in result["entries"]]
    assert summary == [
        ("item", "区委宣传部创新打造文明实践“三个模式”", ["区委宣传部"]),
        ("item", "工业路街道多措并举改善街区风貌", ["工业路街道"]),
        ("brief", None, ["区公安局"]),
    ]
    assert result["footer"]["send_to"] == "区县处级领导"
    assert result["footer"]["distribute_to"] == "峡窝镇、各街道办事处"
    assert result["footer"]["editors"] == ["王思宇", "柴亚文"]


def test_full_width_digits_rules_copies_in_words_and_imprint_date() -> None:
    result = parse_fixture("variant-10-fullwidth-imprint.txt")
    assert result["number"] == 35
    assert result["entries"][1]["body"] == "今年以来，我区电诈发案数量同比下降34.94%。"
    assert result["footer"]["copies"] == 80
    assert result["footer"]["distribute_to"] == "各街道，区直各单位"
    assert result["date"] == "2024-06-18"
    assert result["confidence"]["date"] == 0.7
    assert "date" in fields(result)
    assert [piece["kind"] for piece in result["noise"]] == ["rule", "rule"]


@pytest.mark.parametrize("separator", ["\n", " ", "\r\n\r\n", "\n\n\n"])
def test_reference_with_other_paragraph_separators(separator: str) -> None:
    text = reference_text().replace("\n\n", separator)
    assert bulletin_only(parse_bulletin_text(text)) == reference_json()


def test_reference_with_page_numbers_and_headers_inserted() -> None:
    text = reference_text().replace("。三\n\n是开展", "。三\n\n— 2 —\n\n上街信息\n\n是开展")
    text = text.replace("立足民\n\n生实事", "立足民\n-3-\n生实事")
    text = text.replace("（区税务局）\n\n", "（区税务局）\n\n（4）\n\n")
    result = parse_bulletin_text(text)
    assert bulletin_only(result) == reference_json()
    assert [piece["text"] for piece in result["noise"]] == ["— 2 —", "上街信息", "-3-", "（4）"]


@pytest.mark.parametrize(
    ("date_text", "expected"),
    [
        ("2024年6月17日", "2024-06-17"),
        ("2024 年 6 月 17 日", "2024-06-17"),
        ("2024.6.17", "2024-06-17"),
        ("2024-06-17", "2024-06-17"),
        ("2024/6/17", "2024-06-17"),
        ("二〇二四年六月十七日", "2024-06-17"),
        ("二零二四年十月一日", "2024-10-01"),
        ("二〇二四年十一月二十日", "2024-11-20"),
        ("二○二四年十二月三十一日", "2024-12-31"),
    ],
)
def test_date_forms(date_text: str, expected: str) -> None:
    text = reference_text().replace("2024 年 6 月 17 日", date_text)
    assert parse_bulletin_text(text)["date"] == expected


@pytest.mark.parametrize(
    ("number_text", "number", "total", "year"),
    [
        ("第35期", 35, None, 2024),
        ("第 35 期", 35, None, 2024),
        ("第三十五期", 35, None, 2024),
        ("第35期（总第1234期）", 35, 1234, 2024),
        ("2023年第3期", 3, None, 2023),
        ("总第 1234 期", None, 1234, 2024),
    ],
)
def test_number_forms(number_text: str, number: int | None, total: int | None, year: int) -> None:
    result = parse_bulletin_text(reference_text().replace("第 35 期", number_text))
    assert (result["number"], result["total_number"], result["year"]) == (number, total, year)


def test_reference_with_every_line_break_removed() -> None:
    result = parse_bulletin_text(reference_text().replace("\n", ""))
    assert bulletin_only(result) == reference_json()


def test_reference_without_any_whitespace_keeps_the_items_apart() -> None:
    result = parse_bulletin_text(re.sub(r"\s+", "", reference_text()))
    expected = reference_json()
    assert result["entries"][1:] == expected["entries"][1:]
    assert (result["series"], result["number"], result["date"]) == ("上街信息", 35, "2024-06-17")
    # nothing marks where the first headline ends, nor where one editor's name ends: flagged
    assert result["entries"][0]["title"] != expected["entries"][0]["title"]
    assert {"entries[0].title", "footer.editors"} <= set(fields(result))
