"""Forms of the unit-class page (考核分类)."""

from __future__ import annotations

from django import forms

from jianbao.accounts.selectors import active_units
from jianbao.assessment.models import UnitClass


class UnitClassForm(forms.Form):
    """A new class."""

    name = forms.CharField(label="分类名称", max_length=50, help_text="如「开发区及园区」")
    order = forms.IntegerField(label="排序", min_value=0, max_value=10000, initial=100)


class AssignmentForm(forms.Form):
    """Move a unit to a class, or back to its kind's class (empty choice)."""

    unit = forms.ModelChoiceField(label="单位", queryset=active_units())
    unit_class = forms.ModelChoiceField(
        label="归入分类",
        queryset=UnitClass.objects.all(),
        required=False,
        empty_label="按单位类别（默认）",
    )
