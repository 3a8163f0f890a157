"""Smaller pieces of the parser: sources, numbers, notes, sections, footers, normalising."""

from __future__ import annotations

import pytest

from jianbao.text.bulletin_masthead import chinese_number
from jianbao.text.bulletin_parser import Para, parse_bulletin_paragraphs, parse_bulletin_text
from jianbao.text.bulletin_sources import split_units, trailing_source
from jianbao.text.normalize import display_width, normalize_text

HEAD = "上街信息\n第35期\n中共上街区委办公室\n2024年6月17日\n\n"
FOOT = "\n\n本期送：区县处级领导\n发：区直各单位\n责任编辑：王思宇"


@pytest.mark.parametrize(
    ("inner", "units"),
    [
        ("区委组织部、区人社局", ["区委组织部", "区人社局"]),
        ("县农业局 刘广刚", ["县农业局"]),
        ("区委宣传部 供稿", ["区委宣传部"]),
        ("区委宣传部供稿", ["区委宣传部"]),
        ("供稿：区委宣传部", ["区委宣传部"]),
        ("区委组织部 区人社局", ["区委组织部", "区人社局"]),
    ],
)
def test_split_units(inner: str, units: list[str]) -> None:
    assert split_units(inner) == units


@pytest.mark.parametrize(
    "text",
    [
        "覆盖周边六省（区）",
        "建立协作机制（以下简称“机制”）",
        "详见附表（1）",
        "完成任务。（2）",
        "成效明显（下同）",
        "完成改造（第2批）",
    ],
)
def test_brackets_that_are_not_sources(text: str) -> None:
    assert trailing_source(text) is None


def test_source_after_a_sentence_end_and_without_one() -> None:
    found = trailing_source("取得实效。（区委宣传部）")
    assert found is not None
    assert found[0] == "取得实效。"
    assert found[1].sure
    unsure = trailing_source("取得实效（区委宣传部）")
    assert unsure is not None
    assert not unsure[1].sure


@pytest.mark.parametrize(
    ("text", "value"),
    [("35", 35), ("三十五", 35), ("十", 10), ("十一", 11), ("二十", 20), ("一百二十", 120),
     ("二〇二四", 2024), ("两", 2), ("x", None)],
)  # fmt: skip
def test_chinese_number(text: str, value: int | None) -> None:
    assert chinese_number(text) == value


def test_normalize_folds_width_and_reports_invisible_characters() -> None:
    normalized = normalize_text("第３５期\u200b\r\n(区委宣传部)\u3000 ⼀是")
    assert normalized.text == "第35期\n（区委宣传部）\u3000 一是"  # U+3000 kept: it marks indents
    assert normalized.removed == ["\u200b"]
    assert display_width("上街2024") == 4


def test_editor_note_in_brackets_and_marker_section_headings() -> None:
    text = (
        HEAD + "【编者按】\n\n今年以来，各地积极探索，形成了一批好经验。\n\n"
        "■ 工作动态\n\n区委宣传部创新打造文明实践“三个模式” 一是打造夜间模式。（区委宣传部）" + FOOT
    )
    result = parse_bulletin_text(text)
    assert result["editor_note"] == "今年以来，各地积极探索，形成了一批好经验。"
    kinds = [(entry["kind"], entry["section"]) for entry in result["entries"]]
    assert kinds == [("item", "工作动态")]


def test_an_editor_note_after_an_item_stays_a_note_entry() -> None:
    text = (
        HEAD + "区委宣传部创新打造文明实践“三个模式” 一是打造夜间模式。（区委宣传部）\n\n"
        "编者按：这一做法值得借鉴。\n\n"
        "区总工会深入推进集体协商“要约行动” 一是强化工作部署。（区总工会）" + FOOT
    )
    result = parse_bulletin_text(text)
    assert result["editor_note"] is None
    kinds = [(entry["kind"], entry["body"][:6]) for entry in result["entries"]]
    assert kinds == [("item", "一是打造夜间"), ("note", "这一做法值得"), ("item", "一是强化工作")]


