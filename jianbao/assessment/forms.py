"""Forms of the scoring pages (facts, recompute, objections). The rule editor's rows are read by
`rule_editor.py`; the engine validates the figures."""

from __future__ import annotations

from django import forms

from jianbao.assessment.models import LeaderLevel
from jianbao.bulletins.models import AdoptionForm, AdoptionLevel


class DateInput(forms.DateInput):
    input_type = "date"


class OutsideAdoptionForm(forms.Form):
    """「被《郑州信息》2024年第12期采用」."""

    outlet = forms.CharField(
        label="采用载体", max_length=100, help_text="如「郑州信息」，不带书名号也可"
    )
    outlet_issue = forms.CharField(
        label="期次", max_length=50, required=False, help_text="如「2024年第12期」"
    )
    level = forms.ChoiceField(label="级别", choices=AdoptionLevel.choices)
    form = forms.ChoiceField(label="采用形式", choices=AdoptionForm.choices)
    date = forms.DateField(label="采用日期", widget=DateInput)
    forwarded = forms.BooleanField(label="经本机关转报", required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)
    evidence = forms.FileField(
        label="佐证材料", required=False, help_text="版面扫描件或照片：JPG、PNG、PDF"
    )


class OutsideIssueForm(forms.Form):
    """One outside issue that carried several of our items."""

    outlet = forms.CharField(label="采用载体", max_length=100)
    outlet_issue = forms.CharField(label="期次", max_length=50)
    level = forms.ChoiceField(label="级别", choices=AdoptionLevel.choices)
    date = forms.DateField(label="采用日期", widget=DateInput)
    forwarded = forms.BooleanField(label="经本机关转报", required=False)


class InstructionForm(forms.Form):
    """A leader's instruction (批示)."""

    leader_name = forms.CharField(label="批示领导", max_length=50)
    leader_level = forms.ChoiceField(label="领导级别", choices=LeaderLevel.choices)
    date = forms.DateField(label="批示日期", widget=DateInput)
    text = forms.CharField(
        label="批示内容", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence = forms.FileField(label="佐证材料", required=False, help_text="JPG、PNG、PDF")


class RangeForm(forms.Form):
    """A date range to recompute."""

    start = forms.DateField(label="起", widget=DateInput)
    end = forms.DateField(label="止", widget=DateInput)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("结束日期不能早于开始日期。")
        return data


class ObjectionForm(forms.Form):
    """A unit's objection to one ledger line."""

    reason = forms.CharField(
        label="异议理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AnswerForm(forms.Form):
    """The office's answer to an objection."""

    decision = forms.ChoiceField(label="处理", choices=[("accept", "采纳"), ("reject", "驳回")])
    answer = forms.CharField(
        label="答复", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    points = forms.DecimalField(
        label="更正分值", max_digits=8, decimal_places=2, required=False,
        help_text="采纳时可填，正数加分、负数减分；0 或不填则不记更正",
    )  # fmt: skip
