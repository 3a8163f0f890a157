"""The password policy on every path that sets a password, history, expiry, first-login change,
and Argon2 hashing with PBKDF2 hashes upgraded at the next login."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import AuditEvent, PasswordHistory, Role, User
from jianbao.accounts.services import do_create_user
from jianbao.accounts.tests.factories import UserFactory
from jianbao.cli import main
from jianbao.conftest import PASSWORD

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def change(client: Client, old: str, new: str) -> Any:
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("12345678", "至少 3 类"),
        ("Ab1-x", "至少 8 个字符"),
        ("abcdefgh", "至少 3 类"),
        ("reporter_a-2024", "不能是用户名"),
        ("Reporter_A1", "不能是用户名"),
    ],
)
def test_change_page_enforces_the_policy(
    login: Login, reporter_a: User, password: str, message: str
) -> None:
    response = change(login(reporter_a), PASSWORD, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    reporter_a.refresh_from_db()
    assert reporter_a.check_password(PASSWORD)


def test_last_five_passwords_cannot_be_chosen_again(login: Login, reporter_a: User) -> None:
    client = login(reporter_a)
    current = PASSWORD
    for n in range(1, 6):
        new = f"Neu-Passwort-{n}"
        assert change(client, current, new).status_code == 302
        current = new
    reused = change(client, current, "Neu-Passwort-2")
    assert "最近 5 次" in reused.content.decode()
    assert PasswordHistory.objects.filter(user=reporter_a).count() == 5
    # The first password (six changes ago) is out of the window again.
    assert change(client, current, PASSWORD).status_code == 302


def test_createuser_refuses_a_weak_password_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["createuser", "li", "--roles", "editor,chief", "--password", "12345678"])
    assert status == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "至少 3 类" in err[0]
    assert not User.objects.filter(username="li").exists()


def test_createuser_account_changes_its_password_at_first_login(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["createuser", "wang", "--roles", "editor", "--password", "Chushi-mima-1"]) == 0
    client = Client()
    client.post(reverse("accounts:login"), {"username": "wang", "password": "Chushi-mima-1"})
    response = client.get(reverse("submissions:inbox"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    page = client.get(reverse("accounts:password_change"))
    assert "首次登录" in page.content.decode()
    assert change(client, "Chushi-mima-1", "Xin-mima-2025").status_code == 302
    assert client.get(reverse("submissions:inbox")).status_code == 200
    assert User.objects.get(username="wang").must_change_password is False


def test_an_expired_password_must_be_changed(login: Login, reporter_a: User, settings: Any) -> None:
    settings.JIANBAO_PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=reporter_a.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    client = login(reporter_a)
    assert client.get(reverse("submissions:unit_list"))["Location"] == reverse(
        "accounts:password_change"
    )
    assert "超过 90 天" in client.get(reverse("accounts:password_change")).content.decode()
    settings.JIANBAO_PASSWORD_MAX_AGE_DAYS = 0  # 0 = passwords never expire
    assert client.get(reverse("submissions:unit_list")).status_code == 200


def test_admin_add_form_enforces_the_policy_and_forces_a_change(login: Login) -> None:
    admin = UserFactory(username="root", roles=[Role.ADMIN])
    client = login(admin)
    weak = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "zhao",
            "usable_password": "true",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert weak.status_code == 200 and "至少 3 类" in weak.content.decode()
    assert not User.objects.filter(username="zhao").exists()
    ok = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "zhao",
            "usable_password": "true",
            "password1": "Chushi-mima-1",
            "password2": "Chushi-mima-1",
        },
    )
    assert ok.status_code == 302
    assert User.objects.get(username="zhao").must_change_password is True


def test_admin_password_reset_goes_through_the_service(login: Login, reporter_a: User) -> None:
    admin = UserFactory(username="root", roles=[Role.ADMIN])
    client = login(admin)
    url = f"/admin/accounts/user/{reporter_a.pk}/password/"
    weak = client.post(url, {"password1": "abcdefgh", "password2": "abcdefgh"})
    assert weak.status_code == 200 and "至少 3 类" in weak.content.decode()
    done = client.post(url, {"password1": "Chongshe-mima-9", "password2": "Chongshe-mima-9"})
    assert done.status_code == 302
    reporter_a.refresh_from_db()
    assert reporter_a.check_password("Chongshe-mima-9") and reporter_a.must_change_password
    event = AuditEvent.objects.get(action="auth.password_reset")
    assert event.actor == admin and event.object_id == str(reporter_a.pk)


def test_service_refuses_a_weak_password() -> None:
    with pytest.raises(ValidationError):
        do_create_user(username="weak", password="password")


def test_passwords_are_hashed_with_argon2_and_old_hashes_upgrade(settings: Any) -> None:
    settings.PASSWORD_HASHERS = [
        "jianbao.accounts.hashers.JianbaoArgon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    fresh = UserFactory(username="fresh")
    assert fresh.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    legacy = UserFactory(username="legacy")
    User.objects.filter(pk=legacy.pk).update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    client = Client()
    client.post(reverse("accounts:login"), {"username": "legacy", "password": PASSWORD})
    legacy.refresh_from_db()
    assert legacy.password.startswith("argon2")
    assert legacy.password_changed_at is not None
