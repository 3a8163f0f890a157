"""Who may see what: other units get 404, leaders see nothing unpublished, outsiders nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def item_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("submissions:detail", args=[pk])),
        ("get", reverse("submissions:compare", args=[pk]) + "?a=1&b=1"),
        ("post", reverse("submissions:edit", args=[pk])),
        ("post", reverse("submissions:transition", args=[pk])),
        ("get", f"/api/v1/submissions/{pk}"),
        ("get", f"/api/v1/submissions/{pk}/revisions"),
        ("get", f"/api/v1/submissions/{pk}/history"),
    ]


def test_another_units_item_is_404_on_pages_and_api(
    login: Login, reporter_a: User, reporter_b: User
) -> None:
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    client = login(reporter_b)
    for method, url in item_urls(item.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
    assert login(reporter_a).get(reverse("submissions:detail", args=[item.pk])).status_code == 200


def test_leader_sees_nothing_unpublished(
    login: Login, reporter_a: User, editor: User, leader: User
) -> None:
    item = make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)
    client = login(leader)
    assert client.get(reverse("submissions:detail", args=[item.pk])).status_code == 404
    assert client.get("/api/v1/submissions").json()["count"] == 0
    assert client.get(reverse("submissions:inbox")).status_code == 403


def test_editor_does_not_see_unit_drafts(login: Login, reporter_a: User, editor: User) -> None:
    draft = make_submission(author=reporter_a)
    assert login(editor).get(reverse("submissions:detail", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize(
    "url",
    ["submissions:unit_list", "submissions:inbox", "submissions:create", "accounts:audit"],
)
def test_outsider_is_refused_every_page(login: Login, outsider: User, url: str) -> None:
    assert login(outsider).get(reverse(url)).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "home",
        "submissions:unit_list",
        "submissions:inbox",
        "submissions:create",
        "accounts:tokens",
        "accounts:audit",
    ],
)
def test_anonymous_is_sent_to_login(client: Client, url: str) -> None:
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_outsider_and_anonymous_cannot_reach_items(
    client: Client, login: Login, reporter_a: User, editor: User, outsider: User
) -> None:
    item = make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)
    attachment_urls = [
        ("get", reverse("submissions:attachment", args=[item.pk, 1])),
        ("post", reverse("submissions:remove_attachment", args=[item.pk, 1])),
    ]
    for method, url in [*item_urls(item.pk), *attachment_urls]:
        assert getattr(login(outsider), method)(url).status_code == 404, url
        anonymous = getattr(client, method)(url).status_code
        assert anonymous in {302, 401}, url


def test_api_refuses_anonymous_and_outsider_writes(
    client: Client, login: Login, outsider: User
) -> None:
    assert client.get("/api/v1/submissions").status_code == 401
    response = login(outsider).post(
        "/api/v1/submissions", {"title": "标题", "body": "正文"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "信息员" in response.json()["detail"]


def test_audit_page_is_for_auditors(login: Login, auditor: User, editor: User) -> None:
    assert login(auditor).get(reverse("accounts:audit")).status_code == 200
    assert login(editor).get(reverse("accounts:audit")).status_code == 403
