"""Forms of the ranking, 通报 and statistics pages: which period and class, the 通报's masthead."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from jianbao.assessment.models import UnitClass
from jianbao.bulletins.models import Series
from jianbao.ranking import Period, PeriodError, parse_period

PERIOD_KINDS = [("month", "月度"), ("quarter", "季度"), ("year", "年度"), ("range", "自定义")]


def last_full_month(today: datetime.date | None = None) -> Period:
    """The default period: the last month that has ended."""
    day = (today or timezone.localdate()).replace(day=1) - datetime.timedelta(days=1)
    return Period.month(day.year, day.month)


class PeriodForm(forms.Form):
    """A period by kind (month, quarter, year, range) or by its key (`?period=2024-06`)."""

    period = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label="期间", choices=PERIOD_KINDS, required=False)
    year = forms.IntegerField(label="年", min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(
        label="月",
        coerce=int,
        required=False,
        choices=[(m, f"{m}月") for m in range(1, 13)],
    )
    quarter = forms.TypedChoiceField(
        label="季度",
        coerce=int,
        required=False,
        choices=[(q, f"第{'一二三四'[q - 1]}季度") for q in range(1, 5)],
    )
    start = forms.DateField(
        label="起",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="止",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    unit_class = forms.ModelChoiceField(
        label="考核分类",
        queryset=UnitClass.objects.order_by("order", "name"),
        required=False,
        empty_label="全部分类",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["resolved"] = self._resolve(data)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error
        return data

    def _resolve(self, data: dict[str, Any]) -> Period:
        if data.get("period"):
            return parse_period(data["period"])
        kind, year = data.get("kind") or "", data.get("year")
        default = last_full_month()
        if not kind:
            return default
        year = year or default.start.year
        if kind == "month":
            return Period.month(year, data.get("month") or default.start.month)
        if kind == "quarter":
            return Period.quarter(year, data.get("quarter") or 1)
        if kind == "year":
            return Period.year(year)
        if not (data.get("start") and data.get("end")):
            raise PeriodError("自定义期间须填写起止日期")
        return Period.between(data["start"], data["end"])

    def resolved(self) -> Period:
        """The chosen period (the last full month when nothing valid was chosen)."""
        if self.is_valid():
            resolved: Period = self.cleaned_data["resolved"]
            return resolved
        return last_full_month()

    def chosen_class(self) -> UnitClass | None:
        return self.cleaned_data.get("unit_class") if self.is_valid() else None


def initial_for(period: Period, unit_class: UnitClass | None) -> dict[str, Any]:
    """Form values that show `period` (so the selects reflect a `?period=` link)."""
    return {
        "kind": period.kind,
        "year": period.start.year,
        "month": period.start.month,
        "quarter": (period.start.month - 1) // 3 + 1,
        "start": period.start,
        "end": period.end,
        "unit_class": unit_class,
    }


class ReportForm(forms.Form):
    """The 通报's masthead details and its editable introduction."""

    series = forms.ModelChoiceField(
        label="刊物", queryset=Series.objects.filter(active=True), empty_label=None
    )
    number = forms.IntegerField(label="期号", min_value=1, max_value=100_000)
    issue_date = forms.DateField(
        label="印发日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label="标题", max_length=100)
    introduction = forms.CharField(
        label="导语", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    period = forms.CharField(widget=forms.HiddenInput)
    unit_class = forms.ModelChoiceField(
        queryset=UnitClass.objects.all(), required=False, widget=forms.HiddenInput
    )

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error
