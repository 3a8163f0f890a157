"""Forms of the issue pages: input parsing only, no business rules."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from jianbao.bulletins.models import EntryKind, Series
from jianbao.formfields import BoundedIntegerField, IdChoiceField

_NAME_SEPARATORS = re.compile(r"[\s,，、;；]+")


def split_names(value: str) -> list[str]:
    """「王思宇 柴亚文」 or 「王思宇、柴亚文」 → ["王思宇", "柴亚文"], each name once."""
    return list(dict.fromkeys(name for name in _NAME_SEPARATORS.split(value or "") if name))


def split_lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class SeriesForm(forms.Form):
    title = forms.CharField(label="刊名", max_length=50, help_text="如「上街信息」（不带书名号）")
    organ = forms.CharField(label="编发机关", max_length=100, help_text="如「中共上街区委办公室」")
    yearly_numbering = forms.BooleanField(label="按年编号（每年从第1期开始）", required=False)
    cumulative_numbering = forms.BooleanField(label="印总期号（总第N期）", required=False)
    report_to = forms.CharField(label="报", max_length=300, required=False)
    send_to = forms.CharField(label="本期送", max_length=300, required=False)
    distribute_to = forms.CharField(label="发", max_length=300, required=False)
    extra_to = forms.CharField(label="本期增发", max_length=300, required=False)
    editors = forms.CharField(
        label="责任编辑", max_length=200, required=False, help_text="多人用空格或顿号分隔"
    )
    marks = forms.CharField(
        label="版头标注",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一项，如「内部资料 注意保存」",
    )
    copies = BoundedIntegerField(label="印数", min_value=1, required=False)
    active = forms.BooleanField(label="启用", required=False, initial=True)
    four_eyes = forms.BooleanField(
        label="签发人不得为最后编辑人（双人复核）", required=False, initial=True
    )
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, series: Series) -> dict[str, Any]:
        return {
            "title": series.title,
            "organ": series.organ,
            "yearly_numbering": series.yearly_numbering,
            "cumulative_numbering": series.cumulative_numbering,
            "report_to": series.report_to,
            "send_to": series.send_to,
            "distribute_to": series.distribute_to,
            "extra_to": series.extra_to,
            "editors": " ".join(series.editors),
            "marks": "\n".join(series.marks),
            "copies": series.copies,
            "active": series.active,
            "four_eyes": series.four_eyes,
            "version": series.version,
        }


class IssueCreateForm(forms.Form):
    series = IdChoiceField(label="刊物", queryset=Series.objects.filter(active=True))
    issue_date = forms.DateField(
        label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    number = BoundedIntegerField(
        label="期号", min_value=1, required=False, help_text="留空则自动取下一期号"
    )


class HeaderForm(forms.Form):
    number = BoundedIntegerField(label="期号", min_value=1)
    total_number = BoundedIntegerField(label="总期号", min_value=1, required=False)
    issue_date = forms.DateField(
        label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    marks = forms.CharField(
        label="版头标注", required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    editor_note = forms.CharField(
        label="编者按", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)


class FooterForm(forms.Form):
    report_to = forms.CharField(label="报", max_length=300, required=False)
    send_to = forms.CharField(label="本期送", max_length=300, required=False)
    distribute_to = forms.CharField(label="发", max_length=300, required=False)
    extra_to = forms.CharField(label="本期增发", max_length=300, required=False)
    editors = forms.CharField(label="责任编辑", max_length=200, required=False)
    copies = BoundedIntegerField(label="印数", min_value=1, required=False)
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)


SOURCE_MODES = [("auto", "署来源单位"), ("none", "不署名"), ("custom", "自定义署名")]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=EntryKind.choices, initial=EntryKind.ITEM)
    section = forms.CharField(label="栏目", max_length=50, required=False)
    title = forms.CharField(label="标题", max_length=200, required=False)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 8}))
    source_mode = forms.ChoiceField(label="来源署名", choices=SOURCE_MODES, initial="auto")
    source_line = forms.CharField(label="自定义署名", max_length=200, required=False)
    version = BoundedIntegerField(widget=forms.HiddenInput, required=False)

    def source_value(self) -> str | None:
        """None prints the credited units, "" prints nothing, any text is printed as is."""
        mode = self.cleaned_data["source_mode"]
        if mode == "auto":
            return None
        return self.cleaned_data["source_line"].strip() if mode == "custom" else ""


class SubmissionPickForm(forms.Form):
    submissions = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    title = forms.CharField(label="综合标题", max_length=200, required=False)
    print_sources = forms.BooleanField(label="文末署各来源单位", required=False)

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submissions"].choices = [(pk, pk) for pk in ids]  # type: ignore[attr-defined]


def _ids(value: str) -> list[int]:
    """「12,7,9」 → [12, 7, 9]; anything else is refused."""
    try:
        ids = [int(part) for part in (value or "").split(",") if part.strip()]
    except ValueError as error:
        raise forms.ValidationError("排序数据无效，请刷新页面后重试。") from error
    if not ids or any(pk < 1 for pk in ids):
        raise forms.ValidationError("排序数据无效，请刷新页面后重试。")
    return ids


class EntryOrderForm(forms.Form):
    """A dropped entry: the new order and the order the page showed before the drop."""

    order = forms.CharField(max_length=10_000)
    before = forms.CharField(max_length=10_000)
    version = BoundedIntegerField(required=False)

    def clean_order(self) -> list[int]:
        return _ids(self.cleaned_data["order"])

    def clean_before(self) -> list[int]:
        return _ids(self.cleaned_data["before"])


class MergeForm(forms.Form):
    """The merge editor: the merged title and text written by the editor."""

    submissions = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    title = forms.CharField(label="综合标题", max_length=200, required=False)
    body = forms.CharField(
        label="综合正文",
        max_length=100_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="每段一行，第一段的首句即导语；留空则按来源顺序连接各篇正文。",
    )
    section = forms.CharField(label="栏目", max_length=50, required=False)
    print_sources = forms.BooleanField(label="文末署各来源单位", required=False)

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submissions"].choices = [(pk, pk) for pk in ids]  # type: ignore[attr-defined]


class IssueTransitionForm(forms.Form):
    action = forms.CharField()
    reason = forms.CharField(required=False)
    version = BoundedIntegerField(required=False)


class CorrectionForm(forms.Form):
    notice = forms.CharField(label="更正说明", widget=forms.Textarea(attrs={"rows": 3}))
