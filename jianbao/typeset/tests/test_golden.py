"""Golden test: 《上街信息》第35期 as DOCX, PDF and HTML says exactly the reference text."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from jianbao.typeset import Bulletin, render_docx, render_html, render_pdf
from jianbao.typeset.docx_adapter import read_docx_paragraphs
from jianbao.typeset.tests.extract import (
    REFERENCE_JSON,
    REFERENCE_TXT,
    assert_pieces_in_order,
    docx_text,
    html_text,
    json_pieces,
    pdf_text,
    reference_pieces,
)


@pytest.fixture(scope="module")
def reference_data() -> dict[str, Any]:
    return json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rendered_text(reference_data: dict[str, Any]) -> dict[str, str]:
    """Each format rendered once and turned back into text."""
    bulletin = Bulletin.from_json(reference_data)
    extractors: dict[str, Callable[[], str]] = {
        "docx": lambda: docx_text(render_docx(bulletin)),
        "pdf": lambda: pdf_text(render_pdf(bulletin)),
        "html": lambda: html_text(render_html(bulletin)),
    }
    return {name: extract() for name, extract in extractors.items()}


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_matches_the_reference_text_file(rendered_text: dict[str, str], fmt: str) -> None:
    if not REFERENCE_TXT.is_file():
        pytest.skip(f"reference text {REFERENCE_TXT} is absent (no ../shared next to the checkout)")
    pieces = reference_pieces(REFERENCE_TXT.read_text(encoding="utf-8"))
    assert [name for name, _ in pieces][-1] == "footer"
    assert len(pieces) == 1 + 10 + 1  # masthead, 8 items and 2 briefs, footer
    assert_pieces_in_order(rendered_text[fmt], pieces, fmt)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_matches_the_reference_json(
    rendered_text: dict[str, str], reference_data: dict[str, Any], fmt: str
) -> None:
    pieces = json_pieces(reference_data)
    assert len(pieces) == 12
    assert_pieces_in_order(rendered_text[fmt], pieces, fmt)


def test_reference_text_and_json_agree(reference_data: dict[str, Any]) -> None:
    if not REFERENCE_TXT.is_file():
        pytest.skip(f"reference text {REFERENCE_TXT} is absent (no ../shared next to the checkout)")
    assert reference_pieces(REFERENCE_TXT.read_text(encoding="utf-8")) == json_pieces(
        reference_data
    )


def test_docx_reads_back_with_bold_headlines_and_briefs(reference_data: dict[str, Any]) -> None:
    paragraphs = read_docx_paragraphs(render_docx(Bulletin.from_json(reference_data)))
    titles = [entry["title"] for entry in reference_data["entries"] if entry["kind"] == "item"]
    assert [p.bold_prefix for p in paragraphs if p.bold_prefix] == titles
    assert sum(p.text.startswith("△") for p in paragraphs) == 2
    assert [p.text for p in paragraphs if p.in_table] == [
        "本期送：区县处级领导",
        "\u3000\u3000发：峡窝镇、各街道办事处、区直各单位负责同志",  # colon under 本期送：
        "责任编辑：王思宇 柴亚文",
    ]
