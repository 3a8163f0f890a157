"""Text out of rendered DOCX, PDF and HTML, and the expected text of the reference issue."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pdfplumber

from jianbao.typeset.docx_adapter import read_docx_paragraphs

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
REFERENCE_JSON = SAMPLES / "shangjie-xinxi-2024-35.json"
# CI has the shared folder next to the checkout; a fresh clone may not.
CHECKOUT = Path(__file__).resolve().parents[3]
REFERENCE_TXT = CHECKOUT.parent / "shared" / "samples" / "shangjie-xinxi-2024-35.txt"
PAGE_NUMBER = re.compile(r"^\s*—\s*\d+\s*—\s*$", re.MULTILINE)
_FOOTER_START = ("报：", "本期送：", "发：", "本期增发：", "责任编辑：", "（共印")


def normalise(text: str) -> str:
    """Drop every kind of whitespace (page breaks, line ends, the lead gap U+3000)."""
    return "".join(text.split())


def docx_text(content: bytes) -> str:
    """All body paragraphs of a DOCX, one per line."""
    return "\n".join(paragraph.text for paragraph in read_docx_paragraphs(content))


def pdf_text(content: bytes) -> str:
    """All pages' text with the page numbers taken out."""
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    return PAGE_NUMBER.sub("", "\n".join(pages))


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "title", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "title", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(page: str) -> str:
    """The visible text of an HTML page."""
    parser = _TextParser()
    parser.feed(page)
    return "\n".join(parser.parts)


def reference_pieces(text: str) -> list[tuple[str, str]]:
    """(name, text) for the masthead, each entry and the footer of the reference text file."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    masthead, rest = blocks[:4], blocks[4:]
    entries: list[str] = []
    footer: list[str] = []
    for block in rest:
        if footer or block.startswith(_FOOTER_START):
            footer.append(block)
        elif entries and not entries[-1].endswith(("。", "）")):
            entries[-1] += block  # a page break split this entry: 「三\n\n是开展」
        else:
            entries.append(block)
    pieces = [("masthead", "".join(masthead))]
    pieces += [(f"entry {i}", entry) for i, entry in enumerate(entries, 1)]
    pieces.append(("footer", "".join(footer)))
    return [(name, normalise(piece)) for name, piece in pieces]


def json_pieces(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The same pieces built straight from the bulletin JSON (independent of the layout code)."""
    date = [int(part) for part in data["date"].split("-")]
    pieces = [
        (
            "masthead",
            f"{data['series']}第{data['number']}期{data['organ']}{date[0]}年{date[1]}月{date[2]}日",
        )
    ]
    for i, entry in enumerate(data["entries"], 1):
        mark = "△" if entry["kind"] == "brief" else ""
        text = mark + (entry["title"] or "") + entry["body"] + (entry["source_raw"] or "")
        pieces.append((f"entry {i}", text))
    footer = data["footer"]
    lines = [f"本期送：{footer['send_to']}", f"发：{footer['distribute_to']}"]
    lines.append("责任编辑：" + "".join(footer["editors"]))
    pieces.append(("footer", "".join(lines)))
    return [(name, normalise(piece)) for name, piece in pieces]


def assert_pieces_in_order(rendered: str, pieces: list[tuple[str, str]], what: str) -> None:
    """Each piece appears in order, and together they are the whole rendered text."""
    text = normalise(rendered)
    position = 0
    for name, piece in pieces:
        found = text.find(piece, position)
        assert found == position, (
            f"{what}: {name} differs at character {position}:\n"
            f"expected {piece[:60]!r}…\nrendered {text[position : position + 60]!r}…"
        )
        position += len(piece)
    assert position == len(text), f"{what}: unexpected trailing text {text[position:][:80]!r}"
