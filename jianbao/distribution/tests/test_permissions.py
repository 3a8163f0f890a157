"""Who reaches distribution: outsiders and anonymous are refused; a recipient sees only what was
delivered to them; only the office sees the receipt ledger."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, Series
from jianbao.distribution import services
from jianbao.distribution.models import Line
from jianbao.distribution.tests.conftest import Publish

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def delivered(
    editor: User, series: Series, leaders: list[User], immediate_tasks: None, publish: Publish
) -> Issue:
    group = services.do_save_group(actor=editor, name="区县处级领导", members=leaders[:2])
    services.do_add_series_recipient(
        actor=editor, series=series, line=Line.SEND, kind="group", group=group
    )
    return publish()


def _urls(issue: Issue, series: Series) -> list[tuple[str, str]]:
    return [
        ("get", reverse("distribution:inbox")),
        ("get", reverse("distribution:distributed")),
        ("get", reverse("distribution:ledger", args=[issue.pk])),
        ("post", reverse("distribution:acknowledge", args=[issue.pk])),
        ("post", reverse("distribution:remind", args=[issue.pk])),
        ("get", reverse("distribution:export", args=[issue.pk])),
        ("get", reverse("distribution:groups")),
        ("get", reverse("distribution:group_create")),
        ("get", reverse("distribution:series", args=[series.pk])),
    ]


def test_anonymous_and_outsider_are_refused(
    client: Client, login: Login, outsider: User, delivered: Issue, series: Series
) -> None:
    other = login(outsider)
    for method, url in _urls(delivered, series):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
        assert getattr(other, method)(url).status_code in {403, 404}, url


def test_only_the_office_sees_the_ledger(  # noqa: PLR0917
    login: Login, delivered: Issue, leaders: list[User], reporter_a: User,
    auditor: User, chief: User,
) -> None:  # fmt: skip
    for user in [leaders[0], reporter_a, auditor]:
        client = login(user)
        for name in ["distribution:ledger", "distribution:export"]:
            assert client.get(reverse(name, args=[delivered.pk])).status_code == 403, user
        assert client.post(reverse("distribution:remind", args=[delivered.pk])).status_code == 403
    assert login(chief).get(reverse("distribution:ledger", args=[delivered.pk])).status_code == 200


def test_a_recipient_sees_only_issues_delivered_to_them(
    login: Login, delivered: Issue, leaders: list[User], leader: User
) -> None:
    mine = login(leaders[0]).get(reverse("distribution:inbox")).content.decode()
    assert f"/issues/{delivered.pk}/read/" in mine
    # 张书记 (`leader`) may read published issues, but this one was not sent to him.
    theirs = login(leader).get(reverse("distribution:inbox")).content.decode()
    assert f"/issues/{delivered.pk}/read/" not in theirs and "还没有分发给您的简报" in theirs
    refused = login(leader).post(
        reverse("distribution:acknowledge", args=[delivered.pk]), follow=True
    )
    assert "没有分发给您" in refused.content.decode()


def test_units_cannot_keep_lists_or_groups(
    login: Login, reporter_a: User, leaders: list[User], series: Series
) -> None:
    client = login(reporter_a)
    assert client.get(reverse("distribution:groups")).status_code == 403
    response = client.post(
        reverse("distribution:series", args=[series.pk]),
        {"line": "send", "kind": "user", "user": leaders[0].pk},
    )
    assert response.status_code == 403
