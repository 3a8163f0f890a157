"""Forms of 转报."""

from __future__ import annotations

from django import forms

from jianbao.bulletins.models import AdoptionForm, AdoptionLevel, Entry
from jianbao.formfields import IdChoiceField, IdMultipleChoiceField


class ForwardForm(forms.Form):
    to_office = forms.CharField(label="报送单位", max_length=100)
    note = forms.CharField(label="说明", max_length=300, required=False)
    entries = IdMultipleChoiceField(
        label="转报的信息", queryset=Entry.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, entries: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["entries"]
        field.queryset = Entry.objects.filter(pk__in=[e.pk for e in entries or []])  # type: ignore[attr-defined]
        field.label_from_instance = lambda e: f"{e.issue} {e.title}"  # type: ignore[attr-defined]


class OutcomeForm(forms.Form):
    entry = IdChoiceField(label="条目", queryset=Entry.objects.all(), widget=forms.HiddenInput)
    outlet = forms.CharField(label="采用载体", max_length=100)
    outlet_issue = forms.CharField(label="期次", max_length=50, required=False)
    level = forms.ChoiceField(label="级别", choices=AdoptionLevel.choices)
    form = forms.ChoiceField(label="采用形式", choices=AdoptionForm.choices)
    date = forms.DateField(label="采用日期", widget=forms.DateInput(attrs={"type": "date"}))
