"""Properties: the ledger is deterministic, shares add up, recomputing changes nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jianbao.scoring import compute, parse_period, rules_from_json, split_evenly, totals
from jianbao.scoring.model import AdoptionFact, Facts, SubmissionFact, UnitFact
from jianbao.scoring.presets import PRESETS

OUTLETS = ["重要信息", "衢州政务", "市府信息", "郑州信息", "国务院办公厅", "某刊"]
LEVELS = ["district", "city", "province", "central"]
FORMS = ["single", "merged", "brief", "article", "special", "research"]

adoptions = st.lists(
    st.builds(
        lambda n, units, outlet, level, form, day, fwd: AdoptionFact(
            id=f"a{n}", item=f"i{n % 7}", units=tuple(units), outlet=outlet, level=level,
            form=form, date=date(2024, 1, 1) + timedelta(days=day), forwarded=fwd,
        ),
        st.integers(0, 10_000), st.lists(st.integers(1, 6), min_size=1, max_size=4),
        st.sampled_from(OUTLETS), st.sampled_from(LEVELS), st.sampled_from(FORMS),
        st.integers(0, 365), st.booleans(),
    ),
    max_size=30,
    unique_by=lambda a: a.id,
)  # fmt: skip
subs = st.lists(
    st.builds(
        lambda n, unit, day: SubmissionFact(
            id=f"s{n}", unit=unit, date=date(2024, 1, 1) + timedelta(days=day)
        ),
        st.integers(0, 10_000), st.integers(1, 6), st.integers(0, 365),
    ),
    max_size=60,
    unique_by=lambda s: s.id,
)  # fmt: skip
UNITS = tuple(UnitFact(i, f"单位{i}", "街道" if i % 2 else "镇") for i in range(1, 7))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(PRESETS)), adoptions, subs, st.randoms(use_true_random=False))
def test_ledger_is_deterministic_and_independent_of_fact_order(key, ads, sub, rnd):
    rules = rules_from_json(PRESETS[key])
    facts = Facts(units=UNITS, adoptions=tuple(ads), submissions=tuple(sub))
    shuffled_ads, shuffled_subs = list(ads), list(sub)
    rnd.shuffle(shuffled_ads)
    rnd.shuffle(shuffled_subs)
    other = Facts(
        units=UNITS[::-1], adoptions=tuple(shuffled_ads), submissions=tuple(shuffled_subs)
    )
    period = parse_period("2024")
    first = compute(rules, facts, period)
    assert first == compute(rules, facts, period)  # recomputing twice changes nothing
    assert first == compute(rules, other, period)
    assert first == sorted(first)


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=1000, places=2),
    st.lists(st.integers(1, 10_000), min_size=1, max_size=12, unique=True),
)
def test_shares_of_a_merged_item_sum_to_its_points(points, units):
    shares = split_evenly(points, units)
    assert sum(shares.values()) == points
    assert max(shares.values()) - min(shares.values()) <= Decimal("0.01")


@settings(max_examples=60, deadline=None)
@given(adoptions)
def test_split_credit_of_each_adoption_sums_to_its_item_points(ads):
    rules = rules_from_json(PRESETS["R4"])
    lines = compute(rules, Facts(adoptions=tuple(ads)), parse_period("2024"))
    for fact in ads:
        single = compute(
            rules, Facts(adoptions=(AdoptionFact(**{**_fields(fact), "units": (1,)}),)),
            parse_period("2024"),
        )  # fmt: skip
        mine = [line.points for line in lines if line.fact_id == fact.id]
        assert sum(mine) == single[0].points


def _fields(fact: AdoptionFact) -> dict:
    return {name: getattr(fact, name) for name in AdoptionFact.__dataclass_fields__}


def test_monthly_computations_add_up_to_the_year_without_cross_period_rules():
    rng = random.Random(7)
    rules = rules_from_json(PRESETS["R4"])
    ads = tuple(
        AdoptionFact(id=f"a{n}", item=f"a{n}", units=(rng.randint(1, 5),), outlet="衢州政务",
                     level="city", form="single", date=date(2024, 1, 1) + timedelta(days=n))
        for n in range(365)
    )  # fmt: skip
    facts = Facts(adoptions=ads)
    year = totals(compute(rules, facts, parse_period("2024")))
    months: dict[int, Decimal] = {}
    for month in range(1, 13):
        for unit, points in totals(
            compute(rules, facts, parse_period(f"2024-{month:02d}"))
        ).items():
            months[unit] = months.get(unit, Decimal("0")) + points
    assert months == year
