"""考核分类: chief editors add classes and move units between them; the ranking follows; every
change is audited; others may look (office, leaders) or are refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from jianbao.accounts.audit_actions import action_label
from jianbao.accounts.models import AuditEvent, Unit, UnitKind, User
from jianbao.assessment.models import UnitClass, UnitClassMembership
from jianbao.assessment.rankings import class_rankings
from jianbao.assessment.tests.rankings_data import points, unit
from jianbao.ranking import Period

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
URL = "/assessment/classes/"


@pytest.fixture
def offices() -> None:
    UnitClass.objects.get_or_create(
        name="区直单位", defaults={"order": 10, "default_for_kind": UnitKind.DISTRICT_OFFICE}
    )
    points(unit("区司法局", order=1), date(2024, 6, 3), "20")
    points(unit("开发区管委会", order=2), date(2024, 6, 4), "30")


def _classes_of_june() -> dict[str, list[str]]:
    return {
        c.class_name: [line.standing.name for line in c.lines]
        for c in class_rankings(period=Period.month(2024, 6))
    }


def test_chief_adds_a_class_moves_a_unit_and_the_ranking_follows(
    login: Login, chief: User, offices: None
) -> None:
    assert _classes_of_june()["区直单位"] == ["开发区管委会", "区司法局"]
    client = login(chief)
    response = client.post(URL + "new/", {"name": "开发区及园区", "order": "40"}, follow=True)
    assert "已新增分类「开发区及园区」" in response.content.decode()
    park = UnitClass.objects.get(name="开发区及园区")
    kaifaqu = Unit.objects.get(name="开发区管委会")
    response = client.post(
        URL + "assign/", {"unit": kaifaqu.pk, "unit_class": park.pk}, follow=True
    )
    page = response.content.decode()
    assert "已将开发区管委会归入「开发区及园区」" in page
    assert _classes_of_june()["区直单位"] == ["区司法局"]
    assert _classes_of_june()["开发区及园区"] == ["开发区管委会"]

    # Back to the kind's class: the explicit assignment disappears.
    client.post(URL + "assign/", {"unit": kaifaqu.pk, "unit_class": ""})
    assert not UnitClassMembership.objects.filter(unit=kaifaqu).exists()
    assert _classes_of_june()["区直单位"] == ["开发区管委会", "区司法局"]

    actions = list(AuditEvent.objects.filter(actor=chief).values_list("action", flat=True))
    assert actions.count("scores.class_assigned") == 2 and "scores.class_created" in actions
    assert action_label("scores.class_assigned") == "调整单位考核分类"


def test_a_duplicate_or_empty_class_name_is_refused_in_chinese(
    login: Login, chief: User, offices: None
) -> None:
    client = login(chief)
    before = UnitClass.objects.count()
    response = client.post(URL + "new/", {"name": "区直单位", "order": "10"}, follow=True)
    assert "分类「区直单位」已存在" in response.content.decode()
    response = client.post(URL + "new/", {"name": "", "order": "10"}, follow=True)
    assert "分类名称：这个字段是必填项" in response.content.decode()
    assert UnitClass.objects.count() == before


def test_editors_and_leaders_see_the_classes_but_only_chiefs_change_them(
    login: Login, editor: User, leader: User, reporter_a: User, offices: None
) -> None:
    page = login(editor).get(URL).content.decode()
    assert "开发区管委会" in page and "调整单位分类" not in page
    assert login(leader).get(URL).status_code == 200
    cls = UnitClass.objects.get(name="区直单位")
    assert login(editor).post(URL + "new/", {"name": "新分类", "order": "1"}).status_code == 403
    target = Unit.objects.get(name="区司法局")
    refused = login(editor).post(URL + "assign/", {"unit": target.pk, "unit_class": cls.pk})
    assert refused.status_code == 403
    assert login(reporter_a).get(URL).status_code == 403
    assert not UnitClassMembership.objects.exists()
