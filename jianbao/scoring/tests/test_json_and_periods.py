"""The JSON formats round-trip and refuse bad input with Chinese reasons; periods parse."""

from __future__ import annotations

from datetime import date

import pytest

from jianbao.scoring import (
    PeriodError,
    RulesError,
    facts_from_json,
    facts_to_json,
    parse_period,
    period_label,
    rules_from_json,
    rules_to_json,
)
from jianbao.scoring.model import Period
from jianbao.scoring.presets import PRESETS


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_presets_round_trip(key):
    rules = rules_from_json(PRESETS[key])
    assert rules_from_json(rules_to_json(rules)) == rules


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"outlets": [{"outlet": "x", "level": "town", "form": "*", "points": "1"}]}, "未知的取值"),
        (
            {"outlets": [{"outlet": "x", "level": "city", "form": "*", "points": "-1"}]},
            "不能为负数",
        ),
        ({"outlets": [{"outlet": "x", "level": "city", "form": "*", "points": "abc"}]}, "不是数字"),
        ({"outlets": [{"outlet": "x", "level": "city", "points": "1"}] * 2}, "重复"),
        ({"quotas": [{"period": "day", "minimum": 1}]}, "period"),
        ({"forwarded": [{"level": "city", "multiplier": "0"}]}, "倍数必须大于 0"),
        ({"penalties": {"lateness": "1"}}, "未知的项目"),
        ({"name": ""}, "name：不能为空"),
    ],
)
def test_bad_rules_are_refused_in_chinese(change, message):
    data = {"name": "测试", **change}
    with pytest.raises(RulesError, match=message):
        rules_from_json(data)


def test_facts_round_trip_and_bad_facts():
    data = {
        "units": [{"id": 1, "name": "区司法局", "class": "区直单位"}],
        "adoptions": [{"id": "a1", "item": "s1", "units": [1], "outlet": "郑州信息",
                       "level": "city", "form": "single", "date": "2024-06-03"}],
        "instructions": [{"id": "i1", "item": "s1", "units": [1], "level": "city",
                          "date": "2024-06-04", "leader": "王市长"}],
        "commissions": [{"id": "c1", "unit": 1, "outcome": "late", "date": "2024-06-05"}],
        "feedback": [{"id": "f1", "unit": 1, "outcome": "missed", "date": "2024-06-06"}],
        "submissions": [{"id": "s1", "unit": 1, "date": "2024-06-01"}],
        "corrections": [{"id": "o1", "unit": 1, "date": "2024-06-30", "points": "-2"}],
    }  # fmt: skip
    facts = facts_from_json(data)
    assert facts_from_json(facts_to_json(facts)) == facts
    assert {o.kind for o in facts.outcomes} == {"commission", "feedback"}
    with pytest.raises(RulesError, match="不是日期"):
        facts_from_json({"submissions": [{"unit": 1, "date": "6月1日"}]})
    with pytest.raises(RulesError, match="units"):
        facts_from_json({"adoptions": [{"outlet": "x", "level": "city", "date": "2024-01-01"}]})


def test_periods():
    assert parse_period("2024-06") == Period(date(2024, 6, 1), date(2024, 6, 30))
    assert parse_period("2024-Q1") == Period(date(2024, 1, 1), date(2024, 3, 31))
    assert parse_period("2024") == Period(date(2024, 1, 1), date(2024, 12, 31))
    assert parse_period("2024-02-01..2024-02-10").end == date(2024, 2, 10)
    assert period_label(parse_period("2024-06")) == "2024年6月"
    assert period_label(parse_period("2024-Q2")) == "2024年第2季度"
    for bad in ("2024-13", "六月", "2024-06-10..2024-06-01"):
        with pytest.raises(PeriodError):
            parse_period(bad)
