"""The second factor: TOTP (authenticator app) with django-otp, and single-use recovery codes.

Required for the roles in JIANBAO_OTP_REQUIRED_ROLES (签发人, 管理员, 审计员 by default),
optional for everyone else. The QR code is drawn here as SVG (segno); nothing leaves the server.
"""

from __future__ import annotations

import io
from base64 import b32decode, b32encode

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jianbao.accounts.models import Role, User
from jianbao.accounts.services import record_audit_event

RECOVERY_CODES = 10
DEVICE_NAME = "验证器应用"


def otp_required(user: User) -> bool:
    """Whether the user's roles require a second factor."""
    required = set(settings.JIANBAO_OTP_REQUIRED_ROLES)
    return any(Role(role).value in required for role in user.roles)


def has_confirmed_device(user: User) -> bool:
    """Whether the user has an enrolled authenticator."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    """How many unused recovery codes the user has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_base32(device: TOTPDevice) -> str:
    """The device key as the base32 text authenticator apps accept when typed in."""
    return b32encode(device.bin_key).decode().rstrip("=")


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the device shows now (or `steps_ahead` periods later), as six digits."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code (otpauth:// URL) as an inline SVG element."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, nl=False
    )
    return buffer.getvalue().decode()


@transaction.atomic
def do_start_enrolment(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created with a new key when there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def do_confirm_enrolment(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns new recovery codes (shown once)."""
    codes = _confirm_enrolment(request=request, user=user, code=code)
    if codes is None:  # the failure (and the device's throttle) is committed, then refused
        raise ValidationError("验证码不正确，请核对手机上的六位数字后重试。")
    return codes


@transaction.atomic
def _confirm_enrolment(*, request: HttpRequest, user: User, code: str) -> list[str] | None:
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationError("没有待绑定的验证器，请刷新页面重新扫码。")
    if not device.verify_token(_digits(code)):
        record_audit_event(action="auth.otp_failed", actor=user, detail={"step": "enrol"})
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    otp_login(request, device)
    record_audit_event(
        action="auth.otp_enrolled", actor=user, object_type="user", object_id=user.pk
    )
    return codes


@transaction.atomic
def do_verify_second_factor(*, request: HttpRequest, user: User, code: str) -> bool:
    """Check a code from the authenticator or a recovery code; on success mark the session."""
    code = code.strip().replace(" ", "")
    if code.isdigit():
        devices: list[TOTPDevice | StaticDevice] = list(
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        )
    else:
        devices = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
    for device in devices:
        if device.verify_token(code.lower() if isinstance(device, StaticDevice) else code):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                record_audit_event(
                    action="auth.recovery_code_used",
                    actor=user,
                    detail={"left": recovery_codes_left(user)},
                )
            record_audit_event(action="auth.otp_verified", actor=user)
            return True
    record_audit_event(action="auth.otp_failed", actor=user, detail={"step": "login"})
    return False


@transaction.atomic
def do_regenerate_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones (shown once)."""
    if not has_confirmed_device(user):
        raise ValidationError("请先绑定验证器。")
    codes = _new_recovery_codes(user)
    record_audit_event(action="auth.recovery_codes_renewed", actor=user)
    return codes


@transaction.atomic
def do_disable_two_factor(*, user: User, actor: User) -> None:
    """Remove the user's authenticator and recovery codes; refused where a role requires them."""
    if otp_required(user):
        raise PermissionDenied("您的角色必须启用双因素认证，不能停用。")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_audit_event(
        action="auth.otp_disabled", actor=actor, object_type="user", object_id=user.pk
    )


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


@transaction.atomic
def do_enrol_known_key(*, user: User, secret: str) -> TOTPDevice:
    """Give the user a confirmed authenticator with a known base32 key (demo accounts only)."""
    padded = secret.upper() + "=" * (-len(secret) % 8)
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=True, key=b32decode(padded).hex()
    )
    record_audit_event(
        action="auth.otp_enrolled", actor=user, object_type="user", object_id=user.pk
    )
    return device
