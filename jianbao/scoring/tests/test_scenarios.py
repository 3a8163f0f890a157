"""Hand-worked scenarios on the published rule sets; every total is worked out in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jianbao.scoring import compute, parse_period, rules_from_json, totals
from jianbao.scoring.model import (
    AdoptionFact,
    CorrectionFact,
    Facts,
    InstructionFact,
    OutcomeFact,
    SubmissionFact,
    UnitFact,
)
from jianbao.scoring.presets import R1, R2, R3, R4, R5

D = Decimal


def adoption(fid, units, outlet, level, form, day, *, item=None, forwarded=False, **kw):  # noqa: PLR0917
    return AdoptionFact(
        id=fid, item=item or fid, units=tuple(units), outlet=outlet, level=level, form=form,
        date=date.fromisoformat(day), forwarded=forwarded, **kw,
    )  # fmt: skip


def submissions(unit, days, prefix="s"):
    return [SubmissionFact(id=f"{prefix}{unit}-{n}", unit=unit, date=date.fromisoformat(d))
            for n, d in enumerate(days)]  # fmt: skip


def test_r5_quarter_merged_each_several_outlets_forwarded_research_yearly_quota():
    rules = rules_from_json(R5)
    units = (
        UnitFact(1, "科室甲", "科室"),
        UnitFact(2, "科室乙", "科室"),
        UnitFact(3, "科室丙", "科室"),
    )
    facts = Facts(
        units=units,
        adoptions=(
            # 综合采用 of three units' items in 《重要信息》: 3 for EACH unit (not split).
            adoption("a1", [1, 2, 3], "重要信息", "district", "merged", "2024-10-10"),
            # Item Y of unit 1: 《重要信息》 single 5, and the city party office 10: they add up.
            adoption("a2", [1], "重要信息", "district", "single", "2024-11-01", item="Y"),
            adoption("a3", [1], "郑州信息", "city", "single", "2024-11-20", item="Y"),
            # Research item of unit 2 forwarded and used by the province: 20 × 2 = 40.
            adoption(
                "a4", [2], "河南政务信息", "province", "research", "2024-12-05", forwarded=True
            ),
            # Unit 3's item adopted by 国务院办公厅: 30 (no multiplier at the national level).
            adoption("a5", [3], "国务院办公厅", "central", "single", "2024-12-10", forwarded=True),
            # Before the quarter: not in this period.
            adoption("a6", [1], "重要信息", "district", "single", "2024-09-30"),
        ),
        outcomes=(OutcomeFact("c1", "commission", 3, "missed", date(2024, 11, 5), "防汛"),),
        submissions=tuple(
            # Yearly quota ≥15 → 50: unit 1 has 16, unit 2 has 15, unit 3 has 14 (nothing).
            submissions(1, [f"2024-{m:02d}-03" for m in range(1, 13)] + ["2024-12-04"] * 4)
            + submissions(2, [f"2024-{m:02d}-03" for m in range(1, 13)] + ["2024-10-01"] * 3)
            + submissions(3, [f"2024-{m:02d}-03" for m in range(1, 13)] + ["2024-10-01"] * 2)
        ),
    )
    lines = compute(rules, facts, parse_period("2024-Q4"))
    # unit 1: 3 (a1) + 5 (a2) + 10 (a3) + 50 (quota) = 68
    # unit 2: 3 (a1) + 40 (a4) + 50 (quota) = 93
    # unit 3: 3 (a1) + 30 (a5) = 33; R5 has no commission penalty
    assert totals(lines) == {1: D("68"), 2: D("93"), 3: D("33")}
    a1 = [line for line in lines if line.fact_id == "a1"]
    assert {line.points for line in a1} == {D("3")}
    assert a1[0].share_note == "与2个单位合报，各计"
    a4 = next(line for line in lines if line.fact_id == "a4")
    assert a4.explanation == "《河南政务信息》（省级）采用 调研 20分 × 2（经转报）= 40分"
    quota = next(line for line in lines if line.kind == "quota_met" and line.unit_id == 1)
    assert (quota.date, quota.period_start) == (date(2024, 12, 31), date(2024, 1, 1))
    assert quota.unit_class == "科室"


def test_r4_month_joint_split_forwarded_multipliers_and_instructions():
    # R4 gives no figures for the province's or the nation's own outlets; the scenario adds two
    # (marked here) so the multipliers have something to multiply.
    data = dict(R4)
    data["outlets"] = R4["outlets"] + [
        {"outlet": "浙江政务信息", "level": "province", "form": "single", "points": "5"},  # test
        {"outlet": "*", "level": "central", "form": "*", "points": "10"},  # test
    ]
    rules = rules_from_json(data)
    facts = Facts(
        adoptions=(
            # Joint item of three units in 《衢州政务》 信息版: 2 split evenly → 0.67 + 0.67 + 0.66.
            adoption("a1", [3, 1, 2], "衢州政务", "city", "single", "2024-06-03"),
            # 专报 of unit 1: 3.
            adoption("a2", [1], "衢州政务", "city", "special", "2024-06-05"),
            # Province adopts unit 1's item forwarded by the city office: 5 × 2 = 10.
            adoption("a3", [1], "浙江政务信息", "province", "single", "2024-06-10", forwarded=True),
            # Unit 2 reported directly to the province: 5, no multiplier.
            adoption("a4", [2], "浙江政务信息", "province", "single", "2024-06-11"),
            # Forwarded to 国务院办公厅 and adopted: 10 × 5 = 50.
            adoption(
                "a5", [2], "国务院办公厅信息", "central", "single", "2024-06-20", forwarded=True
            ),
        ),
        instructions=(
            # A city leader's instruction on unit 1's 专报: +10; a later one on it: 10 again (R4
            # has one figure).
            InstructionFact("i1", "a2", (1,), "city", date(2024, 6, 8), "王市长", True),
            InstructionFact("i2", "a2", (1,), "city", date(2024, 6, 18), "李副市长", False),
        ),
        outcomes=(OutcomeFact("c1", "commission", 3, "missed", date(2024, 6, 12)),),
    )
    lines = compute(rules, facts, parse_period("2024-06"))
    # unit 1: 0.67 + 3 + 10 + 10 + 10 = 33.67; unit 2: 0.67 + 5 + 50 = 55.67; unit 3: 0.66
    assert totals(lines) == {1: D("33.67"), 2: D("55.67"), 3: D("0.66")}
    shares = [line for line in lines if line.fact_id == "a1"]
    assert sum(line.points for line in shares) == D("2")
    assert shares[0].share_note == "与2个单位合报，均分"
    a5 = next(line for line in lines if line.fact_id == "a5")
    assert "× 5（经转报）= 50分" in a5.explanation


def test_r2_weekly_quota_met_missed_and_city_instruction():
    rules = rules_from_json(R2)
    units = (UnitFact(1, "甲县", "县"), UnitFact(2, "乙局", "部门"))
    weeks = ["2024-06-04", "2024-06-11", "2024-06-18", "2024-06-25"]  # Tuesdays of 4 weeks
    facts = Facts(
        units=units,
        adoptions=(
            adoption("a1", [1], "市府信息", "city", "single", "2024-06-07"),  # 5
            adoption("a2", [2], "省府信息", "province", "single", "2024-06-14"),  # 15
            # Joint item in the 增刊: 8 split → 4 each.
            adoption("a3", [1, 2], "市府信息（增刊）", "city", "single", "2024-06-21"),
        ),
        instructions=(InstructionFact("i1", "a2", (2,), "city", date(2024, 6, 15), "市长"),),  # 12
        submissions=tuple(
            # The week May 27–June 2 ends in June, so it is scored in June with its May items.
            submissions(1, ["2024-05-28", "2024-05-29", "2024-06-01"] + weeks * 3)
            + submissions(2, ["2024-05-28", "2024-05-30"] + weeks[:3] * 2 + ["2024-06-25"])
        ),
    )
    lines = compute(rules, facts, parse_period("2024-06"))
    # Five weeks end in June (6-2, 6-9, 6-16, 6-23, 6-30).
    # unit 1: 3 items every week → (1 base + 1 above) × 5 = 10; + 5 + 4 = 19
    # unit 2: 2 items in weeks 1–4 → 1 × 4 = 4, week 5 has 1 (base point lost, no line);
    #         + 15 + 4 + 12 = 35
    assert totals(lines) == {1: D("19"), 2: D("35")}
    assert not [line for line in lines if line.kind == "quota_shortfall"]
    above = [line for line in lines if line.kind == "quota_above"]
    assert len(above) == 5 and {line.unit_id for line in above} == {1}


def test_r3_quarter_penalties_commissioned_bonus_and_unlisted_outlet():
    rules = rules_from_json(R3)
    facts = Facts(
        adoptions=(
            adoption("a1", [1], "川政晨讯", "province", "special", "2024-04-10"),  # 5 as 重要
            # A commissioned item in 《政务晨讯》: 2 + 5 for the commission.
            adoption("a2", [2], "政务晨讯", "city", "single", "2024-05-10", commissioned=True),
            adoption("a3", [2], "某县简报", "district", "single", "2024-05-11"),  # not listed: 0
        ),
        instructions=(
            InstructionFact("i1", "a1", (1,), "state_council", date(2024, 5, 1), "某副总理"),
        ),  # 20
        outcomes=(
            OutcomeFact("c1", "commission", 1, "missed", date(2024, 6, 1), "营商环境"),  # −10
            OutcomeFact("f1", "feedback", 2, "late", date(2024, 6, 2)),  # −10
        ),
        corrections=(CorrectionFact("o1", 2, date(2024, 6, 30), D("1.5"), "漏记简讯"),),
    )
    lines = compute(rules, facts, parse_period("2024-Q2"))
    # unit 1: 5 + 20 − 10 = 15; unit 2: 7 + 0 − 10 + 1.5 = −1.5
    assert totals(lines) == {1: D("15"), 2: D("-1.5")}
    unlisted = next(line for line in lines if line.fact_id == "a3")
    assert unlisted.points == 0 and "未列入计分表" in unlisted.explanation
    missed = next(line for line in lines if line.kind == "commission_missed")
    assert missed.explanation == "约稿「营商环境」未报 −10分"


def test_r1_monthly_base_points_with_yearly_cap_per_class():
    data = dict(R1)
    data["quotas"] = [dict(q, yearly_cap="25") for q in R1["quotas"]]  # a low cap to see it bite
    rules = rules_from_json(data)
    facts = Facts(
        units=(UnitFact(1, "工人路街道", "街道"), UnitFact(2, "区财政局", "区直单位")),
        submissions=tuple(
            submissions(1, [f"2024-0{m}-1{d}" for m in (1, 2, 3) for d in range(8)])
            + submissions(2, [f"2024-0{m}-1{d}" for m in (1, 2, 3) for d in range(8)])
        ),
        adoptions=(adoption("a1", [2], "常山政务", "district", "single", "2024-02-01"),),
    )
    lines = compute(rules, facts, parse_period("2024-Q1"))
    # 街道 unit: 10 + 10 + 5 (capped at 25); 区直单位 have no quota here: 10 for 《常山政务》
    assert totals(lines) == {1: D("25"), 2: D("10")}
    assert [line.points for line in lines if line.kind == "quota_met"] == [D("10"), D("10"), D("5")]
