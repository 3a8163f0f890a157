"""Rankings: order and ties, period boundaries, classes ranked apart, who sees which lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import Role, Unit, UnitKind, User
from jianbao.accounts.tests.factories import UserFactory
from jianbao.assessment.rankings import (
    class_rankings,
    is_period_frozen,
    points_text,
    rankings_for,
)
from jianbao.assessment.services import do_freeze_period
from jianbao.assessment.tests.rankings_data import adoption, points, unit
from jianbao.ranking import TIE_RULE, Period, parse_period

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
JUNE = Period.month(2024, 6)


@pytest.fixture
def offices() -> dict[str, Unit]:
    """Four 区直单位 and one 街道 with June figures chosen to exercise every tie rule."""
    units = {
        name: unit(name, order=order)
        for order, name in enumerate(["区司法局", "区财政局", "区科技局", "区总工会"], start=1)
    }
    units["矿山街道"] = unit("矿山街道", kind=UnitKind.SUBDISTRICT)
    # 区司法局 and 区财政局 both have 20 points: 司法局 has a 省级 adoption, 财政局 two 市级,
    # so 司法局 comes first.
    points(units["区司法局"], date(2024, 6, 3), "20")
    adoption(units["区司法局"], date(2024, 6, 3), level="province", outlet="河南信息")
    points(units["区财政局"], date(2024, 6, 10), "12")
    points(units["区财政局"], date(2024, 6, 30), "8")  # last day of June counts in June
    adoption(units["区财政局"], date(2024, 6, 10), level="city", outlet="郑州信息")
    adoption(units["区财政局"], date(2024, 6, 30), level="city", outlet="郑州信息")
    # 区科技局 30 points; 区总工会 nothing in June (its July line must not count).
    points(units["区科技局"], date(2024, 6, 1), "30")
    adoption(units["区科技局"], date(2024, 6, 1))
    points(units["区总工会"], date(2024, 7, 1), "50")
    adoption(units["区总工会"], date(2024, 7, 1))
    points(units["矿山街道"], date(2024, 6, 15), "5")
    adoption(units["矿山街道"], date(2024, 6, 15))
    return units


def _lines(period: Period) -> dict[str, list[tuple[int, str, str]]]:
    return {
        r.class_name: [
            (ln.rank, ln.standing.name, points_text(ln.standing.points)) for ln in r.lines
        ]
        for r in class_rankings(period=period)
    }


def test_order_ties_and_classes_ranked_apart(offices: dict[str, Unit]) -> None:
    lines = _lines(JUNE)
    assert lines["区直单位"] == [
        (1, "区科技局", "30"),
        (2, "区司法局", "20"),
        (3, "区财政局", "20"),
        (4, "区总工会", "0"),
    ]
    assert lines["街道"] == [(1, "矿山街道", "5")]
    office = next(r for r in class_rankings(period=JUNE) if r.class_name == "区直单位")
    assert office.without_adoption == ["区总工会"]


def test_units_equal_on_everything_share_a_rank(offices: dict[str, Unit]) -> None:
    points(offices["区总工会"], date(2024, 6, 5), "20")
    adoption(offices["区总工会"], date(2024, 6, 5), level="city")
    adoption(offices["区总工会"], date(2024, 6, 6), level="city")
    office = next(r for r in class_rankings(period=JUNE) if r.class_name == "区直单位")
    tied = [(ln.rank, ln.standing.name, ln.tied) for ln in office.lines if ln.rank == 3]
    # Same points, same adoptions by level: same rank, listed in unit order (财政局 2, 总工会 4).
    assert tied == [(3, "区财政局", True), (3, "区总工会", True)]


def test_period_boundaries_month_quarter_year_and_range(offices: dict[str, Unit]) -> None:
    july = _lines(Period.month(2024, 7))["区直单位"]
    assert july[0] == (1, "区总工会", "50")
    second_quarter = _lines(parse_period("2024-Q2"))["区直单位"]
    assert [name for _, name, _ in second_quarter][:3] == ["区科技局", "区司法局", "区财政局"]
    year = _lines(Period.year(2024))["区直单位"]
    assert year[0] == (1, "区总工会", "50")
    # 2024-06-11..2024-06-30 drops 财政局's 10 June line, keeps its 30 June one.
    late_june = {n: p for _, n, p in _lines(parse_period("2024-06-11..2024-06-30"))["区直单位"]}
    assert late_june["区财政局"] == "8" and late_june["区科技局"] == "0"


def test_one_class_only(offices: dict[str, Unit]) -> None:
    from jianbao.assessment.models import UnitClass

    streets = UnitClass.objects.get(name="街道")
    only = class_rankings(period=JUNE, unit_class_id=streets.pk)
    assert [r.class_name for r in only] == ["街道"]


def test_a_unit_sees_only_its_own_line(offices: dict[str, Unit], editor: User) -> None:
    clerk = UserFactory(username="sifa", unit=offices["区司法局"], roles=[Role.REPORTER])
    own = rankings_for(user=clerk, period=JUNE)
    assert [(r.class_name, [ln.standing.name for ln in r.lines]) for r in own] == [
        ("区直单位", ["区司法局"])
    ]
    assert own[0].lines[0].rank == 2
    assert len(rankings_for(user=editor, period=JUNE)[0].lines) == 4


def test_ranking_page_shows_tie_rule_order_and_units_not_adopted(
    offices: dict[str, Unit], editor: User, login: Login
) -> None:
    response = login(editor).get(reverse("assessment:rankings"), {"period": "2024-06"})
    assert response.status_code == 200
    html = response.content.decode()
    assert TIE_RULE in html and "2024年6月" in html
    assert html.index("区科技局") < html.index("区司法局") < html.index("区财政局")
    assert "未被采用的单位：</b>区总工会" in html
    # Picking the period with the selects gives the same page.
    by_form = login(editor).get(
        reverse("assessment:rankings"), {"kind": "month", "year": "2024", "month": "6"}
    )
    assert "区司法局" in by_form.content.decode()


def test_ranking_page_for_a_unit_hides_other_units(offices: dict[str, Unit], login: Login) -> None:
    clerk = UserFactory(username="sifa", unit=offices["区司法局"], roles=[Role.REPORTER])
    html = login(clerk).get(reverse("assessment:rankings"), {"period": "2024-06"}).content.decode()
    assert "区司法局" in html and "区科技局" not in html and "区财政局" not in html
    assert "印发通报并冻结计分" not in html and "下载 DOCX 草稿" not in html


def test_bad_period_is_a_chinese_message(editor: User, login: Login) -> None:
    response = login(editor).get(
        reverse("assessment:rankings"),
        {"kind": "range", "start": "2024-06-30", "end": "2024-06-01"},
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_is_period_frozen(editor: User) -> None:
    assert not is_period_frozen(start=date(2024, 6, 1), end=date(2024, 6, 30))
    do_freeze_period(actor=editor, start=date(2024, 6, 1), end=date(2024, 6, 30), reason="通报")
    assert is_period_frozen(start=date(2024, 6, 30), end=date(2024, 7, 31))
    assert not is_period_frozen(start=date(2024, 7, 1), end=date(2024, 7, 31))
