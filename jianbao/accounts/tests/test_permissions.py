"""Who may use the sign-in security pages: anonymous users are sent to the login page (or get 401
from the keep-alive), an outsider reaches only their own account's pages, admin-only pages refuse
everyone else, and nobody reaches another user's token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.accounts.services import do_issue_api_token

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

# (method, url name) of the identity pages; each is about the signed-in user's own account.
OWN_ACCOUNT = [
    ("get", "accounts:password_change"),
    ("get", "accounts:security"),
    ("get", "accounts:tokens"),
    ("post", "accounts:recovery_codes"),
    ("post", "accounts:otp_disable"),
    ("get", "accounts:otp_setup"),
]


@pytest.mark.parametrize(("method", "name"), OWN_ACCOUNT)
def test_anonymous_is_sent_to_the_login_page(method: str, name: str) -> None:
    response = getattr(Client(), method)(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_elsewhere() -> None:
    assert Client().post(reverse("accounts:keepalive")).status_code == 401
    assert Client().get(reverse("accounts:lockouts")).status_code == 302
    assert Client().get(reverse("accounts:otp_verify")).status_code == 302
    assert Client().get("/api/v1/docs").status_code == 302
    assert Client().post(reverse("accounts:revoke_token", args=[1])).status_code == 302
    assert Client().get(reverse("accounts:login")).status_code == 200


@pytest.mark.parametrize(("method", "name"), OWN_ACCOUNT)
def test_an_outsider_only_reaches_their_own_account(
    login: Login, outsider: User, method: str, name: str
) -> None:
    response = getattr(login(outsider), method)(reverse(name))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse("accounts:login"))


def test_admin_pages_refuse_everyone_but_the_admin(
    login: Login, outsider: User, editor: User, chief: User, auditor: User
) -> None:
    for user in (outsider, editor, chief, auditor):
        assert login(user).get(reverse("accounts:lockouts")).status_code == 403
        assert login(user).post(reverse("accounts:lockouts"), {"username": "x"}).status_code == 403


def test_nobody_revokes_another_users_token(
    login: Login, reporter_a: User, outsider: User, editor: User, auditor: User
) -> None:
    token, _key = do_issue_api_token(user=reporter_a, name="OA")
    url = reverse("accounts:revoke_token", args=[token.pk])
    for user in (outsider, editor, auditor):
        assert login(user).post(url).status_code == 404
    token.refresh_from_db()
    assert not token.revoked
