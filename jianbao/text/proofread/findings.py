"""What the proofreader reports: findings and the catalogue of rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One suspected problem: original[start:end] == text; suggestion may be "" (delete) or None."""

    start: int
    end: int
    text: str
    suggestion: str | None
    rule: str
    severity: Severity
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the dataclass fields."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule as a UI lists it: a Chinese label and a one-sentence description."""

    label: str
    description: str


RULES: dict[str, RuleInfo] = {
    "traditional": RuleInfo(
        "繁体字", "简体文本中混入的繁体字或非通用规范汉字（依据 OpenCC 与《通用规范汉字表》）。"
    ),
    "confusion": RuleInfo(
        "错别字", "音近、形近字造成的别字：分词后出现非词，且语言模型明显支持更正后的写法。"
    ),
    "terms": RuleInfo("规范提法", "固定的政务用语、提法和成语的常见误写（可由单位扩充词表）。"),
    "particles": RuleInfo("虚词重复", "多余或重复的助词、介词，如「的的」「中的遇到的」「了了」。"),
    "repeated_words": RuleInfo("字词重复", "非正常叠用的重复字词，如「我们们」「推进推进」。"),
    "punctuation": RuleInfo(
        "标点符号", "依据 GB/T 15834：引号括号不配对、中文中夹用半角标点、标点重复、书名号间顿号。"
    ),
    "numbers": RuleInfo(
        "数字用法", "依据 GB/T 15835：「3千」式混写、数字被拆开、同一文本日期写法不一致。"
    ),
    "source_line": RuleInfo(
        "来源单位", "信息末尾的来源单位应以全角括号括起，如「（区委宣传部）」。"
    ),
}

# When two findings overlap, the one whose rule comes first here wins (more specific, more certain).
PRIORITY: tuple[str, ...] = (
    "terms",
    "traditional",
    "particles",
    "repeated_words",
    "source_line",
    "punctuation",
    "numbers",
    "confusion",
)
