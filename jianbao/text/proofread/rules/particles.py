"""Rule `particles`: doubled or stray particles (的的, 了了, 中的遇到的 …)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import Finding

RULE = "particles"

# Function words that are never doubled in written Chinese (when both are one-character tokens).
_DOUBLE_BAD = set("的地得了着过和与及是在对把被从向为之也都就而将于以")
# 方位词 a clause like 「协商中遇到的问题」 hangs on: 「中的」 before verb + 的 is a stray 的.
_LOCATIVES = set("中上里内后前时")
# Verbs that introduce such a relative clause; a curated list keeps this rule precise.
_CLAUSE_VERBS = frozenset(
    [
        "遇到",
        "碰到",
        "遭遇",
        "面临",
        "面对",
        "存在",
        "出现",
        "发现",
        "暴露",
        "产生",
        "发生",
        "反映",
        "提出",
        "涉及",
        "取得",
        "形成",
        "积累",
        "总结",
        "收集",
        "梳理",
        "排查",
        "掌握",
        "获得",
    ]
)


def check(ctx: Context) -> Iterator[Finding]:
    """Doubled function words and the 「中的遇到的」 stray 的."""
    yield from _doubled(ctx)
    yield from _stray_de(ctx)


def _doubled(ctx: Context) -> Iterator[Finding]:
    tokens = ctx.tokens
    for (a, start, _), (b, _, end) in itertools.pairwise(tokens):
        if a == b and a in _DOUBLE_BAD and not _idiom_around(ctx.text, start, end):
            yield Finding(
                start=start + 1,
                end=end,
                text=b,
                suggestion="",
                rule=RULE,
                severity="error",
                explanation=f"「{a}{b}」重复，应删去一个「{a}」。",
            )


def _idiom_around(text: str, start: int, end: int) -> bool:
    """Legitimate sequences with a doubled particle: 不了了之, 的的确确."""
    window = text[max(0, start - 2) : end + 2]
    return any(idiom in window for idiom in ("不了了之", "的的确确", "了了分明"))


def _stray_de(ctx: Context) -> Iterator[Finding]:
    tokens = ctx.tokens
    for i in range(1, len(tokens) - 2):
        loc, de1, verb, de2 = tokens[i - 1][0], tokens[i], tokens[i + 1][0], tokens[i + 2][0]
        if (
            de1[0] == "的"
            and de2 == "的"
            and verb in _CLAUSE_VERBS
            and (
                loc in _LOCATIVES or (len(loc) > 1 and loc[-1] in _LOCATIVES and loc[-2:] != "目前")
            )
        ):
            yield Finding(
                start=de1[1],
                end=de1[2],
                text="的",
                suggestion="",
                rule=RULE,
                severity="error",
                explanation=f"「{loc}的{verb}的」中第一个「的」多余，应为「{loc}{verb}的」。",
            )
