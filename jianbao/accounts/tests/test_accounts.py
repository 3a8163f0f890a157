"""Sign-in, role-aware home, API tokens, the audit trail and the Django admin."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, Role, User
from jianbao.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_login_with_wrong_password_says_so_in_chinese_and_is_audited(
    client: Client, reporter_a: User
) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "reporter_a", "password": "nope"}
    )
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="auth.login_failed", detail__username="reporter_a"
    ).exists()


def test_login_sends_each_role_to_its_page(client: Client, reporter_a: User, editor: User) -> None:
    response = client.post(
        reverse("accounts:login"),
        {"username": "editor", "password": "test-password-123"},
        follow=True,
    )
    # Every role lands on the 工作台 (jianbao/workbench), with the panels of its roles.
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "新收稿件" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login", actor=editor).exists()
    other = Client()
    other.post(
        reverse("accounts:login"), {"username": "reporter_a", "password": "test-password-123"}
    )
    assert "退回修改" in other.get(reverse("home")).content.decode()


def test_leader_lands_on_the_published_issues(login: Login, leader: User) -> None:
    response = login(leader).get(reverse("home"))
    assert response.status_code == 200
    assert "新印发的简报" in response.content.decode()


def test_outsider_home_explains_there_is_nothing_to_do(login: Login, outsider: User) -> None:
    page = login(outsider).get(reverse("home"))
    assert page.status_code == 200
    assert "暂未分配" in page.content.decode()


def test_denials_are_audited_and_shown_in_chinese(login: Login, outsider: User) -> None:
    response = login(outsider).get(reverse("submissions:inbox"))
    assert response.status_code == 403
    assert "只有信息科编辑可以查看收稿箱" in response.content.decode()
    event = AuditEvent.objects.get(action="access.denied")
    assert event.actor == outsider
    assert event.detail["path"] == reverse("submissions:inbox")


def test_token_is_shown_once_and_works(login: Login, reporter_a: User) -> None:
    client = login(reporter_a)
    page = client.post(reverse("accounts:tokens"), {"name": "OA 对接", "days": 30})
    html = page.content.decode()
    key = html.split('id="token-secret"', 1)[1].split("<code>", 1)[1].split("</code>", 1)[0]
    assert key.startswith("jb_")
    assert key not in client.get(reverse("accounts:tokens")).content.decode()  # shown once
    assert reporter_a.api_tokens.get().key_hash != key  # only the hash is stored
    api = Client().get("/api/v1/submissions", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200


def test_django_admin_manages_units_and_users(login: Login, unit_a: object) -> None:
    admin = UserFactory(username="root", roles=[Role.ADMIN])
    client = login(admin)
    assert client.get("/admin/accounts/unit/").status_code == 200
    assert "区委宣传部" in client.get("/admin/accounts/unit/").content.decode()
    assert client.get("/admin/accounts/user/").status_code == 200
    response = client.post(
        "/admin/accounts/unit/add/",
        {
            "name": "区信访局",
            "short_name": "",
            "kind": "office",
            "order": 5,
            "active": "on",
            "aliases-TOTAL_FORMS": 1,
            "aliases-INITIAL_FORMS": 0,
            "aliases-0-name": "上街区信访局",
        },
    )
    assert response.status_code == 302


def test_django_admin_refuses_everyone_else(login: Login, editor: User, outsider: User) -> None:
    for user in (editor, outsider):
        response = login(user).get("/admin/accounts/unit/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_user_changes_own_password(client: Client, reporter_a: User) -> None:
    client.force_login(reporter_a)
    page = client.get(reverse("accounts:password_change"))
    assert "修改密码" in page.content.decode()
    wrong = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "nope",
            "new_password1": "Xin-mima-2024",
            "new_password2": "Xin-mima-2024",
        },
    )
    assert "旧密码" in wrong.content.decode()
    done = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "test-password-123",
            "new_password1": "Xin-mima-2024",
            "new_password2": "Xin-mima-2024",
        },
        follow=True,
    )
    assert "密码已修改" in done.content.decode()
    reporter_a.refresh_from_db()
    assert reporter_a.check_password("Xin-mima-2024")
    anonymous = Client().get(reverse("accounts:password_change"))
    assert anonymous.status_code == 302
