"""Rule `source_line`: the source unit at the end of an item must be in full-width parentheses."""

from __future__ import annotations

import re
from collections.abc import Iterator

from jianbao.text.proofread.chars import paragraphs
from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import Finding

RULE = "source_line"

_UNIT_END = "部局委办会院处室所队团联站镇街道区县市厅社馆中心司行署庭"
# A parenthesised (or unclosed) unit name at the very end of a paragraph.
_TAIL = re.compile(r"[（(]([^（()）\n]{1,40})[）)]?\s*$")


def check_source_line(source_raw: str) -> list[Finding]:
    """Problems in an item's source line such as 「（区委宣传部）」; offsets are into source_raw."""
    stripped = source_raw.strip()
    if not stripped:
        return []
    lead = len(source_raw) - len(source_raw.lstrip())
    return list(_check_group(stripped, lead))


def _check_group(group: str, offset: int) -> Iterator[Finding]:
    """One finding for the whole group when it is not exactly 「（…）」."""
    inner = group.lstrip("(（").rstrip(")）").strip()
    problems = []
    if group[0] == "(":
        problems.append("左括号为半角")
    elif group[0] != "（":
        problems.append("缺少左括号")
    if group[-1] == ")":
        problems.append("右括号为半角")
    elif group[-1] != "）":
        problems.append("缺少右括号")
    if not inner:
        problems.append("括号内没有单位名称")
    if problems:
        why = "来源单位应以全角括号括起，如「（区委宣传部）」：" + "、".join(problems) + "。"
        suggestion = f"（{inner}）" if inner else None
        yield Finding(offset, offset + len(group), group, suggestion, RULE, "error", why)


def check(ctx: Context) -> Iterator[Finding]:
    """Paragraph-final source lines with half-width or unclosed parentheses."""
    for offset, para in paragraphs(ctx.text):
        m = _TAIL.search(para)
        if m is None:
            continue
        group = m.group().rstrip()
        inner = m.group(1).strip()
        if group.startswith("（") and group.endswith("）"):
            continue  # the correct form
        if not _looks_like_units(inner):
            continue
        yield from _check_group(group, offset + m.start())


def _looks_like_units(inner: str) -> bool:
    """「区委宣传部」「区委组织部、区人社局」: Chinese names ending like organisations."""
    names = re.split(r"[、，,；;]", inner)
    return all(n and n[-1] in _UNIT_END and len(n) <= 20 for n in (x.strip() for x in names))
