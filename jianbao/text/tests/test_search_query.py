"""Query parsing, index tokens, snippets and highlights (pure, no database)."""

from __future__ import annotations

import pytest

from jianbao.text.search_query import (
    Term,
    highlight_spans,
    index_tokens,
    make_snippet,
    normalise,
    parse_query,
    term_tokens,
)


@pytest.mark.parametrize(
    ("query", "terms", "excluded"),
    [
        ("集体协商", [("集体协商", False)], []),
        ("  集体协商　要约  ", [("集体协商", False), ("要约", False)], []),
        ("“要约行动”", [("要约行动", True)], []),
        ("「集体协商」 -税务", [("集体协商", True)], [("税务", False)]),
        ("协商 －“集体合同”", [("协商", False)], [("集体合同", True)]),
        ('"未闭合的短语', [("未闭合的短语", True)], []),
        ("區總工會", [("区总工会", False)], []),
        ("ＡＢＣ　２０２４", [("abc", False), ("2024", False)], []),
        ("工作，", [("工作", False)], []),
        ("-", [], []),
        ("集体协商 集体协商", [("集体协商", False)], []),
    ],
)
def test_parse_query(query: str, terms: list[tuple[str, bool]], excluded: list) -> None:
    parsed = parse_query(query)
    assert [(t.text, t.phrase) for t in parsed.terms] == terms
    assert [(t.text, t.phrase) for t in parsed.excluded] == excluded


def test_hyphen_inside_a_word_is_not_an_exclusion() -> None:
    assert [t.text for t in parse_query("COVID-19").terms] == ["covid-19"]


def test_normalise_folds_width_case_and_script() -> None:
    assert normalise("ＡＢ區法院開展") == "ab区法院开展"


def test_index_tokens_cover_sub_words_and_bigrams() -> None:
    tokens = index_tokens("区总工会深入推进集体协商“要约行动”")
    assert {"集体协商", "集体", "协商", "总工会", "工会", "要约"} <= set(tokens)
    assert "“" not in tokens
    assert {"王思", "思宇"} <= set(index_tokens("责任编辑：王思宇"))


def test_term_tokens_drop_single_characters() -> None:
    assert term_tokens("税") == []
    assert Term("税").needs_scan
    assert not Term("网格").needs_scan


def test_long_word_also_matches_by_its_bigrams() -> None:
    assert Term("集体协商").node == ("or", ["集体协商", ("and", ["集体", "体协", "协商"])])
    assert Term("网格").node == "网格"


def test_highlight_spans_prefer_longer_words_and_map_traditional() -> None:
    text = "區法院開展法院调解"
    assert highlight_spans(text, ["法院"]) == [(1, 3), (5, 7)]
    assert highlight_spans("集体协商集体", ["集体", "集体协商"]) == [(0, 4), (4, 6)]


def test_snippet_starts_near_the_first_match() -> None:
    body = "开头一句话。" * 20 + "这里有集体协商的内容。" + "结尾。" * 20
    snippet, spans = make_snippet(body, ["集体协商"], width=40)
    assert snippet.startswith("…")
    assert [snippet[s:e] for s, e in spans] == ["集体协商"]
    assert len(snippet) <= 42


def test_snippet_finds_a_traditional_match_far_into_the_text() -> None:
    body = "開頭一句話。" * 30 + "區法院開展訴前調解。" + "結尾。" * 30
    snippet, spans = make_snippet(body, ["法院", "调解"], width=40)
    assert snippet.startswith("…區法院")
    assert [snippet[s:e] for s, e in spans] == ["法院", "調解"]


def test_snippet_without_match_is_the_opening() -> None:
    snippet, spans = make_snippet("短文。", ["无关"])
    assert (snippet, spans) == ("短文。", [])


def test_highlight_words_include_tokens_of_unquoted_terms() -> None:
    words = parse_query("集体协商 “要约行动”").highlight_words
    assert {"集体协商", "集体", "协商", "要约行动"} <= set(words)
    assert "要约" not in words  # a phrase is marked whole


def test_marked_pieces_cut_at_spans_and_skip_overlaps() -> None:
    from jianbao.text.search_query import marked_pieces

    assert marked_pieces("推进集体协商工作", [(2, 6), (4, 8)]) == [
        ("推进", False),
        ("集体协商", True),
        ("工作", False),
    ]
    assert marked_pieces("协商", []) == [("协商", False)]
