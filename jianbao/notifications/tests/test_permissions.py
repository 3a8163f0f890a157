"""Access matrix of the notification pages: anonymous to login, outsiders refused, nobody
touches another person's notifications (404), webhooks and retries are for admins only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import Role, User
from jianbao.accounts.tests.factories import UserFactory
from jianbao.notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    Notification,
    NotificationKind,
    OfficeWebhook,
)
from jianbao.notifications.services import do_notify

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(username="admin", display_name="管理员", roles=[Role.ADMIN])


@pytest.fixture
def notice(reporter_a: User) -> Notification:
    (made,) = do_notify(
        recipients=[reporter_a],
        kind=NotificationKind.SUBMISSION_ADOPTED,
        title="您的信息已被采用",
        url="/submissions/1/",
    )
    return made


@pytest.fixture
def webhook(db: None) -> OfficeWebhook:
    now = timezone.now()
    return OfficeWebhook.objects.create(
        name="群", url="http://127.0.0.1:9/", flavour="wecom", created_at=now, updated_at=now
    )


@pytest.fixture
def failed(notice: Notification, webhook: OfficeWebhook) -> Delivery:
    now = timezone.now()
    return Delivery.objects.create(
        notification=notice,
        channel=Channel.WEBHOOK,
        webhook=webhook,
        state=DeliveryState.FAILED,
        next_attempt_at=now,
        created_at=now,
    )


def own_urls(notice: Notification) -> list[tuple[str, str]]:
    return [
        ("get", reverse("notifications:list")),
        ("get", reverse("notifications:list") + "?show=all"),
        ("get", reverse("notifications:settings")),
        ("post", reverse("notifications:open", args=[notice.pk])),
        ("post", reverse("notifications:read", args=[notice.pk])),
        ("post", reverse("notifications:read_all")),
    ]


def admin_urls(webhook: OfficeWebhook, failed: Delivery) -> list[tuple[str, str]]:
    return [
        ("get", reverse("notifications:webhooks")),
        ("post", reverse("notifications:webhooks")),
        ("get", reverse("notifications:webhook_edit", args=[webhook.pk])),
        ("post", reverse("notifications:webhook_edit", args=[webhook.pk])),
        ("post", reverse("notifications:webhook_delete", args=[webhook.pk])),
        ("post", reverse("notifications:retry", args=[failed.pk])),
    ]


def test_anonymous_is_sent_to_login_everywhere(
    client: Client, notice: Notification, webhook: OfficeWebhook, failed: Delivery
) -> None:
    for method, url in [*own_urls(notice), *admin_urls(webhook, failed)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]
    notice.refresh_from_db()
    assert notice.read_at is None


def test_nobody_reads_or_marks_another_persons_notification(
    login: Login, notice: Notification, reporter_b: User, outsider: User
) -> None:
    for user in (reporter_b, outsider):
        client = login(user)
        for name in ("notifications:open", "notifications:read"):
            assert client.post(reverse(name, args=[notice.pk])).status_code == 404
        assert "您的信息已被采用" not in client.get(reverse("notifications:list")).content.decode()
        client.post(reverse("notifications:read_all"))
    notice.refresh_from_db()
    assert notice.read_at is None


def test_outsider_and_office_are_refused_the_admin_pages(  # noqa: PLR0917
    login: Login,
    outsider: User,
    editor: User,
    chief: User,
    webhook: OfficeWebhook,
    failed: Delivery,
) -> None:
    for user in (outsider, editor, chief):
        client = login(user)
        for method, url in admin_urls(webhook, failed):
            assert getattr(client, method)(url).status_code == 403, (user, url)
    assert OfficeWebhook.objects.filter(pk=webhook.pk).exists()
    failed.refresh_from_db()
    assert failed.state == DeliveryState.FAILED


def test_admin_manages_webhooks_and_retries(
    login: Login, admin: User, webhook: OfficeWebhook, failed: Delivery
) -> None:
    client = login(admin)
    assert "群机器人设置" in client.get(reverse("notifications:webhooks")).content.decode()
    response = client.post(
        reverse("notifications:webhooks"),
        {"name": "信息员群", "url": "ftp://x", "flavour": "dingtalk", "kinds": ["issue_published"]},
    )
    assert "http:// 或 https://" in response.content.decode()
    client.post(
        reverse("notifications:webhooks"),
        {
            "name": "信息员群",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=x",
            "flavour": "dingtalk",
            "enabled": "on",
            "kinds": ["issue_published", "submission_returned"],
        },
    )
    added = OfficeWebhook.objects.get(name="信息员群")
    assert added.enabled and added.kinds == ["issue_published", "submission_returned"]
    client.post(reverse("notifications:retry", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.state == DeliveryState.PENDING and failed.attempts == 0
    client.post(reverse("notifications:webhook_delete", args=[added.pk]))
    assert not OfficeWebhook.objects.filter(pk=added.pk).exists()
