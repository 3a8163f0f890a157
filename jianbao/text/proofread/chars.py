"""Character classes and text slicing shared by the rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

# CJK unified ideographs (basic block, extension A, compatibility, extensions B+).
_CJK_RANGES = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
HAN_RE = re.compile(f"[{HAN}]")
CLAUSE_END = set("，。；：！？、,.;:!?\n（）()“”「」《》…—")


def is_han(ch: str) -> bool:
    """True for a CJK ideograph."""
    if "\u4e00" <= ch <= "\u9fff":  # the common case first: this runs for every character
        return True
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, paragraph) for each line of text, offsets into text."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between punctuation) around text[start:end]."""
    left = start
    while left > 0 and text[left - 1] not in CLAUSE_END:
        left -= 1
    right = end
    while right < len(text) and text[right] not in CLAUSE_END:
        right += 1
    return left, right
