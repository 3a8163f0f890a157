from django.contrib import admin

from jianbao.accounts.readonly_admin import ReadOnlyAdmin
from jianbao.bulletins.models import Adoption, Issue, Series, VoidedNumber


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    """Series settings change on the page 「刊物设置」, through the audited service."""

    list_display = ["title", "organ", "yearly_numbering", "cumulative_numbering", "active"]


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["series", "year", "number", "edition", "issue_date", "state"]
    list_filter = ["series", "year", "state"]
    # Issues change only through the services (numbering, workflow, frozen files).


@admin.register(VoidedNumber)
class VoidedNumberAdmin(ReadOnlyAdmin):
    """A voided number is never reused nor un-voided: written by the void service only."""

    list_display = ["series", "year", "number", "reason", "voided_by", "voided_at"]


@admin.register(Adoption)
class AdoptionAdmin(ReadOnlyAdmin):
    """Adoption records feed the scoring ledger: written by publishing and the adoption pages."""

    list_display = ["outlet", "level", "form", "unit", "submission", "date"]
    list_filter = ["level", "form", "outlet"]
