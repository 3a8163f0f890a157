"""Forms of the commission pages: input parsing only, no business rules."""

from __future__ import annotations

from typing import Any

from django import forms

from jianbao.accounts.models import Unit, UnitKind, User
from jianbao.accounts.selectors import active_units
from jianbao.commissions.models import CommissionState, TargetMode
from jianbao.commissions.selectors import linkable_submissions
from jianbao.commissions.workdays import MAX_WORKING_DAYS
from jianbao.formfields import BoundedIntegerField, IdChoiceField, IdMultipleChoiceField
from jianbao.submissions.models import Kind, Submission


class CommissionForm(forms.Form):
    title = forms.CharField(label="约稿主题", max_length=200)
    description = forms.CharField(
        label="说明与要求",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="写明约稿背景、内容要点、字数和报送方式。",
    )
    working_days = BoundedIntegerField(
        label="期限（工作日）",
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        initial=3,
        help_text="按国务院公布的节假日和调休安排计算，发布当天不计。",
    )
    target_mode = forms.ChoiceField(
        label="约稿对象",
        choices=TargetMode.choices,
        initial=TargetMode.CHOSEN,
        widget=forms.RadioSelect,
    )
    unit_kind = forms.ChoiceField(
        label="单位类别", choices=[("", "—"), *UnitKind.choices], required=False
    )
    units = IdMultipleChoiceField(
        label="指定单位",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quota_per_unit = BoundedIntegerField(
        label="每单位篇数", min_value=1, max_value=50, required=False, help_text="可不填。"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = active_units()  # type: ignore[attr-defined]


class CommissionFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态", choices=[("", "全部"), *CommissionState.choices], required=False
    )
    unit = IdChoiceField(
        label="单位", queryset=Unit.objects.none(), required=False, empty_label="全部单位"
    )
    date_from = forms.DateField(
        label="截止自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label="只看有逾期单位的", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()  # type: ignore[attr-defined]


class LinkForm(forms.Form):
    submissions = IdMultipleChoiceField(
        label="本单位已报送的稿件",
        queryset=Submission.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submissions"].queryset = linkable_submissions(user)  # type: ignore[attr-defined]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="无此情况的说明",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerSubmissionForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, required=False)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="每段一行；不要写标题和来源单位。",
    )
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.ITEM)
    contact = forms.CharField(label="联系人及电话", max_length=100, required=False)
