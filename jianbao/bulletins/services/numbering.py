"""Issue numbers: the next free one per series (and year); a voided number is never reused."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Max

from jianbao.bulletins.models import Issue, Series, VoidedNumber
from jianbao.bulletins.workflow import IssueState


@dataclass(frozen=True)
class ProposedNumber:
    number: int
    total_number: int | None


def proposed_number(series: Series, year: int) -> ProposedNumber:
    """The next free number; call under the series row lock when it will be used."""
    # A number is reserved at sign-off (DESIGN.md section 3): an issue voided before it was
    # signed gives its number back, a signed one leaves a VoidedNumber that is never reused.
    issues = Issue.objects.filter(series=series).exclude(state=IssueState.VOIDED)
    voided = VoidedNumber.objects.filter(series=series)
    if series.yearly_numbering:
        issues, voided = issues.filter(year=year), voided.filter(year=year)
    used = max(
        issues.aggregate(m=Max("number"))["m"] or 0, voided.aggregate(m=Max("number"))["m"] or 0
    )
    total = None
    if series.cumulative_numbering:
        total = (Issue.objects.filter(series=series).aggregate(m=Max("total_number"))["m"] or 0) + 1
    return ProposedNumber(used + 1, total)


def check_number_free(*, series: Series, year: int, number: int, issue: Issue | None) -> None:
    """Refuse a number held by another live issue or recorded as voided."""
    if number <= 0:
        raise ValidationError({"number": "期号应为正整数。"})
    voided = VoidedNumber.objects.filter(series=series, year=year, number=number)
    if voided.exists():
        raise ValidationError({"number": f"{year}年第{number}期已作废，期号不能再用。"})
    clash = Issue.objects.filter(series=series, year=year, number=number, edition=1).exclude(
        state=IssueState.VOIDED
    )
    if issue is not None:
        clash = clash.exclude(pk=issue.pk)
    if clash.exists():
        raise ValidationError({"number": f"{year}年第{number}期已被另一期使用。"})
