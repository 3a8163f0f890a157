"""Forms of emergency reports: one column, so they work on a phone."""

from __future__ import annotations

from django import forms

from jianbao.emergency.models import ReportKind

AREA = {"rows": 3}


class StartForm(forms.Form):
    title = forms.CharField(label="事件标题", max_length=200)


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=ReportKind.choices)
    occurred = forms.CharField(label="事发时间", max_length=100)
    place = forms.CharField(label="事发地点", max_length=200)
    what = forms.CharField(label="事件经过", widget=forms.Textarea(attrs=AREA))
    casualties = forms.CharField(
        label="伤亡和损失", required=False, widget=forms.Textarea(attrs=AREA)
    )
    causes = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs=AREA))
    measures = forms.CharField(
        label="已采取的措施", required=False, widget=forms.Textarea(attrs=AREA)
    )
    next_steps = forms.CharField(
        label="下一步工作", required=False, widget=forms.Textarea(attrs=AREA)
    )
    contact = forms.CharField(label="联系人及电话", max_length=100)
