"""Forms of the notification pages: preferences and office webhooks."""

from __future__ import annotations

from django import forms

from jianbao.notifications.models import NotificationKind, WebhookFlavour


class PreferenceForm(forms.Form):
    inapp_kinds = forms.MultipleChoiceField(
        label="站内提醒",
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    email_kinds = forms.MultipleChoiceField(
        label="邮件提醒",
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quiet_start = forms.TimeField(
        label="免打扰开始", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(
        label="免打扰结束", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )


class WebhookForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    url = forms.CharField(label="Webhook 地址", max_length=500)
    flavour = forms.ChoiceField(label="类型", choices=WebhookFlavour.choices)
    enabled = forms.BooleanField(label="启用", required=False)
    kinds = forms.MultipleChoiceField(
        label="推送的消息类型",
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
