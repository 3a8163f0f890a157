"""Source lines: the units in brackets at the end of an item, told apart from other brackets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A bracket at the very end of a paragraph, with what precedes it.
TRAILING_BRACKET = re.compile(
    r"(?P<before>[^（(]?)\s*(?P<raw>[（(](?P<inner>[^（）()]{1,60})[）)])\s*$"
)
# Inner text of a bracket that is an aside, never a source: 「以下简称…」「下同」「含…」, numbers.
NOT_SOURCE = re.compile(
    r"^(?:以下简称|简称|下同|含|注|见|详见|包括|如|即|第|共|约|按|单位|图|表)"
    r"|^[\d\s.,，%％:：/\-A-Za-z]+$|^[一二三四五六七八九十]+$|[。；！？]"
)
# Words around unit names that are not part of them.
SOURCE_PREFIX = re.compile(r"^(?:信息)?(?:来源|供稿|稿源|供稿单位|报送单位|来稿)\s*[:：]\s*")
SOURCE_SUFFIX = re.compile(r"\s*(?:供稿|提供|报送|来稿|供)$")
# Unit names end like this (区委宣传部, 区人社局, 工业路街道, 峡窝镇, 先进制造业开发区 …).
UNIT_SUFFIX = re.compile(
    r"(?:部|局|委|办|室|厅|处|科|院|所|站|队|会|中心|街道|镇|乡|村|社区|区|县|市|省|公司|集团|行"
    r"|馆|校|学校|医院|团|联|社|园|政府|法院|检察院|监狱|支队|大队|分局|办事处|管委会|开发区)$"
)
# Separators between units, and a person's name (2–4 hanzi, no unit suffix) after a space.
UNIT_SEPARATOR = re.compile(r"[、，,；;/]+|\s+")
PERSON = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")


@dataclass(frozen=True)
class Source:
    """A source line: the units credited and the bracket exactly as printed."""

    units: list[str]
    raw: str
    sure: bool


def split_units(inner: str) -> list[str]:
    """「区委组织部、区人社局」→ two units; 「县农业局 刘广刚」, 「… 供稿」→ the unit only."""
    inner = SOURCE_SUFFIX.sub("", SOURCE_PREFIX.sub("", inner.strip()))
    units: list[str] = []
    for part in UNIT_SEPARATOR.split(inner):
        token = SOURCE_SUFFIX.sub("", part.strip())
        if not token:
            continue
        if units and PERSON.match(token) and not UNIT_SUFFIX.search(token):
            continue  # a reporter's name after the unit
        units.append(token)
    return units


def _plausible(inner: str) -> bool:
    cleaned = SOURCE_SUFFIX.sub("", SOURCE_PREFIX.sub("", inner.strip()))
    if len(cleaned) < 2 or NOT_SOURCE.search(cleaned) or "，" in cleaned:
        return False
    return any(char >= "\u4e00" for char in cleaned)


def trailing_source(text: str) -> tuple[str, Source] | None:
    """Split a paragraph into body and source when it ends with a source bracket."""
    match = TRAILING_BRACKET.search(text)
    if match is None:
        return None
    inner, before = match.group("inner"), match.group("before")
    if not _plausible(inner):
        return None
    units = split_units(inner)
    if not units:
        return None
    after_sentence = before == "" or before in "。！？!?…”’"
    has_suffix = all(UNIT_SUFFIX.search(unit) for unit in units)
    if not after_sentence and not (has_suffix and len(inner) >= 3):
        return None  # 「六省（区）」 and other asides at the end of a broken sentence
    body = text[: match.start("raw")].rstrip()
    raw = "（" + match.group("inner") + "）"
    return body, Source(units=units, raw=raw, sure=after_sentence and (has_suffix or bool(body)))
