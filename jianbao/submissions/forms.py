"""Forms of the submission pages: input parsing only, no business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy

from jianbao.accounts.models import Unit
from jianbao.accounts.selectors import active_units
from jianbao.bulletins.selectors import issues_visible_to
from jianbao.bulletins.workflow import IssueState
from jianbao.formfields import BoundedIntegerField, IdChoiceField, IdMultipleChoiceField
from jianbao.submissions.models import Kind, Urgency
from jianbao.widgets import QuickSelect

# What the file picker offers (phones then offer the camera and the gallery too); the service
# checks the suffix again (ALLOWED_ATTACHMENT_SUFFIXES).
ATTACHMENT_ACCEPT = "image/*,.pdf,.doc,.docx,.wps,.txt,.xls,.xlsx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        cleaned = single(data, initial)  # a required field with no file is refused here
        return [cleaned] if cleaned else []


class SubmissionForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200, required=False)
    body = forms.CharField(
        label="正文",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text="每段一行；不要写标题和来源单位。",
    )
    kind = forms.ChoiceField(label="类型", choices=Kind.choices, initial=Kind.ITEM)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    source_units = IdMultipleChoiceField(
        label="来源单位",
        queryset=Unit.objects.none(),
        required=False,
        help_text="默认为本单位；联合报送时点选多个单位，再点一次取消。",
        widget=forms.SelectMultiple(attrs={"data-click-toggles": ""}),
    )
    contact = forms.CharField(label="联系人及电话", max_length=100, required=False)
    docx = forms.FileField(
        label="从 Word 文件读取",
        required=False,
        help_text=(
            "选择 .docx 后立即读出标题、正文和来源单位，核对修改后再保存"
            "（原文件同时作为附件保存）。"
        ),
        # Read at once for a preview (htmx, multipart): only the fields the preview fills are
        # sent along, so the photos already chosen are not uploaded twice.
        widget=forms.ClearableFileInput(
            attrs={
                "hx-post": reverse_lazy("submissions:word_preview"),
                "hx-trigger": "change",
                "hx-encoding": "multipart/form-data",
                "hx-params": "docx,title,body,source_units",
                "hx-target": "#docx-preview",
                "hx-indicator": "#docx-reading",
            }
        ),
    )
    attachments = MultipleFileField(
        label="附件",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_units"].queryset = active_units()  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    action = forms.CharField()
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = BoundedIntegerField(required=False)


class InboxFilterForm(forms.Form):
    unit = IdChoiceField(
        label="单位",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="全部单位",
        widget=QuickSelect,
    )
    kind = forms.ChoiceField(
        label="类型", choices=[("", "全部"), *Kind.choices], required=False, widget=QuickSelect
    )
    state = forms.CharField(required=False)
    date_from = forms.DateField(
        label="报送自", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label="标题或正文包含", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = active_units()  # type: ignore[attr-defined]


class IdListField(forms.Field):
    """A list of positive integer ids from repeated inputs (checkboxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        try:
            ids = [int(v) for v in values]
        except (TypeError, ValueError):
            raise forms.ValidationError("稿件编号无效。") from None
        if any(not 0 < i < 2**63 for i in ids):
            raise forms.ValidationError("稿件编号无效。")
        return ids


class BulkActionForm(forms.Form):
    ids = IdListField(label="稿件", required=False)
    action = forms.ChoiceField(
        label="批量操作",
        choices=[("claim", "认领"), ("archive", "存档（未采用）"), ("add_to_issue", "编入期刊")],
    )
    reason = forms.CharField(label="存档理由", required=False, max_length=500)
    issue = IdChoiceField(
        label="编入期刊", queryset=None, required=False, empty_label="选择编辑中的期刊"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        drafts = issues_visible_to(user).filter(state=IssueState.DRAFT, is_archive=False)
        self.fields["issue"].queryset = drafts.order_by("-year", "-number")  # type: ignore[attr-defined]
