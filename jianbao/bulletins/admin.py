from django.contrib import admin
from django.http import HttpRequest

from jianbao.bulletins.models import Adoption, Issue, Series, VoidedNumber


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "organ", "yearly_numbering", "cumulative_numbering", "active"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["series", "year", "number", "edition", "issue_date", "state"]
    list_filter = ["series", "year", "state"]
    # Issues change only through the services (numbering, workflow, frozen files).
    readonly_fields = [f.name for f in Issue._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(VoidedNumber)
class VoidedNumberAdmin(admin.ModelAdmin):
    list_display = ["series", "year", "number", "reason", "voided_by", "voided_at"]


@admin.register(Adoption)
class AdoptionAdmin(admin.ModelAdmin):
    list_display = ["outlet", "level", "form", "unit", "submission", "date"]
    list_filter = ["level", "form", "outlet"]
