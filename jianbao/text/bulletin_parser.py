"""The archive parser: the text of one issue in, the bulletin JSON (DESIGN.md section 6) out.

Besides the bulletin keys the result carries `warnings` (what an editor should check),
`confidence` (per field, where the parser was unsure), `noise` (text dropped as layout noise:
page numbers, running headers, contents lists …) and `layout` (text interpreted into fields:
masthead lines, footer lines, markers). Every character of the input ends up in a field, in
`noise` or in `layout`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jianbao.text.bulletin_entries import parse_entries
from jianbao.text.bulletin_footer import parse_footer
from jianbao.text.bulletin_lines import blocks_to_paras, text_to_paras
from jianbao.text.bulletin_masthead import parse_masthead
from jianbao.text.bulletin_types import BULLETIN_KEYS, Para, Report
from jianbao.text.normalize import normalize_text

__all__ = [
    "BULLETIN_KEYS",
    "Para",
    "bulletin_only",
    "parse_bulletin_paragraphs",
    "parse_bulletin_text",
]


def parse_bulletin_text(text: str) -> dict[str, Any]:
    """Parse the plain text of one issue (any line breaking, page artefacts included)."""
    report = Report()
    normalized = normalize_text(text)
    for char in normalized.removed:
        report.drop("invisible", char)
    return _parse(text_to_paras(normalized.text, report), report)


def parse_bulletin_paragraphs(blocks: Sequence[Para], *, rejoin: bool = True) -> dict[str, Any]:
    """Parse paragraphs given by an extractor (DOCX, PDF), with their headline hints."""
    report = Report()
    cleaned: list[Para] = []
    for block in blocks:
        normalized = normalize_text(block.text.replace("\n", " "))
        for char in normalized.removed:
            report.drop("invisible", char)
        bold = normalize_text(block.bold).text if block.bold else ""
        cleaned.append(Para(normalized.text, bold, block.line))
    return _parse(blocks_to_paras(cleaned, report, rejoin=rejoin), report)


def _parse(paras: list[Para], report: Report) -> dict[str, Any]:
    head, rest = parse_masthead(paras, report)
    footer, body, imprint_date = parse_footer(rest, report)
    if head.date is None and imprint_date is not None:
        head.date = imprint_date
        report.confidence["date"] = 0.7
        report.warnings = [w for w in report.warnings if w["field"] not in ("date", "year")]
        report.warn("date", "版头中没有日期，已取文末印发日期，请核对")
        head.year = head.year or int(imprint_date[:4])
    entries, editor_note = parse_entries(body, report)
    if not entries:
        report.warn("entries", "没有识别出任何信息条目，请核对")
    return {
        "series": head.series,
        "year": head.year,
        "number": head.number,
        "total_number": head.total_number,
        "organ": head.organ,
        "date": head.date,
        "marks": head.marks,
        "editor_note": editor_note,
        "entries": entries,
        "footer": footer,
        "warnings": report.warnings,
        "confidence": report.confidence,
        "noise": report.noise,
        "layout": report.layout,
    }


def bulletin_only(result: dict[str, Any]) -> dict[str, Any]:
    """The bulletin JSON proper, without the parser's warnings and bookkeeping."""
    return {key: result[key] for key in BULLETIN_KEYS}
