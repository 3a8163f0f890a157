from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from jianbao.accounts.models import ApiToken, AuditEvent, Unit, UnitAlias, User


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
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "object_type", "object_id", "ip_address"]
    list_filter = ["action"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