def test_footer_on_one_line_with_other_labels_and_copies_in_words() -> None:
    text = (
        HEAD + "区委宣传部创新打造文明实践“三个模式” 一是打造夜间模式。（区委宣传部）\n\n"
        "报：市委办公室  送：区领导  发：各街道、区直各单位\n签发：张三  责任编辑：王思宇、柴亚文\n"
        "（共印一百二十份）"
    )
    result = parse_bulletin_text(text)
    assert result["footer"] == {
        "report_to": "市委办公室",
        "send_to": "区领导",
        "distribute_to": "各街道、区直各单位",
        "extra_to": None,
        "editors": ["王思宇", "柴亚文"],
        "copies": 120,
    }
    assert {"kind": "footer_other", "text": "签发：张三"} in result["layout"]


def test_contents_with_sections_and_page_numbers_is_not_duplicated() -> None:
    text = (
        HEAD + "目  录\n【工作动态】\n区委宣传部创新打造文明实践“三个模式”  1\n【简讯】\n\n"
        "【工作动态】\n\n区委宣传部创新打造文明实践“三个模式” 一是打造夜间模式。（区委宣传部）\n\n"
        "【简讯】\n\n区教育局召开中考工作部署会。（区教育局）" + FOOT
    )
    result = parse_bulletin_text(text)
    summary = [(entry["kind"], entry["section"]) for entry in result["entries"]]
    assert summary == [("item", "工作动态"), ("brief", "简讯")]
    assert [piece["kind"] for piece in result["noise"]] == ["contents"] * 4


def test_paragraphs_with_a_bold_headline_ending_in_a_full_stop() -> None:
    blocks = [
        Para("上街信息"),
        Para("第35期"),
        Para("中共上街区委办公室 2024年6月17日"),
        Para(
            "区委宣传部打造文明实践模式。一是打造夜间模式。（区委宣传部）",
            "区委宣传部打造文明实践模式。",
        ),
        Para("区总工会推进集体协商", "区总工会推进集体协商"),
        Para("一是强化工作部署。二是加强政策指导。（区总工会）"),
    ]
    result = parse_bulletin_paragraphs(blocks)
    titles = [(entry["title"], entry["body"][:4]) for entry in result["entries"]]
    assert titles == [
        ("区委宣传部打造文明实践模式", "一是打造"),
        ("区总工会推进集体协商", "一是强化"),
    ]
    assert {"kind": "headline_end", "text": "。"} in result["layout"]


def test_signer_line_in_the_masthead_is_not_an_entry() -> None:
    text = "上街信息\n第35期\n中共上街区委办公室    签发人：张三\n2024年6月17日\n\n" + (
        "区委宣传部创新打造文明实践“三个模式” 一是打造夜间模式。（区委宣传部）" + FOOT
    )
    result = parse_bulletin_text(text)
    assert (result["organ"], result["date"]) == ("中共上街区委办公室", "2024-06-17")
    assert len(result["entries"]) == 1
    assert {"kind": "masthead", "text": "中共上街区委办公室 签发人：张三"} in result["layout"]


def test_editor_note_label_alone_on_its_line() -> None:
    text = (
        HEAD
        + "编者按：\n\n今年以来，各地积极探索。\n\n"
        + "区委宣传部创新打造文明实践 一是打造夜间模式。（区委宣传部）"
    )
    result = parse_bulletin_text(text + FOOT)
    assert result["editor_note"] == "今年以来，各地积极探索。"
    assert [entry["kind"] for entry in result["entries"]] == ["item"]


def test_a_headline_on_its_own_first_line_is_not_taken_for_a_series_title() -> None:
    text = "区委组织部深化党建引领基层治理\n\n今年以来，区委组织部坚持党建引领。（区委组织部）"
    result = parse_bulletin_text(text)
    assert result["series"] is None
    assert [entry["title"] for entry in result["entries"]] == ["区委组织部深化党建引领基层治理"]
    assert result["layout"] == []


def test_editor_note_of_several_paragraphs() -> None:
    text = (
        HEAD + "编者按：今年以来，各地积极探索。\n\n现将有关做法刊发，供学习借鉴。\n\n"
        "区委宣传部创新打造文明实践“三个模式” 一是打造夜间模式。（区委宣传部）" + FOOT
    )
    result = parse_bulletin_text(text)
    assert result["editor_note"] == "今年以来，各地积极探索。\n现将有关做法刊发，供学习借鉴。"
    assert [entry["title"] for entry in result["entries"]] == [
        "区委宣传部创新打造文明实践“三个模式”"
    ]
