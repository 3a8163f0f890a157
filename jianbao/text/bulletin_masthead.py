"""The 版头: series title, issue numbers, organ, date and marks at the top of an issue."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from jianbao.text.bulletin_lines import SERIES_HINT, STRUCTURAL_START, looks_like_body
from jianbao.text.bulletin_types import Para, Report
from jianbao.text.normalize import display_width

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3}
_CN_DIGIT |= {"四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇零○一二两三四五六七八九十百千"
_NUM = rf"(\d+|[{_CN_NUM}]+)"

# Dates: 「2024年6月17日」「2024 年 6 月 17 日」, 「2024.6.17」「2024-06-17」「2024/6/17」,
# 「二〇二四年六月十七日」 (〇, ○ or 零 for zero; 十, 十一, 二十七 … for tens).
ARABIC_DATE = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DOTTED_DATE = re.compile(r"(?<![\d.])(\d{4})\s*[.\-/]\s*(\d{1,2})\s*[.\-/]\s*(\d{1,2})(?![\d.])")
CHINESE_DATE = re.compile(
    r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
    r"\s*([一二三四五六七八九十]{1,3})\s*日"
)
# Issue numbers: 「总第1234期」 (cumulative), 「2024年第3期」 (with the year),
# 「第35期」「第 35 期」.
TOTAL_NUMBER = re.compile(rf"总\s*第\s*{_NUM}\s*期")
YEAR_NUMBER = re.compile(rf"(\d{{4}})\s*年\s*第\s*{_NUM}\s*期")
NUMBER = re.compile(rf"第\s*{_NUM}\s*期")
# Marks: 「内部资料」「注意保存」…, 密级 with an optional term 「秘密★1年」, 份号 (six digits).
MARK = re.compile(
    r"内部资料|注意保存|内部刊物|内部参阅|妥善保管|请勿外传|内部发行|仅供参考|阅后收回|供领导参阅"
    r"|(?:绝密|机密|秘密)(?:\s*★\s*[\d一二三四五六七八九十]+\s*年)?"
    r"|(?:份号\s*[:：]?\s*)?(?:No\.?\s*)?\d{6}(?!\d)"
)
# The signer of an issue sent upwards (上报): 「签发人：张三」; kept in the layout record only.
SIGNER = re.compile(r"签\s*发\s*人\s*[:：]\s*[\u4e00-\u9fff·]{2,4}")
# Every masthead token at once; at one position the first alternative that matches wins.
_TOKEN = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.pattern})"
        for name, pattern in (
            ("date_cn", CHINESE_DATE),
            ("date_ar", ARABIC_DATE),
            ("total", TOTAL_NUMBER),
            ("yearnum", YEAR_NUMBER),
            ("date_dot", DOTTED_DATE),
            ("number", NUMBER),
            ("mark", MARK),
            ("signer", SIGNER),
        )
    )
)
# The issuing organ: a body's name, sometimes followed by 「编」「编印」「主办」.
ORGAN = re.compile(
    r"^(?P<organ>(?:中共|中国共产党).+|.+(?:办公室|委员会|人民政府|政府|办公厅|编辑部|信息科|信息处"
    r"|秘书科|局|委|部|厅|中心|院|会|办|处|科))(?P<verb>编印|编发|主办|印发|编)?$"
)


@dataclass
class Masthead:
    """What the masthead says."""

    series: str | None = None
    year: int | None = None
    number: int | None = None
    total_number: int | None = None
    organ: str | None = None
    date: str | None = None
    marks: list[str] = field(default_factory=list)


def chinese_number(text: str) -> int | None:
    """「三十五」→35, 「二〇二四」→2024, 「一百二十」→120, digits as they are."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(char not in _CN_NUM for char in text):
        return None
    if not any(char in "十百千" for char in text):
        return int("".join(str(_CN_DIGIT[char]) for char in text))
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGIT:
            current = _CN_DIGIT[char]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            total += (current or 1) * unit
            current = 0
    return total + current


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The first valid date in the text in any supported form, as ISO, with its match."""
    for match in _TOKEN.finditer(text):
        iso = _date_of(match)
        if iso is not None:
            return iso, match
    return None


def _date_of(match: re.Match[str]) -> str | None:
    kind = match.lastgroup
    if kind == "date_cn":
        found = CHINESE_DATE.match(match.group(0))
        if found:
            year, month, day = (chinese_number(part) for part in found.groups())
            return _iso(year, month, day)
    if kind == "date_ar":
        found = ARABIC_DATE.match(match.group(0))
        if found:
            return _iso(*(int(part) for part in found.groups()))
    if kind == "date_dot":
        found = DOTTED_DATE.match(match.group(0))
        if found:
            return _iso(*(int(part) for part in found.groups()))
    return None


def _apply_token(head: Masthead, match: re.Match[str]) -> bool:
    """Store one recognised token; False when it is a date-like string that is no date."""
    kind, text = match.lastgroup, match.group(0)
    if kind in ("date_cn", "date_ar", "date_dot"):
        iso = _date_of(match)
        if iso is None or head.date is not None:
            return iso is not None
        head.date = iso
    elif kind == "total":
        head.total_number = chinese_number(TOTAL_NUMBER.match(text).group(1))  # type: ignore[union-attr]
    elif kind == "yearnum":
        found = YEAR_NUMBER.match(text)
        if found:
            head.year, head.number = int(found.group(1)), chinese_number(found.group(2))
    elif kind == "number":
        head.number = chinese_number(NUMBER.match(text).group(1))  # type: ignore[union-attr]
    elif kind == "mark":
        head.marks.append(re.sub(r"\s+", "", text))
    return True


def _free_parts(text: str) -> list[str]:
    """Words left between tokens; a letter-spaced title (「上 街 信 息」) is one word."""
    parts = text.split()
    if len(parts) > 2 and all(len(part) == 1 for part in parts):
        return ["".join(parts)]
    return [part.strip("（）()[]【】《》") for part in parts if part.strip("（）()[]【】《》")]


def _apply_free(head: Masthead, part: str, has_token: bool) -> bool:
    """Store an untokenised word as organ or series; False when it cannot be masthead."""
    organ = ORGAN.match(part)
    if organ and head.organ is None and (head.series is not None or organ.group("verb")):
        head.organ = organ.group("organ")
        return True
    if head.series is None and display_width(part) <= 20:
        head.series = part
        return True
    if head.organ is None and has_token and display_width(part) <= 30:
        head.organ = part  # on the date's line, left of it: the organ even without a known suffix
        return True
    return False


def _read_line(head: Masthead, text: str) -> bool:
    """Fill the masthead from one line; False when the line holds something else."""
    before = (head.series, head.organ)
    tokens = list(_TOKEN.finditer(text))
    free: list[str] = []
    start = 0
    for match in tokens:
        free.extend(_free_parts(text[start : match.start()]))
        start = match.end()
    free.extend(_free_parts(text[start:]))
    if head.date is not None and free:
        return False  # after the date only numbers and marks belong to the masthead
    trial = Masthead(**{**head.__dict__, "marks": list(head.marks)})
    if not all(_apply_token(trial, match) for match in tokens):
        return False
    if not all(_apply_free(trial, part, bool(tokens)) for part in free):
        return False
    if not tokens and (trial.series, trial.organ) == before:
        return False
    head.__dict__.update(trial.__dict__)
    return True


def _split_collapsed_head(text: str) -> tuple[str, str] | None:
    """A masthead run together with the first item: cut after the date near the start."""
    found = find_date(text[:160])
    if found is None:
        return None
    _, match = found
    head, rest = text[: match.end()], text[match.end() :].strip()
    return (head, rest) if rest else None


def _is_content(text: str) -> bool:
    return looks_like_body(text) or bool(STRUCTURAL_START.match(text)) or display_width(text) > 40


def parse_masthead(paras: list[Para], report: Report) -> tuple[Masthead, list[Para]]:
    """Read the masthead from the first paragraphs; return it and the paragraphs after it."""
    head = Masthead()
    index, layout_before = 0, len(report.layout)
    while index < min(len(paras), 12):
        text = paras[index].text
        if _is_content(text) and not (_TOKEN.search(text) and display_width(text) <= 60):
            split = _split_collapsed_head(text) if head.date is None else None
            if split is None or not _read_line(head, split[0]):
                break
            report.consume("masthead", split[0])
            paras = [*paras[:index], Para(split[1], line=paras[index].line), *paras[index + 1 :]]
            break
        if not _read_line(head, text):
            break
        report.consume("masthead", text)
        index += 1
    if not _is_masthead(head):
        # one short line and nothing else: a headline on its own line, not a series title
        del report.layout[layout_before:]
        head, index = Masthead(), 0
    if head.year is None and head.date is not None:
        head.year = int(head.date[:4])
    _check(head, report)
    return head, paras[index:]


def _is_masthead(head: Masthead) -> bool:
    """Enough evidence for a masthead: a number, a date, marks, or a series-like title."""
    if head.number or head.total_number or head.date or head.marks or head.organ:
        return True
    return head.series is None or bool(SERIES_HINT.search(head.series))


def _check(head: Masthead, report: Report) -> None:
    """Warnings and confidence for what the masthead did or did not say."""
    if head.series is None:
        report.warn("series", "没有识别出刊物名称（版头），请核对")
    else:
        report.confidence["series"] = 0.95 if SERIES_HINT.search(head.series) else 0.6
    if head.number is None:
        report.warn("number", "没有识别出期号（如「第35期」），请核对")
    if head.organ is None:
        report.warn("organ", "没有识别出编发单位，请核对")
    else:
        report.confidence["organ"] = 0.9 if ORGAN.match(head.organ) else 0.5
    if head.date is None:
        report.warn("date", "版头中没有识别出日期，请核对")
    if head.year is None:
        report.warn("year", "没有识别出年份，请核对")
