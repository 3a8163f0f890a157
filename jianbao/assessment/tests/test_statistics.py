"""统计分析: figures per unit and class, the monthly trend, levels, outlets, commissions, top
items, the page with its chart data and tables, and the XLSX export."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date, datetime

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import Role, Unit, UnitKind, User
from jianbao.accounts.tests.factories import UserFactory
from jianbao.assessment.rankings import points_text
from jianbao.assessment.statistics import statistics_for
from jianbao.assessment.tests.rankings_data import adoption, points, unit
from jianbao.ranking import Period
from jianbao.submissions.models import Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
Q2 = Period.quarter(2024, 2)


def submitted(item: Submission, when: datetime) -> Submission:
    Submission.objects.filter(pk=item.pk).update(submitted_at=when)
    return item


@pytest.fixture
def year(editor: User) -> dict[str, Unit]:
    """区司法局: 3 items in April–June (2 adopted, one of them by two outlets); 矿山街道: 1 item."""
    sifa = unit("区司法局", order=1)
    street = unit("矿山街道", kind=UnitKind.SUBDISTRICT)
    clerk = UserFactory(username="sifa", unit=sifa, roles=[Role.REPORTER])
    street_clerk = UserFactory(username="ks", unit=street, roles=[Role.REPORTER])
    tz = timezone.get_current_timezone()
    first = make_submission(author=clerk, state=State.ADOPTED, editor=editor, title="司法所调解")
    second = make_submission(author=clerk, state=State.ADOPTED, editor=editor, title="普法")
    Submission.objects.filter(pk=second.pk).update(state=State.PUBLISHED)  # printed since
    third = make_submission(author=clerk, state=State.SUBMITTED, title="法律援助")
    fourth = make_submission(author=street_clerk, state=State.SUBMITTED, title="矿山社区")
    submitted(first, datetime(2024, 4, 2, 9, tzinfo=tz))
    submitted(second, datetime(2024, 5, 20, 9, tzinfo=tz))
    submitted(third, datetime(2024, 6, 30, 23, 30, tzinfo=tz))  # still June locally
    submitted(fourth, datetime(2024, 7, 1, 0, 30, tzinfo=tz))  # July: outside Q2
    adoption(sifa, date(2024, 4, 10), submission=first)
    adoption(sifa, date(2024, 4, 20), level="city", outlet="郑州信息", submission=first)
    adoption(sifa, date(2024, 5, 25), level="province", outlet="河南信息", submission=second)
    points(sifa, date(2024, 4, 10), "5")
    points(sifa, date(2024, 4, 20), "10")
    points(sifa, date(2024, 5, 25), "20")
    return {"sifa": sifa, "street": street}


def test_figures_per_unit_class_month_level_outlet_and_items(
    year: dict[str, Unit], editor: User
) -> None:
    stats = statistics_for(user=editor, period=Q2)
    sifa = next(u for u in stats.units if u.unit == "区司法局")
    assert (sifa.submitted, sifa.adopted_items, sifa.adoption_rate) == (3, 2, "66.7%")
    assert (sifa.adoptions, points_text(sifa.points), sifa.rank) == (3, "35", 1)
    street = next(u for u in stats.units if u.unit == "矿山街道")
    assert (street.submitted, street.adoption_rate) == (0, "—")
    assert [(m.label, m.submitted, m.adoptions, points_text(m.points)) for m in stats.months] == [
        ("2024年4月", 1, 2, "15"),
        ("2024年5月", 1, 1, "20"),
        ("2024年6月", 1, 0, "0"),
    ]
    assert stats.by_level == [("省级", 1), ("市级", 1), ("区级", 1)]
    assert stats.by_outlet[0] == ("上街信息", 1) or len(stats.by_outlet) == 3
    assert stats.top_items[0]["title"] == "司法所调解" and stats.top_items[0]["count"] == 2
    office = next(c for c in stats.classes if c.class_name == "区直单位")
    assert (office.units, office.submitted, office.adopted_items) == (1, 3, 2)
    assert stats.totals["rate"] == "66.7%"
    assert [row["class"] for row in stats.commissions][:2] == ["区直单位", "街道"]


def test_page_has_chart_data_and_tables(year: dict[str, Unit], leader: User, login: Login) -> None:
    response = login(leader).get(reverse("assessment:statistics"), {"period": "2024-Q2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-data"' in html and "echarts-5.6.0.min.js" in html
    assert html.count('class="chart"') == 7 and html.count('class="list data"') == 7
    assert "<script>" not in html.replace('<script id="chart-data"', "")  # no inline code
    start = html.index('id="chart-data" type="application/json">') + len(
        'id="chart-data" type="application/json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["trend"]["months"] == ["2024年4月", "2024年5月", "2024年6月"]
    assert data["units"]["names"][0] == "区司法局"


def test_one_class_only(year: dict[str, Unit], editor: User) -> None:
    from jianbao.assessment.models import UnitClass

    streets = UnitClass.objects.get(name="街道")
    stats = statistics_for(user=editor, period=Q2, unit_class_id=streets.pk)
    assert [u.unit for u in stats.units] == ["矿山街道"]
    assert stats.by_level == [] and stats.totals["adoptions"] == 0


def test_xlsx_export(year: dict[str, Unit], editor: User, login: Login) -> None:
    response = login(editor).get(reverse("assessment:statistics_xlsx"), {"period": "2024-Q2"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "各单位", "各类别", "月度趋势", "采用级别", "采用载体", "约稿按时报送", "采用最多的信息",
    ]  # fmt: skip
    rows = list(book["各单位"].iter_rows(values_only=True))
    assert rows[0][:4] == ("考核分类", "单位", "报送条数", "被采用条数")
    assert ("区直单位", "区司法局", 3, 2, "66.7%", 3, 35, 1) in rows
    trend = list(book["月度趋势"].iter_rows(values_only=True))
    assert trend[1] == ("2024年4月", 1, 2, 15)
