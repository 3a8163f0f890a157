"""A ModelAdmin that lists and shows rows but can neither add, change nor delete them.

For records that only services write and nobody may rewrite: audit events, voided numbers,
adoption records (issue 15: the admin cannot edit or delete them through /admin/).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only: no add, change or delete permission for anyone, superusers included."""

    actions = None

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
