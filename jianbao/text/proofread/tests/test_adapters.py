"""The adapters the proofreader stands on: segmentation, conversion, the language model."""

from __future__ import annotations

import pytest

from jianbao.text import chinese_convert, lm, segment


@pytest.mark.parametrize("term", ["营商环境", "高质量发展", "放管服", "出店经营"])
def test_official_terms_stay_whole(term: str) -> None:
    assert term in segment.cut(f"关于{term}的情况，推动工作落实。")
    assert term in segment.official_terms()


def test_cut_with_offsets_covers_the_text() -> None:
    text = "区委宣传部创新打造文明实践“三个模式”。"
    spans = segment.cut_with_offsets(text)
    assert "".join(w for w, _, _ in spans) == text
    assert all(text[s:e] == w for w, s, e in spans)


def test_cut_for_search_adds_sub_words() -> None:
    tokens = segment.cut_for_search("中华人民共和国地震局")
    assert "地震" in tokens and "中华" in tokens


def test_conversion() -> None:
    assert chinese_convert.to_simplified("家長會議") == "家长会议"
    assert chinese_convert.to_traditional("家长") == "家長"


@pytest.mark.usefixtures("needs_lm")
def test_language_model_prefers_the_right_word() -> None:
    model = lm.default_model()
    assert model is not None
    assert model.score(["出店", "经营"]) > model.score(["突", "店", "经营"])
    assert "经营" in model
