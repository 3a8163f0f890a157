"""The password policy (等保 2.0): Django validators with Chinese messages, history and expiry.

The validators are listed in AUTH_PASSWORD_VALIDATORS, so every path that sets a password through
`validate_password` (the change page, `jianbao createuser`, the admin's forms) applies the same
rules. `PasswordHistoryValidator.password_changed` is Django's hook, called whenever a user with a
new password is saved: it keeps the hash, so the last N passwords cannot be chosen again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import PasswordHistory, User
from jianbao.accounts.services import do_revoke_user_tokens, record_audit_event
from jianbao.accounts.sessions import do_end_sessions

CLASS_NAMES = ("小写字母", "大写字母", "数字", "其他符号")


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassValidator:
    """At least `min_classes` of lower case, upper case, digits and other characters."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: User | None = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                f"密码须包含{'、'.join(CLASS_NAMES)}中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"须包含{'、'.join(CLASS_NAMES)}中的至少 {self.min_classes} 类。"


class UsernameValidator:
    """Not the user name, and not containing it (names of three characters or more)."""

    def validate(self, password: str, user: User | None = None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if not username:
            return
        lowered = password.lower()
        if lowered == username or (len(username) >= 3 and username in lowered):
            raise ValidationError("密码不能是用户名，也不能包含用户名。", code="password_username")

    def get_help_text(self) -> str:
        return "不能是用户名，也不能包含用户名。"


class PasswordHistoryValidator:
    """Not one of the user's last `count` passwords; remembers each new one."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user: User | None = None) -> None:
        if self.count <= 0 or user is None or not user.pk:
            return
        for old in recent_password_hashes(user=user, count=self.count):
            if check_password(password, old):
                raise ValidationError(
                    f"新密码不能与最近 {self.count} 次使用过的密码相同。", code="password_reused"
                )

    def password_changed(self, password: str, user: User | None = None) -> None:
        if user is not None and user.pk:
            record_password_change(user=user, keep=max(self.count, 1))

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count} 次使用过的密码相同。"


def recent_password_hashes(*, user: User, count: int) -> list[str]:
    """The hashes of the user's last `count` passwords, newest first."""
    return list(
        PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count]
    )


def record_password_change(*, user: User, keep: int) -> None:
    """Remember the user's current hash and its time; older history beyond `keep` is dropped."""
    now = timezone.now()
    PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    User.objects.filter(pk=user.pk).update(password_changed_at=now)
    user.password_changed_at = now


def password_expires_at(user: User) -> datetime | None:
    """When the user's password must be changed by; None when passwords do not expire."""
    days = settings.JIANBAO_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.has_usable_password():
        return None
    changed = user.password_changed_at or user.date_joined
    return changed + timedelta(days=days)


def password_change_reason(user: User) -> str:
    """Why the user must change their password before anything else, or ""."""
    if user.must_change_password:
        return "首次登录或管理员重设密码后，请先修改密码。"
    expires = password_expires_at(user)
    if expires is not None and expires <= timezone.now():
        return f"密码已使用超过 {settings.JIANBAO_PASSWORD_MAX_AGE_DAYS} 天，请修改密码后继续。"
    return ""


@transaction.atomic
def do_change_password(*, user: User, new_password: str, current_session: str | None) -> None:
    """The user's own new password (validated by the form): other sessions and API tokens end."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save()
    do_revoke_user_tokens(user=user, actor=user, reason="修改密码")
    do_end_sessions(user=user, keep=current_session, reason="修改密码")
    record_audit_event(
        action="auth.password_change", actor=user, object_type="user", object_id=user.pk
    )


@transaction.atomic
def do_reset_password(*, user: User, new_password: str, actor: User | None) -> None:
    """A password set by an administrator: the user must change it at the next login."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = True
    user.save()
    do_revoke_user_tokens(user=user, actor=actor, reason="管理员重设密码")
    do_end_sessions(user=user, keep=None, reason="管理员重设密码")
    record_audit_event(
        action="auth.password_reset",
        actor=actor,
        object_type="user",
        object_id=user.pk,
        detail={"username": user.username},
    )
