"""In-app notifications, their channel deliveries, per-user preferences and office webhooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class NotificationKind(models.TextChoices):
    SUBMISSION_RETURNED = "submission_returned", "退回修改"
    SUBMISSION_SENT_BACK = "submission_sent_back", "单位审核退回"
    SUBMISSION_AWAITING_APPROVAL = "submission_awaiting_approval", "待单位审核"
    SUBMISSION_ADOPTED = "submission_adopted", "信息被采用"
    SUBMISSION_PRINTED = "submission_printed", "信息刊发"
    COMMISSION_RECEIVED = "commission_received", "收到约稿"
    COMMISSION_DUE_TOMORROW = "commission_due_tomorrow", "约稿明日截止"
    COMMISSION_OVERDUE = "commission_overdue", "约稿逾期"
    COMMISSION_ANSWERED = "commission_answered", "约稿有回复"
    COMMENT_POSTED = "comment_posted", "稿件留言"
    ISSUE_AWAITING_SIGNATURE = "issue_awaiting_signature", "待签发"
    ISSUE_PUBLISHED = "issue_published", "简报印发"
    ISSUE_DELIVERED = "issue_delivered", "收到简报"
    ISSUE_READ_REMINDER = "issue_read_reminder", "催阅"
    INSTRUCTION_TASK = "instruction_task", "批示督办"
    INSTRUCTION_FEEDBACK = "instruction_feedback", "批示反馈"
    EMERGENCY_REPORT = "emergency_report", "紧急信息"
    EMERGENCY_FORWARDED = "emergency_forwarded", "送阅件"
    OBJECTION_SUBMITTED = "objection_submitted", "计分异议"
    OBJECTION_ANSWERED = "objection_answered", "异议答复"


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    WEBHOOK = "webhook", "群机器人"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class WebhookFlavour(models.TextChoices):
    WECOM = "wecom", "企业微信"
    DINGTALK = "dingtalk", "钉钉"
    FEISHU = "feishu", "飞书"


class Notification(models.Model):
    """One message to one person, shown under the bell until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=40, choices=NotificationKind.choices)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间")
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        indexes = [
            # The bell and the "unread" list: a user's unread rows, newest first.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_all_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """Sending one notification through one channel (e-mail or an office webhook), with retries."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    webhook = models.ForeignKey(
        "OfficeWebhook", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    address = models.CharField("收件地址", max_length=254, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=500, blank=True)
    next_attempt_at = models.DateTimeField("下次尝试")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "消息投递"
        verbose_name_plural = "消息投递"
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_state_display()}"


class NotificationPreference(models.Model):
    """What one person wants: kinds they mute, kinds also sent by e-mail, quiet hours."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    muted_kinds = models.JSONField("不提醒的类型", default=list, blank=True)
    email_kinds = models.JSONField("邮件提醒的类型", default=list, blank=True)
    quiet_start = models.TimeField("免打扰开始", null=True, blank=True)
    quiet_end = models.TimeField("免打扰结束", null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "提醒设置"
        verbose_name_plural = "提醒设置"

    def __str__(self) -> str:
        return f"{self.user} 的提醒设置"


class OfficeWebhook(models.Model):
    """The robot webhook of an office messaging group (企业微信 / 钉钉 / 飞书); off by default."""

    name = models.CharField("名称", max_length=100)
    url = models.URLField("Webhook 地址", max_length=500)
    flavour = models.CharField("类型", max_length=20, choices=WebhookFlavour.choices)
    enabled = models.BooleanField("启用", default=False)
    kinds = models.JSONField("推送的消息类型", default=list, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"

    def __str__(self) -> str:
        return f"{self.name}（{self.get_flavour_display()}）"
