from django.contrib import admin

from jianbao.search.models import SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Read-only: the index is written by the services and rebuilt by `jianbao reindex`."""

    list_display = ["doc_type", "object_id", "title", "unit_names", "state", "date", "indexed_at"]
    list_filter = ["doc_type", "state", "kind"]
    search_fields = ["title"]
    exclude = ["tokens"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
