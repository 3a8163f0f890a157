"""From normalised text to paragraphs: layout noise out, broken lines and words rejoined."""

from __future__ import annotations

import re
from dataclasses import dataclass

from jianbao.text.bulletin_types import Para, Report
from jianbao.text.normalize import display_width

# Page numbers as printed or extracted: 「— 1 —」「- 2 -」「-3-」「第 2 页」「第2页 共3页」「2/3」,
# 「（4）」, or a bare 「7」.
PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－─―‒~～]+\s*\d{1,3}\s*[—–\-－─―‒~～]+"
    r"|[—–\-－─―‒~～]\s*\d{1,3}|\d{1,3}\s*[—–\-－─―‒~～]"
    r"|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|[（(]\s*\d{1,3}\s*[）)]|\d{1,3})$"
)
# A rule drawn with characters (the red line under the masthead, the footer rules).
RULE_LINE = re.compile(r"^[—─━–\-_=＝＿·…\.★☆*\s]{4,}$")
# Where a paragraph can end: terminal punctuation, closing brackets and quotes, a colon.
CLOSED_END = frozenset("。！？!?…；;：:）)”’」』】》")
# Paragraph starts that are structure, never the continuation of a broken line.
STRUCTURAL_START = re.compile(
    r"^(?:[△▲※●◆■★☆◇□○◎•]|【|〖|编者按|编后|目\s*录|本期要目"
    r"|(?:本期|抄)?(?:送|报|发|增发|报送|分送)\s*[:：]|责\s*任\s*编\s*辑|[（(]?共印"
    r"|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．、](?!\d))"
)
# Whitespace inside a line that stands for a lost paragraph break (text collapsed onto one line):
# after a sentence end or a closing bracket, and before a brief marker or a footer label.
COLLAPSED_BREAK = re.compile(
    r"(?<=[。！？）)])\s+(?=\S)"
    r"|\s+(?=[△※●]\s?\S)"
    r"|\s+(?=(?:本期送|本期增发|本期发|报送|责任编辑|[（(]共印)\s*[:：\d])"
    # with no whitespace left at all: after a source bracket, before a marker or a footer label
    r"|(?<=[）)])(?=[^\s，。、；：）)”])"
    r"|(?<=[。）)])(?=[△※●]|(?:本期送|本期增发|本期发|报送|责任编辑|抄送|[报送发])[:：])"
    # a headline run on after the previous item's last sentence: 「…助学金。区委宣传部… 一是」
    r"|(?<=[。！？])(?=[\u4e00-\u9fff“][^。！？，；：\s（(]{4,38}[^。！？，；：\s\dA-Za-z%（(]\s+"
    r"[\u4e00-\u9fff“]|[\u4e00-\u9fff“][^。！？，；：\s（(]{5,38}一是)"
)
# A closing bracket only ends a paragraph when it closes a source line after a sentence end.
SOURCE_BEFORE = re.compile(r"[。！？][（(][^（）()]{1,40}[）)]$")
# Series titles end like this (上街信息, 工作简报, 政务动态 …); they repeat as page headers.
SERIES_HINT = re.compile(
    r"(?:信息|简报|动态|快报|专报|要情|通讯|参阅|情况|通报|专刊|增刊|快讯|工作)$"
)
# A space that separates a headline from its body. Not one inside Latin text, before a number
# (「全区共有 30 家」), or between a number and its unit (「2024 年」「第 35 期」「6 月」).
HEADLINE_SPACE = re.compile(
    r"(?<=[^\sA-Za-z0-9.%])\s+(?=[^\sA-Za-z0-9.%]|\d{4}年)"
    r"|(?<=[0-9%])\s+(?=[^\sA-Za-z0-9.%年月日号时分秒个万亿元人次家项件名户余多期届条类位座台辆吨米亩倍成])"
)


@dataclass
class _Line:
    text: str
    number: int
    indent: bool
    spaced: bool = False  # the raw line ended in a space: a headline may end there


def is_page_number(text: str) -> bool:
    """True for a line that is only a page number in one of the usual forms."""
    return bool(PAGE_NUMBER.match(text.strip()))


def ends_open(text: str) -> bool:
    """True when a paragraph stops where a sentence cannot end (a word broken by a page)."""
    stripped = text.rstrip()
    return bool(stripped) and stripped[-1] not in CLOSED_END


def looks_like_body(text: str) -> bool:
    """True for running text (a sentence end, or a headline followed by its body)."""
    if any(mark in text for mark in "。！？；"):
        return True
    match = HEADLINE_SPACE.search(text)
    return match is not None and display_width(text[: match.start()]) >= 4 and len(text) > 20


def _header_pattern(lines: list[_Line]) -> re.Pattern[str] | None:
    """The running header: the series title, seen again on later pages (with or without 第N期)."""
    for line in lines[:6]:
        compact = re.sub(r"\s+", "", line.text)
        if 2 <= len(compact) <= 16 and SERIES_HINT.search(compact):
            series = re.escape(compact)
            return re.compile(rf"^{series}[（(]?(?:\d{{4}}年)?(?:第[0-9]+期)?[)）]?$")
    return None


