"""Property tests: the parser never crashes and never drops text silently."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.text.bulletin_parser import Para, parse_bulletin_paragraphs, parse_bulletin_text
from jianbao.text.encoding import decode_bytes
from jianbao.text.tests.sample_files import SHARED, reference_text

REFERENCE_LINES = reference_text().split("\n")
PAGE_NUMBERS = ["— 1 —", "- 2 -", "-3-", "— 12 —", "第 2 页", "4"]
# Characters that make the parser's decisions interesting, mixed with anything at all.
STRUCTURE = list(
    "（）()【】〖〗△※●。，、：:；！？“”《》 \n\t\u3000第期年月日总份号编者按报送发—-.0123456789"
)
WORDS = [
    "上街信息",
    "第35期",
    "中共上街区委办公室",
    "2024年6月17日",
    "本期送：",
    "发：",
    "责任编辑：",
    "（区委宣传部）",
    "（共印50份）",
    "编者按：",
    "【工作动态】",
    "目录",
    "一是",
    "二〇二四年六月十七日",
]


def _key_chars(text: str) -> Counter[str]:
    """Non-whitespace characters, each folded as the parser may fold it (width, radicals)."""
    folded = (unicodedata.normalize("NFKC", char) for char in text)
    return Counter(char for piece in folded for char in piece if not char.isspace())


def _output_text(result: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in ("series", "organ", "editor_note"):
        parts.append(result[key] or "")
    parts.extend(result["marks"])
    for entry in result["entries"]:
        parts.extend(entry[key] or "" for key in ("section", "title", "body", "source_raw"))
    footer = result["footer"]
    parts.extend(footer[key] or "" for key in ("report_to", "send_to", "distribute_to", "extra_to"))
    parts.extend(footer["editors"])
    parts.extend(piece["text"] for piece in result["noise"] + result["layout"])
    return "\n".join(parts)


def _assert_lossless(text: str) -> None:
    result = parse_bulletin_text(text)
    missing = _key_chars(text) - _key_chars(_output_text(result))
    assert not missing, f"dropped silently: {missing}"
    for warning in result["warnings"]:
        assert set(warning) == {"field", "message"}


@st.composite
def mutated_reference(draw: st.DrawFn) -> str:
    """The reference issue with lines deleted, duplicated, page numbers and headers inserted."""
    lines = list(REFERENCE_LINES)
    for _ in range(draw(st.integers(0, 6))):
        index = draw(st.integers(0, len(lines)))
        operation = draw(st.sampled_from(["delete", "duplicate", "page", "header", "split"]))
        if operation == "delete" and index < len(lines):
            del lines[index]
        elif operation == "duplicate" and index < len(lines):
            lines.insert(index, lines[index])
        elif operation == "page":
            lines[index:index] = ["", draw(st.sampled_from(PAGE_NUMBERS)), ""]
        elif operation == "header":
            lines[index:index] = ["", "上街信息", ""]
        elif operation == "split" and index < len(lines) and len(lines[index]) > 2:
            cut = draw(st.integers(1, len(lines[index]) - 1))
            lines[index : index + 1] = [lines[index][:cut], "", lines[index][cut:]]
    text = "\n".join(lines)
    collapse = draw(st.sampled_from(["none", "space", "newline", "nothing", "crlf"]))
    replacement = {"none": "\n\n", "space": " ", "newline": "\n", "nothing": "", "crlf": "\r\n"}
    return text.replace("\n\n", replacement[collapse])


random_text = st.lists(
    st.one_of(st.text(max_size=20), st.sampled_from(STRUCTURE), st.sampled_from(WORDS)),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_reference())
def test_mutated_reference_never_crashes_nor_loses_text(text: str) -> None:
    _assert_lossless(text)


@settings(max_examples=200, deadline=None)
@given(random_text)
def test_random_text_never_crashes_nor_loses_text(text: str) -> None:
    _assert_lossless(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(random_text, st.integers(0, 12)), max_size=12))
def test_paragraph_input_never_crashes_nor_loses_text(blocks: list[tuple[str, int]]) -> None:
    paras = [Para(text, bold=text[:cut], line=index) for index, (text, cut) in enumerate(blocks)]
    result = parse_bulletin_paragraphs(paras)
    source = "".join(text for text, _ in blocks)
    missing = _key_chars(source) - _key_chars(_output_text(result))
    assert not missing, f"dropped silently: {missing}"


def test_real_official_documents_never_crash_nor_lose_text() -> None:
    """Not bulletins, but real official text of every shape: a crash or loss test on real data."""
    folder = SHARED / "data" / "prose" / "gov-cn-documents"
    if not folder.is_dir():
        pytest.skip("../shared/data is not present in this checkout")
    paths = sorted(folder.glob("*.txt"))[::25]  # every 25th: ~48 documents, under a second
    for path in paths:
        _assert_lossless(decode_bytes(path.read_bytes()).text)


@pytest.mark.parametrize(
    "text",
    [
        "(" + "中" * 20000,
        "（中）" * 20000,
        "。（区委）" * 20000,
        "区委宣传部创新打造 一是" * 10000,
        "中\n" * 20000,
        "—" * 50000,
    ],
    ids=["open-paren", "brackets", "sources", "headlines", "lines", "dashes"],
)
def test_pathological_input_parses_losslessly(text: str) -> None:
    # These once hit quadratic regexes (3–5 s); a regression shows as a slow test here and in
    # bench/parse_bench.py, never as a wall-clock assertion.
    _assert_lossless(text)
