"""Each rule on sentences written for these tests: positives, and clean look-alikes."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.text.proofread.tests.helpers import check, flagged


class TestTraditional:
    def test_flags_traditional_characters(self) -> None:
        assert flagged("区政府組織召開專題會議。", "traditional") == [
            ("組", "组"),
            ("織", "织"),
            ("開", "开"),
            ("專", "专"),
            ("題", "题"),
            ("會", "会"),
            ("議", "议"),
        ]

    def test_flags_character_outside_the_standard_table(self) -> None:
        findings = check("加强菓园管理。", "traditional")
        assert [(f.text, f.severity) for f in findings] == [("菓", "warning")]

    def test_allowlisted_place_name(self) -> None:
        assert flagged("陕西省乾县召开乾陵保护工作会议。", "traditional") == []

    def test_office_allowlist(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (tmp_path / "traditional_allowlist_local.txt").write_text("於陵\n", encoding="utf-8")
        assert flagged("於氏宗祠", "traditional") == [("於", "于")]
        (tmp_path / "traditional_allowlist_local.txt").write_text("於氏\n", encoding="utf-8")
        monkeypatch.setenv("JIANBAO_PROOFREAD_DIR", str(tmp_path))
        assert flagged("於氏宗祠", "traditional") == []

    def test_clean_simplified_text(self) -> None:
        assert flagged("区委办公室印发了关于进一步加强信息工作的通知。", "traditional") == []


class TestTerms:
    @pytest.mark.parametrize(
        ("text", "wrong", "right"),
        [
            ("深入开展两学一作学习教育。", "两学一作", "两学一做"),
            ("截止目前，已完成任务的八成。", "截止目前", "截至目前"),
            ("各单位要认真布署，抓好落实。", "布署", "部署"),
            ("持续优化营商坏境。", "营商坏境", "营商环境"),
        ],
    )
    def test_wrong_forms(self, text: str, wrong: str, right: str) -> None:
        assert flagged(text, "terms") == [(wrong, right)]

    @pytest.mark.parametrize(
        "text",
        ["加强预防犯罪宣传。", "截止日期为6月30日。", "按照统一部署，稳中求进推进工作。"],
    )
    def test_no_match_inside_real_words(self, text: str) -> None:
        assert flagged(text, "terms") == []

    def test_office_extension_directory(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        directory = tmp_path
        (directory / "local.tsv").write_text("上街新区\t上街区\t用词\n", encoding="utf-8")
        monkeypatch.setenv("JIANBAO_PROOFREAD_DIR", str(directory))
        assert flagged("上街新区召开会议。", "terms") == [("上街新区", "上街区")]


class TestParticles:
    def test_doubled_de(self) -> None:
        findings = check("这是我们的的工作重点。", "particles")
        assert [(f.text, f.suggestion, f.start) for f in findings] == [("的", "", 5)]

    def test_doubled_le(self) -> None:
        assert flagged("会议研究了了三个问题。", "particles") == [("了", "")]

    @pytest.mark.parametrize(
        "text", ["这件事最后不了了之。", "目的的实现需要各方努力。", "为了了解情况，开展调研。"]
    )
    def test_legitimate_sequences(self, text: str) -> None:
        assert flagged(text, "particles") == []

    def test_stray_de_before_clause_verb(self) -> None:
        assert flagged("及时解决工作中的存在的突出问题。", "particles") == [("的", "")]

    def test_locative_de_before_noun_is_fine(self) -> None:
        assert flagged("解决工作中的突出问题。", "particles") == []


class TestRepeatedWords:
    def test_repeated_word(self) -> None:
        assert flagged("进一步推进推进改革。", "repeated_words") == [("推进", "")]

    def test_doubled_suffix(self) -> None:
        assert flagged("我们们要提高认识。", "repeated_words") == [("们", "")]

    @pytest.mark.parametrize(
        "text",
        [
            "我们常常深入基层，天天坚持学习。",
            "扎扎实实做好各项工作。",
            "把群众的事一件一件办好，一步步推进。",
            "编制“十五五”规划。",
            "人民民主是全过程的。",
        ],
    )
    def test_legitimate_reduplication(self, text: str) -> None:
        assert flagged(text, "repeated_words") == []


class TestPunctuation:
    def test_half_width_comma_between_chinese(self) -> None:
        assert flagged("会议强调,要抓好落实。", "punctuation") == [(",", "，")]

    def test_doubled_marks(self) -> None:
        assert flagged("要抓好落实，，确保实效。。", "punctuation") == [("，", ""), ("。", "")]

    def test_comma_between_titles(self) -> None:
        assert flagged("学习《民法典》、《安全生产法》。", "punctuation") == [("、", "")]

    def test_unmatched_quote_and_bracket(self) -> None:
        found = flagged("开展“我们的节日活动。（区委宣传部", "punctuation")
        assert ("“", None) in found

    def test_half_width_parentheses_around_chinese(self) -> None:
        assert flagged("县(处)级以上干部。", "punctuation") == [("(", "（"), (")", "）")]

    def test_clean(self) -> None:
        text = "开展“我们的节日”活动，学习《民法典》《安全生产法》（2021年修订）。"
        assert flagged(text, "punctuation") == []


class TestNumbers:
    def test_mixed_scale(self) -> None:
        assert flagged("全年接待游客3千人次。", "numbers") == [("3千", "3000")]

    def test_units_are_not_mixed_forms(self) -> None:
        assert flagged("新建道路3千米，装机5千瓦。", "numbers") == []

    def test_split_number(self) -> None:
        assert flagged("完成投资20 24万元。", "numbers") == [("20 24", "2024")]

    def test_thousands_group_is_allowed(self) -> None:
        assert flagged("完成投资3 000万元。", "numbers") == []

    def test_inconsistent_dates(self) -> None:
        text = "2024年6月17日召开会议，2024年6月20日前报送，2024-06-30截止。"
        assert flagged(text, "numbers") == [("2024-06-30", None)]

    def test_mixed_digits_in_year(self) -> None:
        assert flagged("二0二四年工作要点", "numbers") == [("二0二四", None)]

    def test_two_digit_year_in_a_date(self) -> None:
        assert flagged("会议于24年3月6日召开。", "numbers") == [("24年", None)]
        assert flagged("连续24年保持先进，2024年3月6日表彰。", "numbers") == []


class TestSourceLine:
    def test_half_width_parentheses_at_item_end(self) -> None:
        text = "一是强化工作部署。二是加强政策指导。(区委宣传部)"
        assert flagged(text, "source_line") == [("(区委宣传部)", "（区委宣传部）")]

    def test_missing_closing_parenthesis(self) -> None:
        text = "今年以来，新增企业9家。（区委组织部、区人社局"
        assert flagged(text, "source_line") == [
            ("（区委组织部、区人社局", "（区委组织部、区人社局）")
        ]

    def test_correct_source_line(self) -> None:
        assert flagged("今年以来，新增企业9家。（区总工会）", "source_line") == []

    def test_parenthetical_that_is_not_a_unit(self) -> None:
        assert flagged("被评为优秀(A类)", "source_line") == []


class TestConfusion:
    @pytest.mark.usefixtures("needs_lm")
    @pytest.mark.parametrize(
        ("text", "wrong", "right"),
        [
            ("街道办事处积级开展志愿服务活动。", "级", "极"),
            ("加大执法力度，严厉打击违法犯最行为。", "最", "罪"),
            ("进一步完善工作治度。", "治", "制"),
            ("进一步加强食品安全剑管，保障群众健康。", "剑", "监"),
            ("加快发展现代农业，促进农民曾收。", "曾", "增"),
            ("关注青少年身心建康，开展心理辅导。", "建", "健"),  # inside a rare word
            ("加强行政执法，规范刑政审批流程。", "刑", "行"),
        ],
    )
    def test_wrong_character(self, text: str, wrong: str, right: str) -> None:
        assert flagged(text, "confusion") == [(wrong, right)]

    @pytest.mark.usefixtures("needs_lm")
    @pytest.mark.parametrize(
        "text",
        [
            "坚持以人民为中心的发展思想，推动经济高质量发展。",
            "各单位要高度重视，认真组织实施。",
            "进一步加强基层党组织建设，充分发挥战斗堡垒作用。",
            "为企业提供专业咨询和精准指导，提高办事效率。",
        ],
    )
    def test_clean_official_sentences(self, text: str) -> None:
        assert flagged(text, "confusion") == []
