from django.contrib import admin
from django.http import HttpRequest

from jianbao.archive.models import ImportBatch, ImportItem


class _ReadOnly(admin.ModelAdmin):
    """Imports change only through the services (hashes, states, the issues they made)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(_ReadOnly):
    list_display = ["pk", "created_at", "created_by", "source", "state", "total", "processed"]
    list_filter = ["source", "state"]


@admin.register(ImportItem)
class ImportItemAdmin(_ReadOnly):
    list_display = ["original_name", "batch", "state", "format", "size", "issue", "message"]
    list_filter = ["state", "format"]
    search_fields = ["original_name", "sha256"]
