"""Who may reach commissions: outsiders and anonymous are refused, other units get 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.commissions.tests.factories import make_commission

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

LIST_URLS = ["commissions:list", "commissions:create", "commissions:export"]


def item_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("commissions:detail", args=[pk])),
        ("post", reverse("commissions:link", args=[pk])),
        ("get", reverse("commissions:answer_new", args=[pk])),
        ("post", reverse("commissions:answer_new", args=[pk])),
        ("post", reverse("commissions:decline", args=[pk])),
        ("post", reverse("commissions:close", args=[pk])),
        ("post", reverse("commissions:remind", args=[pk])),
        ("get", f"/api/v1/commissions/{pk}"),
        ("post", f"/api/v1/commissions/{pk}/answer"),
    ]


@pytest.mark.parametrize("url", LIST_URLS)
def test_outsider_is_refused_every_page(login: Login, outsider: User, url: str) -> None:
    assert login(outsider).get(reverse(url)).status_code == 403


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_is_sent_to_login(client: Client, url: str) -> None:
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("url", ["commissions:create", "commissions:export"])
def test_units_cannot_publish_or_export(login: Login, reporter_a: User, url: str) -> None:
    assert login(reporter_a).get(reverse(url)).status_code == 403


def test_outsider_and_anonymous_cannot_reach_a_commission(
    client: Client, login: Login, editor: User, reporter_a: User, outsider: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    for method, url in item_urls(commission.pk):
        kwargs = {"content_type": "application/json"} if url.startswith("/api/") else {}
        assert getattr(login(outsider), method)(url, **kwargs).status_code in {403, 404}, url
        assert getattr(client, method)(url, **kwargs).status_code in {302, 401}, url


def test_another_unit_gets_404_everywhere(
    login: Login, editor: User, reporter_a: User, reporter_b: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    other = login(reporter_b)
    for method, url in item_urls(commission.pk):
        kwargs = {"content_type": "application/json"} if url.startswith("/api/") else {}
        if "close" in url or "remind" in url:
            assert getattr(other, method)(url, **kwargs).status_code == 403, url
            continue
        assert getattr(other, method)(url, **kwargs).status_code == 404, url
    assert other.get("/api/v1/commissions").json()["count"] == 0
    assert commission.title not in other.get(reverse("commissions:list")).content.decode()
    assert (
        login(reporter_a).get(reverse("commissions:detail", args=[commission.pk])).status_code
        == 200
    )


def test_units_cannot_close_or_remind(login: Login, editor: User, reporter_a: User) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    client = login(reporter_a)
    for name in ["commissions:close", "commissions:remind"]:
        assert client.post(reverse(name, args=[commission.pk])).status_code == 403
    response = client.post(
        "/api/v1/commissions",
        {"title": "主题", "working_days": 3, "unit_ids": [reporter_a.unit_id]},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_api_refuses_anonymous_and_outsider(client: Client, login: Login, outsider: User) -> None:
    assert client.get("/api/v1/commissions").status_code == 401
    assert login(outsider).get("/api/v1/commissions").json()["count"] == 0
