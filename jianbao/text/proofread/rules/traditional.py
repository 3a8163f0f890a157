"""Rule `traditional`: traditional or non-standard characters in simplified text."""

from __future__ import annotations

from collections.abc import Iterator

from jianbao.text.chinese_convert import to_simplified
from jianbao.text.proofread import resources as res
from jianbao.text.proofread.chars import HAN_RE, paragraphs
from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import Finding

RULE = "traditional"


def check(ctx: Context) -> Iterator[Finding]:
    """Characters OpenCC t2s changes, and Han characters outside 通用规范汉字表."""
    standard = res.general_standard_chars()
    for offset, para in paragraphs(ctx.text):
        if not HAN_RE.search(para):
            continue
        simplified = _simplified_aligned(para)
        odd = {c for c in set(para) - standard if HAN_RE.match(c)}
        if simplified == para and not odd:
            continue  # the common case: nothing to look at character by character
        allowed = _allowlisted_positions(para)
        for i, char in enumerate(para):
            if i in allowed:
                continue
            if simplified[i] != char:
                yield _finding(offset + i, char, simplified[i], "error", _TRADITIONAL)
            elif char in odd:
                yield _finding(offset + i, char, None, "warning", _NON_STANDARD)


_TRADITIONAL = "繁体字：简体文本中应写作「{s}」。"
_NON_STANDARD = "「{c}」不在《通用规范汉字表》中，可能是异体字、生僻字或录入错误。"


def _finding(pos: int, char: str, suggestion: str | None, severity: str, template: str) -> Finding:
    return Finding(
        start=pos,
        end=pos + 1,
        text=char,
        suggestion=suggestion,
        rule=RULE,
        severity="error" if severity == "error" else "warning",
        explanation=template.format(c=char, s=suggestion),
    )


def _simplified_aligned(para: str) -> str:
    """t2s of the paragraph, character-aligned (per character if a phrase changed length)."""
    simplified = to_simplified(para)
    if len(simplified) == len(para):
        return simplified
    out = []
    for ch in para:
        converted = to_simplified(ch)
        out.append(converted if len(converted) == 1 else ch)
    return "".join(out)


def _allowlisted_positions(para: str) -> set[int]:
    positions: set[int] = set()
    for word in res.traditional_allowlist():
        pos = para.find(word)
        while pos != -1:
            positions.update(range(pos, pos + len(word)))
            pos = para.find(word, pos + 1)
    return positions
