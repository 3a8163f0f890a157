"""The bell, the list, mark read, and the per-person settings, through HTTP."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, User
from jianbao.notifications.models import Notification, NotificationKind, NotificationPreference
from jianbao.notifications.services import do_notify

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def notify(user: User, title: str, url: str = "/submissions/") -> Notification:
    (made,) = do_notify(
        recipients=[user], kind=NotificationKind.SUBMISSION_RETURNED, title=title, url=url
    )
    return made


def test_bell_counts_unread_and_opening_marks_read(login: Login, reporter_a: User) -> None:
    first = notify(reporter_a, "信息「甲」被退回修改", url="/submissions/?state=returned")
    notify(reporter_a, "信息「乙」被退回修改")
    client = login(reporter_a)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "信息「甲」被退回修改" in page and "未读（2）" in page
    assert '<span class="count hot">2</span><span class="visually-hidden"> 条未读</span>' in page
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response["Location"] == "/submissions/?state=returned"
    first.refresh_from_db()
    assert first.read_at is not None
    assert AuditEvent.objects.filter(action="notification.read", actor=reporter_a).exists()
    assert "未读（1）" in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert Notification.objects.filter(recipient=reporter_a, read_at__isnull=True).count() == 0
    everything = client.get(reverse("notifications:list") + "?show=all").content.decode()
    assert "信息「乙」被退回修改" in everything


def test_an_outside_link_is_never_followed(login: Login, reporter_a: User) -> None:
    made = notify(reporter_a, "x", url="https://evil.example.com/")
    response = login(reporter_a).post(reverse("notifications:open", args=[made.pk]))
    assert response["Location"] == "/notifications/"


def test_bell_shows_99_plus(login: Login, reporter_a: User) -> None:
    do_notify(recipients=[reporter_a], kind=NotificationKind.ISSUE_PUBLISHED, title="x")
    Notification.objects.bulk_create(
        Notification(
            recipient=reporter_a, kind="issue_published", title="x", created_at=n.created_at
        )
        for n in Notification.objects.filter(recipient=reporter_a)
        for _ in range(120)
    )
    page = login(reporter_a).get(reverse("notifications:list")).content.decode()
    assert ">99+<" in page


def test_settings_save_kinds_and_quiet_hours(
    login: Login, reporter_a: User, settings: object
) -> None:
    client = login(reporter_a)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "未配置邮件服务器" in page
    response = client.post(
        reverse("notifications:settings"),
        {
            "inapp_kinds": ["submission_returned", "submission_adopted"],
            "quiet_start": "22:00",
            "quiet_end": "07:00",
        },
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=reporter_a)
    assert "issue_published" in preference.muted_kinds
    assert "submission_returned" not in preference.muted_kinds
    assert str(preference.quiet_start) == "22:00:00"
    bad = client.post(reverse("notifications:settings"), {"quiet_start": "22:00"})
    assert "须同时填写开始和结束时间" in bad.content.decode()
