"""The transcribed figures of five published rule sets (shared/scoring/rule-sets.md), as JSON.

Only what was transcribed is here: figures marked "not transcribed" in the source are left out
(no row, or a zero penalty), never guessed. Forms stand for the published wording as noted.
"""

from __future__ import annotations

from typing import Any


def _rows(level: str, *rows: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"outlet": o, "level": level, "form": f, "points": p} for o, f, p in rows]


# R1 常山县 (2014): county outlets; city outlets scored only after the county forwards them
# (their figures already include that, so no multiplier); 乡镇/街道 monthly minimum of 8 items,
# 10 points a month, 120 a year at most. Shortfall penalty, provincial tiers: not transcribed.
R1: dict[str, Any] = {
    "name": "R1 常山县政务信息考核（2014）",
    "outlets": _rows(
        "district",
        ("要情快报", "*", "5"),
        ("常山政务", "*", "10"),
        ("常山政务增刊", "*", "30"),
        ("政务参阅", "*", "30"),
    )
    + _rows(
        "city",
        ("衢州政务信息动态", "single", "20"),
        ("衢州政务信息动态", "article", "50"),
        ("衢州政务工作交流", "*", "80"),
    ),
    "quotas": [
        {"unit_class": c, "period": "month", "minimum": 8, "base": "10", "yearly_cap": "120"}
        for c in ("街道", "镇")
    ],
}

# R2 市政务信息工作考评办法: ≥2 a week (1 base point, +1 per item above, the week's base point
# lost when missed); city leader's instruction 12 (a provincial one: not transcribed).
R2: dict[str, Any] = {
    "name": "R2 市政务信息工作考评",
    "outlets": _rows("city", ("市府信息", "*", "5"), ("市府信息（增刊）", "*", "8"))
    + _rows("province", ("省府信息", "*", "15"), ("信息与调研", "*", "20")),
    "instructions": [{"level": "city", "first": "12", "later": "12"}],
    "quotas": [
        {"unit_class": "*", "period": "week", "minimum": 2, "base": "1", "per_item_above": "1"}
    ],
}

# R3 广元 (2008): 《川政晨讯》 3 as 参阅 (form single), 5 as 重要 (form special); a commissioned
# item adopted 5; the portal's text item 1 (a picture item 0.5 has no form here); missed or late
# commissions and instruction feedback −10.
R3: dict[str, Any] = {
    "name": "R3 广元市政务信息考核（2008）",
    "outlets": _rows(
        "city",
        ("政务晨讯", "*", "2"),
        ("要情专报", "*", "2"),
        ("政府工作通报", "*", "5"),
        ("政务参阅", "*", "5"),
        ("市政府门户网站", "*", "1"),
    )
    + _rows("province", ("川政晨讯", "single", "3"), ("川政晨讯", "special", "5"))
    + _rows("central", ("*", "*", "10")),
    "commissioned_bonus": "5",
    "instructions": [
        {"level": "state_council", "first": "20", "later": "20"},
        {"level": "province", "first": "10", "later": "10"},
        {"level": "city", "first": "5", "later": "5"},
    ],
    "penalties": {
        "commission_missed": "10",
        "commission_late": "10",
        "feedback_missed": "10",
        "feedback_late": "10",
    },
}

# R4 衢州: 《衢州政务》 信息版 2, 专报 3; 特刊 2; 增刊 10; 送阅件 2; city leader's instruction 10;
# forwarded ×2 at province, ×5 at national level (the province's and nation's own figures are
# not transcribed); joint items split evenly.
R4: dict[str, Any] = {
    "name": "R4 衢州市政务信息考核",
    "outlets": _rows(
        "city",
        ("衢州政务", "single", "2"),
        ("衢州政务", "special", "3"),
        ("衢州政务特刊", "*", "2"),
        ("衢州政务增刊", "*", "10"),
        ("送阅件", "*", "2"),
    ),
    "shared_credit": "split",
    "forwarded": [
        {"level": "province", "form": "*", "multiplier": "2"},
        {"level": "central", "form": "*", "multiplier": "5"},
    ],
    "instructions": [{"level": "city", "first": "10", "later": "10"}],
}

# R5 a county department's sections: ≥15 items a year → 50; 《重要信息》 single 5, merged 3 for
# each unit; 要情 10; 信息快报 10; 《政务信息》 动态 5, commissioned/research 10, 简讯 3; city party
# office 10, provincial office 20, 国务院办公厅 30, 中共中央办公厅 50; research used after
# forwarding: provincial or city points × 2; several outlets add up.
R5: dict[str, Any] = {
    "name": "R5 信息工作目标考核评比",
    "outlets": _rows(
        "district",
        ("重要信息", "single", "5"),
        ("重要信息", "merged", "3"),
        ("要情", "*", "10"),
        ("信息快报", "*", "10"),
        ("政务信息", "single", "5"),
        ("政务信息", "research", "10"),
        ("政务信息", "brief", "3"),
    )
    + _rows("city", ("*", "*", "10"))
    + _rows("province", ("*", "*", "20"))
    + _rows("central", ("国务院办公厅", "*", "30"), ("中共中央办公厅", "*", "50")),
    "shared_credit": "each",
    "multi_outlet": "sum",
    "forwarded": [
        {"level": "province", "form": "research", "multiplier": "2"},
        {"level": "city", "form": "research", "multiplier": "2"},
    ],
    "quotas": [{"unit_class": "*", "period": "year", "minimum": 15, "base": "50"}],
}

PRESETS: dict[str, dict[str, Any]] = {"R1": R1, "R2": R2, "R3": R3, "R4": R4, "R5": R5}
