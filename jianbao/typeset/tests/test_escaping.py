"""User text is data: Typst markup, HTML and XML special characters come out verbatim."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jianbao.typeset import Bulletin, render_docx, render_html, render_pdf
from jianbao.typeset.tests.extract import (
    REFERENCE_JSON,
    docx_text,
    html_text,
    normalise,
    pdf_text,
)

HOSTILE_TITLE = '#set page(width: 1cm) $x^2$ *bold* _it_ [link] \\ <label> @ref "q" & </p>'
HOSTILE_BODY = '#panic("boom") 一是#import "x.typ"：a_b*c*[d]\\e<f>@g $h$ `i` ~ -- ...'
HOSTILE_SERIES = "上街#信息<script>alert(1)</script>"


@pytest.fixture(scope="module")
def hostile() -> Bulletin:
    data: dict[str, Any] = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    data["series"] = HOSTILE_SERIES
    data["entries"] = data["entries"][:2]
    data["entries"][0].update(title=HOSTILE_TITLE, body=HOSTILE_BODY)
    data["footer"]["editors"] = ["#王*思宇", "[柴亚文]"]
    return Bulletin.from_json(data)


@pytest.mark.parametrize(
    ("render", "extract"),
    [(render_pdf, pdf_text), (render_docx, docx_text), (render_html, html_text)],
    ids=["pdf", "docx", "html"],
)
def test_markup_characters_come_out_verbatim(hostile: Bulletin, render: Any, extract: Any) -> None:
    text = normalise(extract(render(hostile)))
    for expected in (HOSTILE_TITLE + HOSTILE_BODY, HOSTILE_SERIES, "#王*思宇[柴亚文]"):
        assert normalise(expected) in text


def test_html_escapes_tags(hostile: Bulletin) -> None:
    page = render_html(hostile)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;label&gt;" in page
