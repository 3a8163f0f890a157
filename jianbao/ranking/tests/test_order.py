"""The tie rule: points, then adoptions from the highest level down, then all adoptions."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jianbao.ranking import Standing, rank


def s(unit: int, points: str, order: int = 0, **levels: int) -> Standing:
    return Standing(unit, f"单位{unit}", Decimal(points), dict(levels), order=order)


def test_points_decide_first() -> None:
    lines = rank([s(1, "5"), s(2, "37"), s(3, "12.5")])
    assert [line.standing.unit_id for line in lines] == [2, 3, 1]
    assert [line.rank for line in lines] == [1, 2, 3]


def test_equal_points_go_to_the_higher_level_then_to_more_adoptions() -> None:
    # All three have 20 points. Unit 1: one provincial adoption; unit 2: four city adoptions;
    # unit 3: two city adoptions. 省级 beats any number of 市级; then 4 市级 beat 2.
    lines = rank([s(3, "20", city=2), s(2, "20", city=4), s(1, "20", province=1)])
    assert [line.standing.unit_id for line in lines] == [1, 2, 3]
    assert [line.rank for line in lines] == [1, 2, 3]
    assert not any(line.tied for line in lines)


def test_units_equal_on_everything_share_a_rank_and_follow_unit_order() -> None:
    lines = rank([s(1, "10", order=5, city=1), s(2, "10", order=1, city=1), s(3, "30")])
    assert [(line.standing.unit_id, line.rank, line.tied) for line in lines] == [
        (3, 1, False),
        (2, 2, True),
        (1, 2, True),
    ]


def test_units_with_nothing_rank_last_together() -> None:
    lines = rank([s(1, "0"), s(2, "3", district=1), s(3, "0")])
    assert [(line.standing.unit_id, line.rank) for line in lines] == [(2, 1), (1, 2), (3, 2)]


standings = st.lists(
    st.builds(
        Standing,
        unit_id=st.integers(1, 10_000),
        name=st.text(min_size=1, max_size=4),
        points=st.decimals(-20, 200, places=1),
        by_level=st.dictionaries(
            st.sampled_from(["central", "province", "city", "district"]), st.integers(0, 5)
        ),
        order=st.integers(0, 50),
    ),
    max_size=30,
    unique_by=lambda standing: standing.unit_id,
)


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(standings)
def test_ranks_never_decrease_and_ties_mean_equal_merit(items: list[Standing]) -> None:
    lines = rank(items)
    assert sorted(line.standing.unit_id for line in lines) == sorted(i.unit_id for i in items)
    for before, after in itertools.pairwise(lines):
        assert before.standing.merit() >= after.standing.merit()
        assert (before.rank == after.rank) == (before.standing.merit() == after.standing.merit())
    assert rank(list(reversed(items))) == lines  # input order never matters


def test_the_package_is_pure() -> None:
    import ast
    from pathlib import Path

    for path in Path(__file__).resolve().parents[1].glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name.startswith("django") for name in modules), path.name
