from typing import Any

from django import forms
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from jianbao.accounts.duties import role_conflict
from jianbao.accounts.identity_forms import (
    InitialPasswordCreationForm,
    ResetPasswordForm,
    admin_actor,
)
from jianbao.accounts.models import ApiToken, Unit, UnitAlias, User
from jianbao.accounts.services import ROLE_FLAGS, do_revoke_api_token
from jianbao.accounts.services_admin import (
    do_save_unit_by_admin,
    do_save_user_by_admin,
    role_names,
)


class RoleConflictCheck(forms.ModelForm):
    """Refuses role combinations that break 三权分立 with the Chinese reason, before saving."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user = self.instance
        flags = [*ROLE_FLAGS.values(), "is_superuser"]
        probe = User(**{flag: data.get(flag, getattr(user, flag)) for flag in flags})
        if conflict := role_conflict(role_names(probe)):
            raise ValidationError(conflict)
        return data


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "order", "requires_approval", "active"]
    list_editable = ["order", "requires_approval", "active"]
    list_filter = ["kind", "active", "requires_approval"]
    search_fields = ["name", "short_name", "aliases__name"]
    inlines = [UnitAliasInline]

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        do_save_unit_by_admin(actor=request.user, unit=obj, created=not change)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a unit is deactivated (启用 off), never deleted: items and events name it


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "unit", "is_reporter", "is_editor", "is_active"]
    list_filter = ["unit", "is_reporter", "is_unit_approver", "is_editor", "is_chief", "is_leader"]
    search_fields = ["username", "display_name", "unit__name"]
    fieldsets = [
        *(BaseUserAdmin.fieldsets or []),
        (
            "单位与角色",
            {
                "fields": [
                    "display_name",
                    "unit",
                    "phone",
                    "is_reporter",
                    "is_unit_approver",
                    "is_editor",
                    "is_chief",
                    "is_leader",
                    "is_auditor",
                ]
            },
        ),
        ("密码策略", {"fields": ["must_change_password", "password_changed_at"]}),
    ]
    # Identity: a user added here must change the initial password at first login; a password
    # set here is a reset through the service (jianbao/accounts/identity_forms.py).
    add_form = InitialPasswordCreationForm
    change_password_form = ResetPasswordForm
    readonly_fields = ["password_changed_at"]

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (RoleConflictCheck, form), {})

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        do_save_user_by_admin(actor=request.user, user=obj, created=not change)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # accounts are deactivated, never deleted: the audit trail names them

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        marker = admin_actor.set(request.user)  # type: ignore[arg-type]
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            admin_actor.reset(marker)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked",
    ]
    list_filter = ["revoked", "read_only"]
    search_fields = ["name", "user__username", "prefix"]
    actions = ["revoke_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created by their owner on 「API 令牌」, the secret shown once

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # revoking is the only change, through the action below

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a revoked token stays listed, with its time of revocation

    @admin.action(description="撤销所选令牌")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.select_related("user"):
            do_revoke_api_token(token=token, actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, f"已撤销 {queryset.count()} 个令牌。")


# The audit trail is not in /admin/ at all: only the auditor reads it (「审计日志」, 三权分立),
# and nobody can change or delete it (append-only trigger, hash chain: `jianbao audit verify`).


# Third-party apps the admin lists, named in Chinese (their own labels are English); groups are
# unused (roles are flags on the user), so they are not offered.
THIRD_PARTY_LABELS = {
    "django_tasks_database": ("后台任务", {"dbtaskresult": "任务记录"}),
    "otp_totp": ("动态验证码", {"totpdevice": "验证器"}),
    "otp_static": ("恢复码", {"staticdevice": "恢复码"}),
}
for _label, (_app_name, _models) in THIRD_PARTY_LABELS.items():
    _config = django_apps.get_app_config(_label)
    _config.verbose_name = _app_name
    for _model_name, _model_label in _models.items():
        _meta = _config.get_model(_model_name)._meta
        _meta.verbose_name = _meta.verbose_name_plural = _model_label
if admin.site.is_registered(Group):
    admin.site.unregister(Group)
