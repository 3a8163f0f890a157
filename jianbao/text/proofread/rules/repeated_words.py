"""Rule `repeated_words`: a word or character typed twice where reduplication is not legitimate."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from jianbao.text.proofread import resources as res
from jianbao.text.proofread.chars import is_han
from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import Finding
from jianbao.text.proofread.rules.particles import _DOUBLE_BAD

RULE = "repeated_words"

# 一AA (一步步, 一件件) and numbers/measure words repeat legitimately.
_NUMERAL_BEFORE = set("一两几")
_NUMERALS = set("〇零一二三四五六七八九十百千万亿两")
# Suffixes that are never doubled: 「我们们」「规范化化」「积极性性」.
_SUFFIXES = set("们性化者员")
# One-character words that never reduplicate (particles are the particles rule's business);
# other characters double legitimately too often (屠呦呦, 三百六十行行行).
_NEVER_DOUBLED = set("要会能应将就都也还又再并而但且或即其该各每此这那我你他她它")


def check(ctx: Context) -> Iterator[Finding]:
    """Adjacent identical tokens, or a character doubled across a token that swallowed it."""
    tokens, text = ctx.tokens, ctx.text
    for (a, start, mid), (b, _, end) in itertools.pairwise(tokens):
        if len(a) >= 2 and b != a and b.startswith(a) and all(is_han(ch) for ch in a):
            # jieba glued the repeat to the next word: 「推进|推进改革」
            yield _finding(mid, mid + len(a), a, f"「{a}」重复出现，疑为多打，应删去一个。")
            continue
        if a != b or not all(is_han(ch) for ch in a) or a in _DOUBLE_BAD:
            continue
        if a[0] == "一" or a[0] in _NUMERALS:
            continue  # 一件一件, 一步一步; 十五五 (十五/五) is a numeral
        if len(a) == 1 and a not in _NEVER_DOUBLED:
            continue
        if a + b in res.reduplications() or _legit_pattern(text, start, end, a):
            continue
        yield _finding(mid, end, b, f"「{a}」重复出现，疑为多打，应删去一个。")
    yield from _stuttered_suffix(ctx)


def _legit_pattern(text: str, start: int, end: int, unit: str) -> bool:
    """AABB (扎扎实实), 一AA (一步步) and reduplications inside a longer listed form."""
    if len(unit) != 1:
        return False
    if start > 0 and text[start - 1] in _NUMERAL_BEFORE:
        return True
    aabb_after = end + 1 < len(text) and text[end] == text[end + 1]
    aabb_before = start >= 2 and text[start - 2] == text[start - 1]
    return aabb_after or aabb_before


def _stuttered_suffix(ctx: Context) -> Iterator[Finding]:
    """A word followed by its own suffix as a lone token (我们们, 规范化化).

    Only suffixes: other stutters (监管管出, 屠呦呦, 三百六十行行行) are too often legitimate.
    """
    for (a, _, _), (b, start, end) in itertools.pairwise(ctx.tokens):
        if len(a) >= 2 and b == a[-1] and b in _SUFFIXES:
            yield _finding(start, end, b, f"「{a}{b}」中「{b}」重复，疑为多打。")


def _finding(start: int, end: int, text: str, explanation: str) -> Finding:
    return Finding(
        start=start,
        end=end,
        text=text,
        suggestion="",
        rule=RULE,
        severity="warning",
        explanation=explanation,
    )
