"""Rule `punctuation` (GB/T 15834-2011): pairs, half-width marks, doubled marks, 》、《."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jianbao.text.proofread.chars import HAN, paragraphs
from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import Finding, Severity

RULE = "punctuation"

_PAIRS = {
    "“": "”",
    "‘": "’",
    "（": "）",
    "《": "》",
    "【": "】",
    "〔": "〕",
    "「": "」",
    "『": "』",
}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}
_FULL = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}

_HALF_BETWEEN = re.compile(
    f"(?<=[{HAN}])[,;:?!](?=[{HAN}“”‘’（《\\s]|$)|(?<=[{HAN}])\\.(?=[{HAN}]|$)"
)
_HALF_PARENS = re.compile(f"\\((?=[{HAN}])[^()\\n]*(?<=[{HAN}])\\)")
_DOUBLED = re.compile(r"([，。；：、！？])\1+")
_MIXED = re.compile(r"([，；：、])(?!\1)(?=[，。；：、])|。(?=[，；：、])")
_BOOK_COMMA = re.compile(r"(?<=》)、(?=《)")


def check(ctx: Context) -> Iterator[Finding]:
    """All punctuation findings, paragraph by paragraph."""
    for offset, para in paragraphs(ctx.text):
        if not para.strip():
            continue
        yield from _unmatched(para, offset)
        yield from _half_width(para, offset)
        yield from _doubled(para, offset)
        yield from _between_titles(para, offset)


def _finding(
    pos: int, end: int, text: str, suggestion: str | None, why: str, *, sev: Severity
) -> Finding:
    return Finding(pos, end, text, suggestion, RULE, sev, why)


def _unmatched(para: str, offset: int) -> Iterator[Finding]:
    """Openers without closers and closers without openers, within one paragraph."""
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(para):
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            if stack and stack[-1][0] == _CLOSERS[ch]:
                stack.pop()
            else:
                why = f"「{ch}」没有与之配对的「{_CLOSERS[ch]}」。"
                yield _finding(offset + i, offset + i + 1, ch, None, why, sev="warning")
    for ch, i in stack:
        why = f"「{ch}」没有与之配对的「{_PAIRS[ch]}」。"
        yield _finding(offset + i, offset + i + 1, ch, None, why, sev="warning")


def _half_width(para: str, offset: int) -> Iterator[Finding]:
    for m in _HALF_BETWEEN.finditer(para):
        full = _FULL[m.group()]
        why = f"中文文本中应使用全角标点「{full}」。"
        yield _finding(offset + m.start(), offset + m.end(), m.group(), full, why, sev="warning")
    for m in _HALF_PARENS.finditer(para):
        for i in (m.start(), m.end() - 1):
            full = _FULL[para[i]]
            why = f"括注中文内容应使用全角括号「{full}」。"
            yield _finding(offset + i, offset + i + 1, para[i], full, why, sev="warning")


def _doubled(para: str, offset: int) -> Iterator[Finding]:
    for m in _DOUBLED.finditer(para):
        start = offset + m.start() + 1
        why = f"标点「{m.group(1)}」重复。"
        yield _finding(start, offset + m.end(), m.group()[1:], "", why, sev="error")
    for m in _MIXED.finditer(para):
        pair = para[m.start() : m.start() + 2]
        why = f"标点「{pair}」连用，应只保留一个。"
        yield _finding(
            offset + m.start(), offset + m.start() + 1, m.group(), "", why, sev="warning"
        )


def _between_titles(para: str, offset: int) -> Iterator[Finding]:
    for m in _BOOK_COMMA.finditer(para):
        why = "并列的书名号之间通常不用顿号（GB/T 15834）。"
        yield _finding(offset + m.start(), offset + m.end(), "、", "", why, sev="warning")
