"""Rule `numbers` (GB/T 15835-2011): mixed numerals, split numbers, inconsistent date forms."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import Finding

RULE = "numbers"

_SCALE = {"十": 10, "百": 100, "千": 1000}
# 「3千」「2.5百」, but not units such as 千米, 千克, 千瓦 or 百分点 / 百分比 / 十分.
_MIXED_SCALE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)([十百千])(?![米克瓦伏帕焦卡赫兆字分])")
_CN_DIGITS = "〇○零一二三四五六七八九"
# A digit run mixing Arabic and Chinese digits: 「二0二四年」.
_MIXED_DIGITS = re.compile(f"[0-9{_CN_DIGITS}]{{3,}}(?=年)")
# Digits broken by a space or line break: 「20 24年」, but not thousands groups 「3 000」.
_SPLIT = re.compile(r"(?<![\d.])(\d+)([ \u3000\u2002\u2009]+|\n)(\d+)(?![\d])")

# A date with a two-digit year: 「24年3月6日」 (GB/T 15835 writes the year in full).
_SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})年(?=\d{1,2}月\d{1,2}日)")

_DATE_FORMS = {
    "arabic": re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"),
    "chinese": re.compile(
        f"[{_CN_DIGITS}]{{4}}年[{_CN_DIGITS}十]{{1,2}}月[{_CN_DIGITS}十]{{1,3}}日"
    ),
    "iso": re.compile(r"(?<![\d.\-/])(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?![\d\-])"),
    "dotted": re.compile(r"(?<![\d.])(?:19|20)\d{2}\.\d{1,2}\.\d{1,2}(?![\d.])"),
    "slash": re.compile(r"(?<![\d/])(?:19|20)\d{2}/\d{1,2}/\d{1,2}(?![\d/])"),
}
_DATE_LABEL = {
    "arabic": "「2024年6月17日」式",
    "chinese": "汉字数字式",
    "iso": "「2024-06-17」式",
    "dotted": "「2024.6.17」式",
    "slash": "「2024/6/17」式",
}


def check(ctx: Context) -> Iterator[Finding]:
    """All number findings for the text."""
    yield from _mixed_scale(ctx.text)
    yield from _mixed_digits(ctx.text)
    yield from _split_numbers(ctx.text)
    yield from _date_forms(ctx.text)
    yield from _short_years(ctx.text)


def _mixed_scale(text: str) -> Iterator[Finding]:
    for m in _MIXED_SCALE.finditer(text):
        try:
            value = Decimal(m.group(1)) * _SCALE[m.group(2)]
        except InvalidOperation:
            continue
        suggestion = format(value.normalize(), "f")
        why = f"阿拉伯数字与「{m.group(2)}」混写，应写作「{suggestion}」（GB/T 15835）。"
        yield Finding(m.start(), m.end(), m.group(), suggestion, RULE, "warning", why)


def _mixed_digits(text: str) -> Iterator[Finding]:
    for m in _MIXED_DIGITS.finditer(text):
        run = m.group()
        if any(c.isascii() for c in run) and any(c in _CN_DIGITS for c in run):
            why = "年份中阿拉伯数字与汉字数字混用。"
            yield Finding(m.start(), m.end(), run, None, RULE, "error", why)


def _split_numbers(text: str) -> Iterator[Finding]:
    for m in _SPLIT.finditer(text):
        if m.group(2) != "\n" and len(m.group(3)) == 3 and len(m.group(1)) <= 3:
            continue  # 「3 000」: GB/T 15835 allows thousands separated by a space
        joined = m.group(1) + m.group(3)
        why = "数字中间被空格或换行拆开。"
        yield Finding(m.start(), m.end(), m.group(), joined, RULE, "warning", why)


def _short_years(text: str) -> Iterator[Finding]:
    for m in _SHORT_YEAR.finditer(text):
        why = f"年份不应简写：「{m.group()}」应写出四位年份（GB/T 15835）。"
        yield Finding(m.start(), m.end(), m.group(), None, RULE, "warning", why)


def _date_forms(text: str) -> Iterator[Finding]:
    """When a text writes full dates in more than one way, flag the less common ways."""
    found = [(kind, m) for kind, rx in _DATE_FORMS.items() for m in rx.finditer(text)]
    counts = Counter(kind for kind, _ in found)
    if len(counts) < 2:
        return
    # The official form (Arabic digits with 年月日) wins ties.
    main = max(counts, key=lambda k: (counts[k], k == "arabic"))
    for kind, m in found:
        if kind != main:
            why = (
                f"同一文本中日期写法不一致：此处为{_DATE_LABEL[kind]}，其余为{_DATE_LABEL[main]}。"
            )
            yield Finding(m.start(), m.end(), m.group(), None, RULE, "warning", why)
