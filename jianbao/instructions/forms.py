"""Forms of instruction follow-up: inputs only; the rules live in the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from jianbao.accounts.models import Unit
from jianbao.assessment.models import LeaderLevel
from jianbao.bulletins.models import Entry
from jianbao.bulletins.workflow import IssueState
from jianbao.formfields import BoundedIntegerField, IdChoiceField, IdMultipleChoiceField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FollowUpForm(forms.Form):
    entry = IdChoiceField(
        label="批示的条目",
        queryset=Entry.objects.filter(issue__state=IssueState.PUBLISHED).select_related(
            "issue__series"
        ),
    )
    leader_name = forms.CharField(label="批示领导", max_length=50, required=False)
    leader_level = forms.ChoiceField(label="领导级别", choices=LeaderLevel.choices)
    date = forms.DateField(label="批示日期", widget=DATE)
    text = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 4}))
    units = IdMultipleChoiceField(
        label="承办单位",
        queryset=Unit.objects.filter(active=True).order_by("order", "name"),
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = forms.DateField(label="反馈期限", widget=DATE)
    evidence = forms.FileField(label="批示件扫描（可选）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["entry"]
        field.label_from_instance = lambda e: f"{e.issue} {e.title}"
        if self.initial.get("entry") or self.data.get("entry"):
            field.widget = forms.HiddenInput()
        else:  # choose among the entries of the last year's published issues
            since = timezone.localdate() - timedelta(days=366)
            field.queryset = field.queryset.filter(issue__issue_date__gte=since).order_by(
                "-issue__issue_date", "order"
            )


class FeedbackForm(forms.Form):
    text = forms.CharField(label="反馈内容", widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label="附件（可选）", required=False)


class AskMoreForm(forms.Form):
    target = BoundedIntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="追问内容", widget=forms.Textarea(attrs={"rows": 3}))
    due_date = forms.DateField(label="补充反馈期限", widget=DATE)


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[
            ("", "全部"),
            ("open", "待反馈"),
            ("answered", "已全部反馈"),
            ("overdue", "逾期未反馈"),
            ("closed", "已办结"),
        ],
    )
    unit = IdChoiceField(
        label="承办单位",
        required=False,
        queryset=Unit.objects.filter(active=True).order_by("order", "name"),
    )
