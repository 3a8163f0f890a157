"""The second factor: required for 签发人, 管理员 and 审计员, optional for others; enrolment with a
local QR code, login with a code, recovery codes that work once, and disabling refused where the
role requires it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianbao.accounts.models import AuditEvent, User
from jianbao.accounts.two_factor import current_code
from jianbao.conftest import PASSWORD

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def password_step(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enrol(client: Client, user: User) -> list[str]:
    page = client.get(reverse("accounts:otp_setup"))
    assert "<svg" in page.content.decode()  # the QR code, drawn here
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("accounts:otp_setup"), {"code": current_code(device)})
    assert done.status_code == 200
    html = done.content.decode()
    codes = [
        c.split("</code>")[0] for c in html.split('id="recovery-codes"')[1].split("<code>")[1:]
    ]
    assert len(codes) == 10
    return codes


@pytest.mark.parametrize("persona", ["chief", "auditor"])
def test_required_roles_must_enrol_before_anything_else(
    persona: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    client = password_step(user.username)
    for path in (reverse("home"), reverse("accounts:tokens"), reverse("accounts:security")):
        assert client.get(path)["Location"] == reverse("accounts:otp_setup")
    assert client.get("/api/v1/submissions").status_code == 403
    page = client.get(reverse("accounts:otp_setup")).content.decode()
    assert "必须启用双因素认证" in page
    enrol(client, user)
    assert client.get(reverse("accounts:tokens")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_enrolled", actor=user).exists()


def test_enrolled_user_signs_in_with_a_code(chief: User) -> None:
    device = TOTPDevice.objects.create(user=chief, name="手机", confirmed=True)
    client = password_step("chief")
    assert client.get(reverse("home"))["Location"] == reverse("accounts:otp_verify")
    wrong = client.post(reverse("accounts:otp_verify"), {"code": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor=chief).exists()
    device.refresh_from_db()
    device.throttle_reset()
    ok = client.post(reverse("accounts:otp_verify"), {"code": current_code(device)})
    assert ok.status_code == 302
    assert client.get(reverse("accounts:tokens")).status_code == 200


def test_a_recovery_code_works_once(chief: User) -> None:
    codes = enrol(password_step("chief"), chief)
    first = password_step("chief")
    assert first.post(reverse("accounts:otp_verify"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("accounts:tokens")).status_code == 200
    again = password_step("chief")
    reused = again.post(reverse("accounts:otp_verify"), {"code": codes[0]})
    assert reused.status_code == 200 and "验证码不正确或已使用" in reused.content.decode()
    assert AuditEvent.objects.filter(action="auth.recovery_code_used", actor=chief).count() == 1
    security = first.get(reverse("accounts:security")).content.decode()
    assert "剩余恢复码 <strong>9</strong>" in security


def test_optional_for_others_who_can_enable_and_disable_it(reporter_a: User) -> None:
    client = password_step("reporter_a")
    assert client.get(reverse("submissions:unit_list")).status_code == 200
    enrol(client, reporter_a)
    assert password_step("reporter_a").get(reverse("home"))["Location"] == reverse(
        "accounts:otp_verify"
    )
    assert client.post(reverse("accounts:otp_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=reporter_a).exists()
    assert AuditEvent.objects.filter(action="auth.otp_disabled").exists()


def test_disabling_is_refused_for_a_required_role(login: Login, chief: User) -> None:
    client = login(chief)
    response = client.post(reverse("accounts:otp_disable"), follow=True)
    assert "必须启用双因素认证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=chief, confirmed=True).exists()


def test_required_roles_are_a_setting(reporter_a: User, settings: Any) -> None:
    settings.JIANBAO_OTP_REQUIRED_ROLES = ["reporter"]
    client = password_step("reporter_a")
    assert client.get(reverse("submissions:unit_list"))["Location"] == reverse("accounts:otp_setup")


def test_new_recovery_codes_replace_the_old_ones(login: Login, chief: User) -> None:
    codes = enrol(password_step("chief"), chief)
    client = login(chief)
    response = client.post(reverse("accounts:recovery_codes"))
    assert "no-store" in response["Cache-Control"]
    fresh = response.content.decode()
    assert codes[0] not in fresh and "原有恢复码已全部作废" in fresh
    old = password_step("chief").post(reverse("accounts:otp_verify"), {"code": codes[1]})
    assert old.status_code == 200


def test_the_code_page_returns_to_the_page_asked_for_and_only_inside_the_site(
    chief: User,
) -> None:
    device = TOTPDevice.objects.create(user=chief, name="手机", confirmed=True)
    client = password_step("chief")
    asked = client.get(reverse("accounts:tokens"))
    assert asked["Location"] == reverse("accounts:otp_verify") + "?next=%2Faccounts%2Ftokens%2F"
    done = client.post(asked["Location"], {"code": current_code(device)})
    assert done["Location"] == reverse("accounts:tokens")
    other = password_step("chief")
    evil = other.post(
        reverse("accounts:otp_verify") + "?next=https://evil.example/",
        {"code": current_code(device, steps_ahead=1)},
    )
    assert evil["Location"] == reverse("home")
