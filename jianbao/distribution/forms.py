"""Forms of the distribution pages: input parsing only, no business rules."""

from __future__ import annotations

from typing import Any

from django import forms

from jianbao.accounts.models import Unit, User
from jianbao.accounts.selectors import active_units
from jianbao.distribution.models import Line, RecipientGroup, RecipientKind, RecipientRole
from jianbao.distribution.selectors import LEDGER_STATES
from jianbao.formfields import IdChoiceField, IdMultipleChoiceField


class GroupForm(forms.Form):
    name = forms.CharField(label="分组名称", max_length=50, help_text="如「区县处级领导」")
    description = forms.CharField(label="说明", max_length=200, required=False)
    members = IdMultipleChoiceField(
        label="成员",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, receivers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = receivers  # type: ignore[attr-defined]


class RecipientForm(forms.Form):
    line = forms.ChoiceField(label="报尾行", choices=Line.choices, initial=Line.SEND)
    kind = forms.ChoiceField(
        label="类型", choices=RecipientKind.choices, initial=RecipientKind.GROUP
    )
    group = IdChoiceField(label="分组", queryset=RecipientGroup.objects.none(), required=False)
    unit = IdChoiceField(label="单位", queryset=Unit.objects.none(), required=False)
    role = forms.ChoiceField(
        label="角色", choices=[("", "—"), *RecipientRole.choices], required=False
    )
    user = IdChoiceField(label="人员", queryset=User.objects.none(), required=False)
    paper = forms.BooleanField(label="另送纸质件（登记份号）", required=False)

    def __init__(self, *args: Any, receivers: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["unit"].queryset = active_units()  # type: ignore[attr-defined]
        self.fields["user"].queryset = receivers  # type: ignore[attr-defined]


class LedgerFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态",
        choices=[("", "全部"), *((k, v[0]) for k, v in LEDGER_STATES.items())],
        required=False,
    )
    line = forms.ChoiceField(label="报尾行", choices=[("", "全部"), *Line.choices], required=False)
    q = forms.CharField(label="姓名/单位", max_length=50, required=False)
