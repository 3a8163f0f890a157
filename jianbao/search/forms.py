"""The search form: input parsing only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps

from jianbao.accounts.selectors import active_units
from jianbao.bounds import MAX_QUERY_CHARS
from jianbao.formfields import BoundedIntegerField
from jianbao.search.models import DocType
from jianbao.search.selectors import ISSUE_STATE_LABELS, KIND_LABELS, SearchFilters, Sort
from jianbao.submissions.workflow import State

SORT_CHOICES = [(Sort.RELEVANCE.value, "按相关度"), (Sort.DATE.value, "按日期")]


def _state_choices() -> list[tuple[str, str]]:
    choices = [("", "全部状态")] + [(s.value, f"稿件·{s.label}") for s in State]
    return choices + [(k, f"期·{v}") for k, v in ISSUE_STATE_LABELS.items() if k != "published"]


def _series_choices() -> list[tuple[str, str]]:
    titles = apps.get_model("bulletins", "Series").objects.values_list("title", flat=True)
    return [("", "全部刊物"), *((title, f"《{title}》") for title in titles)]


class SearchForm(forms.Form):
    q = forms.CharField(label="检索词", max_length=MAX_QUERY_CHARS, required=False)
    unit = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None)
    series = forms.ChoiceField(label="刊物", required=False)
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *KIND_LABELS.items()]
    )
    doc_type = forms.ChoiceField(
        label="范围", required=False, choices=[("", "全部"), *DocType.choices]
    )
    state = forms.ChoiceField(label="状态", required=False)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label="排序", required=False, choices=SORT_CHOICES)
    page = BoundedIntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = [(u.pk, u.name) for u in active_units()]
        self.fields["unit"].choices = [("", "全部单位"), *units]  # type: ignore[attr-defined]
        self.fields["series"].choices = _series_choices()  # type: ignore[attr-defined]
        self.fields["state"].choices = _state_choices()  # type: ignore[attr-defined]

    def filters(self) -> SearchFilters:
        """The filters of a valid form."""
        data = self.cleaned_data
        return SearchFilters(
            unit_id=data.get("unit"),
            series=data.get("series") or None,
            kind=data.get("kind") or None,
            state=data.get("state") or None,
            doc_type=data.get("doc_type") or None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
