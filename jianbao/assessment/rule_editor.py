"""The rule editor's form: the engine's rule JSON laid out as sections of rows, and read back.

Rows are plain numbered fields (`outlet-3-points` …) with a 删除 box each and blank rows to add;
no JavaScript. What the engine refuses comes back as its Chinese message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from jianbao.scoring.model import (
    FORMS,
    LEADER_LEVELS,
    LEVELS,
    MULTI_OUTLET,
    QUOTA_PERIODS,
    SHARED_CREDIT,
    Penalties,
)

BLANK_ROWS = 2
SECTIONS: dict[str, tuple[str, ...]] = {
    "outlet": ("outlet", "level", "form", "points"),
    "forward": ("level", "form", "multiplier"),
    "instruction": ("level", "first", "later"),
    "quota": (
        "unit_class",
        "period",
        "minimum",
        "base",
        "per_item_above",
        "shortfall",
        "yearly_cap",
        "kinds",
    ),
}
JSON_KEYS = {
    "outlet": "outlets",
    "forward": "forwarded",
    "instruction": "instructions",
    "quota": "quotas",
}
PENALTY_LABELS = {
    "commission_missed": "约稿未报（每次扣）",
    "commission_late": "约稿逾期（每次扣）",
    "feedback_missed": "批示反馈未报（每次扣）",
    "feedback_late": "批示反馈逾期（每次扣）",
}
CHOICES = {
    "levels": LEVELS,
    "forms": FORMS,
    "leader_levels": LEADER_LEVELS,
    "periods": QUOTA_PERIODS,
    "shared_credit": SHARED_CREDIT,
    "multi_outlet": MULTI_OUTLET,
}


@dataclass
class EditorState:
    """What the editor page shows: the rows of every section and the single figures."""

    name: str = ""
    shared_credit: str = "split"
    multi_outlet: str = "sum"
    commissioned_bonus: str = "0"
    penalties: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def state_from_rules(rules: dict[str, Any], *, extra: int = BLANK_ROWS) -> EditorState:
    """The editor's rows for a stored rule set, with blank rows to add."""
    rows: dict[str, list[dict[str, str]]] = {}
    for section, columns in SECTIONS.items():
        existing = []
        for item in rules.get(JSON_KEYS[section]) or []:
            row = {c: _text(item.get(c)) for c in columns}
            existing.append(row)
        rows[section] = existing + [dict.fromkeys(columns, "") for _ in range(extra)]
    penalties = rules.get("penalties") or {}
    return EditorState(
        name=str(rules.get("name", "")),
        shared_credit=str(rules.get("shared_credit", "split")),
        multi_outlet=str(rules.get("multi_outlet", "sum")),
        commissioned_bonus=_text(rules.get("commissioned_bonus", "0")),
        penalties={k: _text(penalties.get(k, "0")) for k in Penalties.__dataclass_fields__},
        rows=rows,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def rules_from_post(post: QueryDict) -> tuple[dict[str, Any], EditorState]:
    """The rule JSON the form describes (rows marked 删除 or left blank are dropped), and the
    editor state to show again."""
    rows: dict[str, list[dict[str, str]]] = {}
    data: dict[str, Any] = {}
    for section, columns in SECTIONS.items():
        count = (
            min(int(post.get(f"{section}-count", "0") or 0), 500)
            if post.get(f"{section}-count", "0").isdigit()
            else 0
        )
        kept: list[dict[str, str]] = []
        for index in range(count):
            row = {c: post.get(f"{section}-{index}-{c}", "").strip() for c in columns}
            if post.get(f"{section}-{index}-delete") or not _filled(section, row):
                continue
            kept.append(row)
        rows[section] = kept
        data[JSON_KEYS[section]] = [_json_row(section, row) for row in kept]
    data["name"] = post.get("name", "").strip()
    data["shared_credit"] = post.get("shared_credit", "split")
    data["multi_outlet"] = post.get("multi_outlet", "sum")
    data["commissioned_bonus"] = post.get("commissioned_bonus", "0").strip() or "0"
    data["penalties"] = {
        key: post.get(f"penalty-{key}", "0").strip() or "0"
        for key in Penalties.__dataclass_fields__
    }
    state = EditorState(
        name=data["name"],
        shared_credit=data["shared_credit"],
        multi_outlet=data["multi_outlet"],
        commissioned_bonus=data["commissioned_bonus"],
        penalties=data["penalties"],
        rows={
            s: r + [dict.fromkeys(SECTIONS[s], "") for _ in range(BLANK_ROWS)]
            for s, r in rows.items()
        },
    )
    return data, state


def _filled(section: str, row: dict[str, str]) -> bool:
    key = {"outlet": "points", "forward": "multiplier", "instruction": "first", "quota": "minimum"}[
        section
    ]
    return bool(row.get(key))


def _json_row(section: str, row: dict[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = dict(row)
    if section == "quota":
        minimum = row.get("minimum", "")
        result["minimum"] = int(minimum) if minimum.isdigit() else minimum
        result["kinds"] = [
            k for k in row.get("kinds", "").replace(",", "、").split("、") if k.strip()
        ]
        result["yearly_cap"] = row.get("yearly_cap") or None
        for key in ("base", "per_item_above", "shortfall"):
            result[key] = row.get(key) or "0"
        result["unit_class"] = row.get("unit_class") or "*"
    if section == "instruction" and not row.get("later"):
        result["later"] = row.get("first")
    if section in ("outlet", "forward") and not row.get("form"):
        result["form"] = "*"
    return result
