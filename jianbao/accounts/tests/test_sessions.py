"""Session limits enforced on the server (idle and absolute, set by moving the session's own
timestamps back, not by sleeping), the keep-alive, and other sessions ended on logout and on a
password change."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import ApiToken, AuditEvent, User, UserSession
from jianbao.accounts.services import do_issue_api_token
from jianbao.accounts.session_policy import LOGIN_AT, SEEN_AT
from jianbao.conftest import PASSWORD

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def signed_in(username: str, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("submissions:unit_list")).status_code == 200  # session tracked
    return client


def age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    now = time.time()
    if "seen" in seconds_ago:
        session[SEEN_AT] = now - seconds_ago["seen"]
    if "login" in seconds_ago:
        session[LOGIN_AT] = now - seconds_ago["login"]
    session.save()


def test_idle_session_ends_after_the_configured_minutes(reporter_a: User, settings: Any) -> None:
    settings.JIANBAO_SESSION_IDLE_MINUTES = 30
    client = signed_in("reporter_a")
    age_session(client, seen=29 * 60)
    assert client.get(reverse("submissions:unit_list")).status_code == 200
    age_session(client, seen=31 * 60)
    response = client.get(reverse("submissions:unit_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"])
    assert "登录已超时" in login_page.content.decode()
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert event.actor == reporter_a and event.detail["reason"] == "空闲超时"


def test_session_ends_after_the_absolute_limit_despite_activity(
    reporter_a: User, settings: Any
) -> None:
    settings.JIANBAO_SESSION_MAX_HOURS = 12
    client = signed_in("reporter_a")
    age_session(client, login=11.9 * 3600, seen=10)
    assert client.get(reverse("submissions:unit_list")).status_code == 200
    age_session(client, login=12.1 * 3600, seen=10)
    assert client.get(reverse("submissions:unit_list")).status_code == 302
    assert (
        AuditEvent.objects.get(action="auth.session_expired").detail["reason"] == "超过最长登录时间"
    )


def test_htmx_and_api_requests_of_an_expired_session(reporter_a: User) -> None:
    client = signed_in("reporter_a")
    age_session(client, seen=3 * 3600)
    htmx = client.get(reverse("submissions:unit_list"), headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith("/accounts/login/")
    client = signed_in("reporter_a")
    age_session(client, seen=3 * 3600)
    api = client.get("/api/v1/submissions")
    assert api.status_code == 401 and "超时" in api.json()["detail"]


def test_keepalive_counts_as_activity_and_says_how_long_is_left(
    reporter_a: User, settings: Any
) -> None:
    settings.JIANBAO_SESSION_IDLE_MINUTES = 30
    client = signed_in("reporter_a")
    age_session(client, seen=28 * 60)
    response = client.post(reverse("accounts:keepalive"))
    assert response.status_code == 200
    assert 29 * 60 < response.json()["expires_in"] <= 30 * 60
    assert Client().post(reverse("accounts:keepalive")).status_code == 401


def test_pages_carry_the_expiry_warning_without_inline_script(reporter_a: User) -> None:
    html = signed_in("reporter_a").get(reverse("submissions:unit_list")).content.decode()
    assert 'id="session-timeout"' in html and "继续工作" in html
    assert "js/session-timeout.js" in html and "js/form-draft.js" in html
    scripts = [part.split(">", 1)[0] for part in html.split("<script")[1:]]
    assert all("src=" in s or 'type="application/json"' in s for s in scripts)


def test_logout_ends_every_other_session(reporter_a: User) -> None:
    first, second = signed_in("reporter_a"), signed_in("reporter_a")
    assert UserSession.objects.filter(user=reporter_a).count() == 2
    first.post(reverse("accounts:logout"))
    assert second.get(reverse("submissions:unit_list")).status_code == 302
    assert UserSession.objects.filter(user=reporter_a).count() == 0
    assert AuditEvent.objects.filter(action="auth.logout", actor=reporter_a).exists()
    assert AuditEvent.objects.filter(action="auth.sessions_ended", actor=reporter_a).exists()


def test_password_change_ends_other_sessions_and_revokes_tokens(reporter_a: User) -> None:
    here, elsewhere = signed_in("reporter_a"), signed_in("reporter_a")
    _token, key = do_issue_api_token(user=reporter_a, name="OA")
    bearer = {"Authorization": f"Bearer {key}"}
    assert Client().get("/api/v1/submissions", headers=bearer).status_code == 200
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Xin-mima-2025",
            "new_password2": "Xin-mima-2025",
        },
    )
    assert response.status_code == 302
    assert here.get(reverse("submissions:unit_list")).status_code == 200  # this one stays
    assert elsewhere.get(reverse("submissions:unit_list")).status_code == 302
    assert Client().get("/api/v1/submissions", headers=bearer).status_code == 401
    token = ApiToken.objects.get()
    assert token.revoked and token.revoked_at is not None
    assert AuditEvent.objects.filter(action="auth.password_change", actor=reporter_a).exists()


def test_the_policy_adds_no_query_to_a_steady_request(
    login: Login, reporter_a: User, settings: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    policy = "jianbao.accounts.session_policy.IdentityPolicyMiddleware"

    def queries() -> int:
        client = login(reporter_a)
        client.get(reverse("submissions:unit_list"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("submissions:unit_list")).status_code == 200
        return len(captured)

    with_policy = queries()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != policy]
    assert queries() == with_policy