def _drop_noise_lines(lines: list[_Line], report: Report) -> list[_Line]:
    """Blank out page numbers, rules and repeated page headers; report what was dropped."""
    header = _header_pattern([line for line in lines if line.text])
    seen_header = False
    kept: list[_Line] = []
    for line in lines:
        text = line.text
        compact = re.sub(r"\s+", "", text)
        if text and PAGE_NUMBER.match(text):
            report.drop("page_number", text)
            text = ""
        elif text and RULE_LINE.match(text):
            report.drop("rule", text)
            text = ""
        elif header is not None and compact and header.match(compact):
            if seen_header:
                report.drop("running_header", text)
                text = ""
            seen_header = True
        kept.append(_Line(text, line.number, line.indent, line.spaced and bool(text)))
    return kept


def _split_collapsed(lines: list[_Line]) -> list[_Line]:
    """Split long lines where whitespace stands for a lost paragraph break."""
    result: list[_Line] = []
    for line in lines:
        text, start, indent = line.text, 0, line.indent
        if len(text) >= 60:
            for match in COLLAPSED_BREAK.finditer(text):
                before = text[start : match.start()]
                if not before or (
                    before.endswith((")", "）")) and not SOURCE_BEFORE.search(before[-45:])
                ):
                    continue
                result.append(_Line(before, line.number, indent))
                start, indent = match.end(), False
        result.append(_Line(text[start:], line.number, indent, line.spaced))
    return result


def _wrap_width(lines: list[_Line]) -> float | None:
    """The line width of hard-wrapped text (PDF copy-paste), or None when lines are paragraphs."""
    widths = [display_width(line.text) + (2 if line.indent else 0) for line in lines if line.text]
    long_widths = sorted(width for width in widths if width >= 10)
    if len(long_widths) < 4:
        return None
    width = long_widths[int(len(long_widths) * 0.9) - 1 if len(long_widths) > 10 else -1]
    if width > 80:
        return None
    near = sum(1 for w in long_widths if width - 2.5 <= w <= width + 1)
    return width if near >= max(3, 0.3 * len(long_widths)) else None


def _join(left: str, right: str) -> str:
    """Join two pieces of one paragraph; only Latin words need a space between them."""
    if left and right and all(char.isascii() and char.isalpha() for char in (left[-1], right[0])):
        return f"{left} {right}"
    return left + right


def _group(lines: list[_Line], width: float | None) -> list[Para]:
    """Lines to paragraphs: blank lines separate; in wrapped text full lines continue."""
    paras: list[Para] = []
    current: Para | None = None
    previous_full = previous_spaced = False
    for line in lines:
        if not line.text:
            current, previous_full = None, False
            continue
        continues = (
            current is not None
            and previous_full
            and not line.indent
            and not STRUCTURAL_START.match(line.text)
        )
        if continues and current is not None:
            current.text = _join(current.text + (" " if previous_spaced else ""), line.text)
        else:
            current = Para(text=line.text, line=line.number)
            paras.append(current)
        line_width = display_width(line.text) + (2 if line.indent else 0)
        previous_full = width is not None and line_width >= width - 2.5
        previous_spaced = line.spaced
    return paras


def _rejoin_broken(paras: list[Para]) -> list[Para]:
    """Rejoin paragraphs split by a page break in the middle of a word (「三\\n\\n是开展」)."""
    result: list[Para] = []
    for para in paras:
        if (
            result
            and ends_open(result[-1].text)
            and looks_like_body(result[-1].text)
            and not STRUCTURAL_START.match(para.text)
        ):
            result[-1].text = _join(result[-1].text, para.text)
        else:
            result.append(para)
    return result


def text_to_paras(text: str, report: Report) -> list[Para]:
    """Paragraphs of a normalised text, with page numbers and running headers reported as noise."""
    lines: list[_Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        # normalising left one space of an ASCII indent; U+3000 indents are kept as they are
        indent = raw[:1] in ("\u3000", " ") and bool(stripped)
        lines.append(_Line(stripped, number, indent, raw[-1:].isspace() and bool(stripped)))
    lines = _split_collapsed(_drop_noise_lines(lines, report))
    paras = _group(lines, _wrap_width(lines))
    return _rejoin_broken(paras)


def blocks_to_paras(blocks: list[Para], report: Report, *, rejoin: bool) -> list[Para]:
    """Paragraphs given by an extractor (DOCX, PDF): noise out, page-broken words rejoined."""
    lines = [_Line(block.text.strip(), index, False) for index, block in enumerate(blocks)]
    cleaned = _drop_noise_lines(lines, report)
    paras = [
        Para(text=line.text, bold=block.bold.strip(), line=block.line)
        for line, block in zip(cleaned, blocks, strict=True)
        if line.text
    ]
    return _rejoin_broken(paras) if rejoin else paras
