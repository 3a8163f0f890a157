"""API tokens: expiry, read-only scope, revocation by the owner and by an admin, the secret shown
once and never in a cookie, last use shown; and the API docs for signed-in users only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import ApiToken, AuditEvent, Role, User
from jianbao.accounts.services import do_issue_api_token
from jianbao.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def api(key: str, method: str = "get", path: str = "/api/v1/submissions", **kw: Any) -> Any:
    return getattr(Client(), method)(path, headers={"Authorization": f"Bearer {key}"}, **kw)


def test_new_token_secret_is_in_the_answer_only_never_in_a_cookie(
    login: Login, reporter_a: User
) -> None:
    client = login(reporter_a)
    response = client.post(
        reverse("accounts:tokens"), {"name": "OA 对接", "days": 30, "read_only": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    key = html.split('id="token-secret"', 1)[1].split("<code>", 1)[1].split("</code>", 1)[0]
    assert key.startswith("jb_")
    assert "no-store" in response["Cache-Control"]
    for morsel in response.cookies.values():
        assert key not in morsel.value and key[3:20] not in morsel.value
    assert "messages" not in response.cookies
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert key not in again and "只读" in again
    token = ApiToken.objects.get()
    assert token.read_only and (token.expires_at - timezone.now()).days in (29, 30)


def test_default_expiry_and_its_upper_bound(reporter_a: User, settings: Any) -> None:
    settings.JIANBAO_TOKEN_DAYS = 90
    token, _key = do_issue_api_token(user=reporter_a, name="OA")
    assert 89 <= (token.expires_at - timezone.now()).days <= 90
    with pytest.raises(ValidationError):
        do_issue_api_token(user=reporter_a, name="OA", days=91)


def test_an_expired_token_is_refused(reporter_a: User) -> None:
    token, key = do_issue_api_token(user=reporter_a, name="OA", days=1)
    assert api(key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api(key).status_code == 401


def test_a_read_only_token_may_read_but_not_write(reporter_a: User) -> None:
    _token, key = do_issue_api_token(user=reporter_a, name="看板", read_only=True)
    assert api(key).status_code == 200
    refused = api(
        key,
        "post",
        data={"title": "标题", "body": "正文", "kind": "item"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and "只读" in refused.json()["detail"]


def test_owner_and_admin_revoke_others_may_not(
    login: Login, reporter_a: User, reporter_b: User
) -> None:
    token, key = do_issue_api_token(user=reporter_a, name="OA")
    url = reverse("accounts:revoke_token", args=[token.pk])
    assert login(reporter_b).post(url).status_code == 404
    assert login(reporter_a).post(url).status_code == 302
    assert api(key).status_code == 401
    other, other_key = do_issue_api_token(user=reporter_a, name="报表")
    admin = UserFactory(username="root", roles=[Role.ADMIN])
    changelist = login(admin).post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [other.pk]},
    )
    assert changelist.status_code == 302
    assert api(other_key).status_code == 401
    events = AuditEvent.objects.filter(action="token.revoke")
    assert {e.actor for e in events} == {reporter_a, admin}


def test_last_use_is_shown_and_audited(login: Login, reporter_a: User) -> None:
    _token, key = do_issue_api_token(user=reporter_a, name="OA")
    api(key)
    api(key)  # within the bookkeeping window: no second event
    assert AuditEvent.objects.filter(action="token.use").count() == 1
    page = login(reporter_a).get(reverse("accounts:tokens")).content.decode()
    assert f"{timezone.localtime():%Y-%m-%d}" in page.split("<td>OA</td>", 1)[1]


def test_api_docs_are_for_signed_in_users_and_load_no_cdn(login: Login, reporter_a: User) -> None:
    for path in ("/api/v1/docs", "/api/v1/openapi.json"):
        anonymous = Client().get(path)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    page = login(reporter_a).get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui-bundle-5.35.0.min.js" in html
    assert "/static/js/api-docs.js" in html
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    assert "<script>" not in html  # no inline script
