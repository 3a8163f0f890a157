"""Forms of sign-in, the second factor, password changes and API tokens (input only, no rules)."""

from __future__ import annotations

from contextvars import ContextVar

from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordChangeForm,
)

from jianbao.accounts.models import User
from jianbao.accounts.passwords import do_reset_password


class LoginForm(AuthenticationForm):
    """User name and password; one message for every failure, so no name is confirmed."""

    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入。",
        "inactive": "用户名或密码不正确，请重新输入。",
    }


class ChangePasswordForm(PasswordChangeForm):
    """The old password and the new one twice; the policy's rules show under the field."""


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="验证码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TokenForm(forms.Form):
    """A new API token: what it is for, how long it lives, whether it may only read."""

    name = forms.CharField(label="用途", max_length=100)
    days = forms.IntegerField(label="有效期（天）", min_value=1)
    read_only = forms.BooleanField(label="只读（只能查询）", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        limit = settings.JIANBAO_TOKEN_DAYS
        days = self.fields["days"]
        days.initial = limit
        assert isinstance(days, forms.IntegerField)
        days.max_value = limit
        days.validators.append(forms.IntegerField(max_value=limit).validators[-1])
        days.widget.attrs.update({"min": 1, "max": limit})


class UnlockForm(forms.Form):
    """Which user name and/or address to unlock."""

    username = forms.CharField(label="用户名", max_length=150, required=False)
    ip_address = forms.GenericIPAddressField(label="来源地址", required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("username") and not data.get("ip_address"):
            raise forms.ValidationError("请填写用户名或来源地址。")
        return data


# The administrator whose request is being served by the admin's password views.
admin_actor: ContextVar[User | None] = ContextVar("jianbao_admin_actor", default=None)


class InitialPasswordCreationForm(AdminUserCreationForm):
    """The admin's "add user" form: the initial password must be changed at first login."""

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.must_change_password = True
        if commit:
            user.save()
            self.save_m2m()
        return user


class ResetPasswordForm(AdminPasswordChangeForm):
    """The admin's "change password" form: a reset through the service (tokens and sessions
    end; the user must choose a new password at the next login)."""

    def save(self, commit: bool = True) -> User:
        do_reset_password(
            user=self.user,
            new_password=self.cleaned_data["password1"],
            actor=admin_actor.get(),
        )
        return self.user
