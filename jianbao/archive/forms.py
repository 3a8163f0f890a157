"""Forms of the archive import pages: the upload, the masthead, the entries, unit names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from jianbao.accounts.models import Unit
from jianbao.archive.services import EntryEdit
from jianbao.bounds import MAX_IDS
from jianbao.bulletins.forms import split_names
from jianbao.bulletins.models import EntryKind
from jianbao.formfields import BoundedIntegerField, IdChoiceField
from jianbao.submissions.forms import MultipleFileField, MultipleFileInput

MAX_FILES = 500


class UploadForm(forms.Form):
    uploads = MultipleFileField(
        label="历史简报文件",
        help_text="可多选：.txt、.docx、.pdf",
        widget=MultipleFileInput(attrs={"accept": ".txt,.docx,.pdf"}),
    )

    def clean_uploads(self) -> list[Any]:
        files = self.cleaned_data["uploads"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一次最多上传 {MAX_FILES} 个文件。")
        return files


class MastheadForm(forms.Form):
    version = BoundedIntegerField(widget=forms.HiddenInput)
    series = forms.CharField(label="刊名", max_length=50, required=False)
    year = BoundedIntegerField(label="年度", min_value=1949, max_value=2100, required=False)
    number = BoundedIntegerField(label="期号", min_value=1, required=False)
    total_number = BoundedIntegerField(label="总期号", min_value=1, required=False)
    date = forms.DateField(
        label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    organ = forms.CharField(label="编发机关", max_length=100, required=False)


class UnitChoiceForm(forms.Form):
    """What to do with one unknown source name."""

    name = forms.CharField(max_length=100)
    action = forms.ChoiceField(
        choices=[("map", "对应"), ("create", "新建"), ("leave", "不计入"), ("unleave", "撤销")]
    )
    unit = IdChoiceField(queryset=Unit.objects.filter(active=True), required=False)


class SkipForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500)


class CancelForm(forms.Form):
    """Why a batch is cancelled (optional)."""

    reason = forms.CharField(label="取消理由", max_length=200, required=False)


def entries_from_post(data: QueryDict) -> list[EntryEdit] | None:
    """The entry rows of the review form (entry-N-*), without those marked for removal."""
    if "entry-count" not in data:
        return None  # a masthead-only form: the entries stay as they are
    try:
        count = min(int(data.get("entry-count", "0")), MAX_IDS)  # a count, not a loop to run
    except ValueError:
        count = 0
    edits: list[EntryEdit] = []
    for index in range(count):
        prefix = f"entry-{index}-"
        if data.get(prefix + "remove"):
            continue
        kind = data.get(prefix + "kind", EntryKind.ITEM)
        edits.append(
            {
                "kind": kind,
                "section": data.get(prefix + "section", ""),
                "title": data.get(prefix + "title", ""),
                "body": data.get(prefix + "body", ""),
                "source_units": split_names(data.get(prefix + "sources", "")),
            }
        )
    return edits
