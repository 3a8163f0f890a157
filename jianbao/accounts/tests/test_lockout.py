"""Login lockout (django-axes): per account and address, per address across accounts, the
Chinese message that does not reveal whether an account exists, expiry and unlocking."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import AuditEvent, Role, User
from jianbao.accounts.tests.factories import UserFactory
from jianbao.cli import main
from jianbao.conftest import PASSWORD

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
LOCKED = "登录已被暂时锁定"


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_five_failures_lock_the_account_even_for_the_right_password(reporter_a: User) -> None:
    client = Client()
    for _ in range(4):
        response = attempt(client, "reporter_a", "wrong-Password-1")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    fifth = attempt(client, "reporter_a", "wrong-Password-1")
    assert fifth.status_code == 429 and LOCKED in fifth.content.decode()
    right = attempt(client, "reporter_a", PASSWORD)
    assert right.status_code == 429 and LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 5
    lockout = AuditEvent.objects.filter(action="auth.lockout").first()
    assert lockout is not None and lockout.outcome == "failure"
    assert lockout.detail["username"] == "reporter_a"
    # Another address may still sign in to the same account.
    assert attempt(Client(), "reporter_a", PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_message_is_the_same_for_an_account_that_does_not_exist(reporter_a: User) -> None:
    pages: list[Any] = []
    for username in ("reporter_a", "nobody"):
        client = Client()
        for _ in range(5):
            response = attempt(client, username, "wrong-Password-1", ip=f"10.1.0.{len(pages)}")
        pages.append(response)
    assert [p.status_code for p in pages] == [429, 429]
    texts = [p.content.decode().replace("nobody", "reporter_a") for p in pages]
    messages = [t.split('id="login-locked"')[1].split("</ul>")[0] for t in texts]
    assert messages[0] == messages[1] and LOCKED in messages[0]
    assert all("不存在" not in t for t in texts)


def test_an_address_trying_many_accounts_is_locked(settings: Any, reporter_a: User) -> None:
    settings.JIANBAO_LOGIN_IP_FAILURE_LIMIT = 8
    client = Client()
    for n in range(7):  # one or two tries per name: no account reaches its own limit
        assert attempt(client, f"user{n}", "wrong-Password-1", ip="10.9.9.9").status_code == 200
    assert attempt(client, "user7", "wrong-Password-1", ip="10.9.9.9").status_code == 429
    assert attempt(client, "reporter_a", PASSWORD, ip="10.9.9.9").status_code == 429
    assert attempt(Client(), "reporter_a", PASSWORD, ip="10.9.9.10").status_code == 302


def test_a_lockout_ends_after_the_configured_minutes(reporter_a: User) -> None:
    client = Client()
    for _ in range(5):
        attempt(client, "reporter_a", "wrong-Password-1")
    assert attempt(client, "reporter_a", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "reporter_a", PASSWORD).status_code == 302


def test_admin_unlocks_on_the_lockouts_page(login: Login, reporter_a: User) -> None:
    for _ in range(5):
        attempt(Client(), "reporter_a", "wrong-Password-1")
    admin = UserFactory(username="root", roles=[Role.ADMIN])
    client = login(admin)
    page = client.get(reverse("accounts:lockouts"))
    assert "reporter_a" in page.content.decode() and "10.0.0.1" in page.content.decode()
    done = client.post(
        reverse("accounts:lockouts"), {"username": "reporter_a", "ip_address": "10.0.0.1"}
    )
    assert done.status_code == 302
    assert attempt(Client(), "reporter_a", PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.actor == admin and event.detail["username"] == "reporter_a"


def test_only_admins_see_the_lockouts_page(login: Login, editor: User, auditor: User) -> None:
    for user in (editor, auditor):
        assert login(user).get(reverse("accounts:lockouts")).status_code == 403
    assert Client().get(reverse("accounts:lockouts")).status_code == 302


def test_unlock_on_the_command_line(capsys: pytest.CaptureFixture[str], reporter_a: User) -> None:
    for _ in range(5):
        attempt(Client(), "reporter_a", "wrong-Password-1")
    assert main(["unlock", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["username"] == "reporter_a" and listed[0]["failures"] == 5
    assert main(["unlock", "reporter_a"]) == 0
    assert "1 failure record" in capsys.readouterr().out
    assert attempt(Client(), "reporter_a", PASSWORD).status_code == 302
    assert main(["unlock"]) == 1
    assert capsys.readouterr().err.strip().count("\n") == 0
