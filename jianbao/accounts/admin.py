from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from jianbao.accounts.identity_forms import (
    InitialPasswordCreationForm,
    ResetPasswordForm,
    admin_actor,
)
from jianbao.accounts.models import ApiToken, AuditEvent, Unit, UnitAlias, User
from jianbao.accounts.services import do_revoke_api_token


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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "object_type", "object_id", "ip_address"]
    list_filter = ["action"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
