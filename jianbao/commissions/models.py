"""Commissions (约稿): the office asks units for items on a topic by a deadline in working days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianbao.accounts.models import Unit
from jianbao.submissions.models import Submission


class CommissionState(models.TextChoices):
    OPEN = "open", "征集中"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已撤销"


class TargetMode(models.TextChoices):
    ALL = "all", "全部单位"
    KIND = "kind", "某一类单位"
    CHOSEN = "chosen", "指定单位"


class TargetState(models.TextChoices):
    PENDING = "pending", "待报送"
    ANSWERED = "answered", "已按时报送"
    DECLINED = "declined", "无此情况"
    LATE = "late", "逾期报送"
    MISSED = "missed", "逾期未报"


def deadline_end(deadline: date) -> datetime:
    """The moment a deadline day ends, in the office's time zone."""
    return timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time.min))


class Commission(models.Model):
    """A request for items on a topic, addressed to units, due in working days."""

    title = models.CharField("约稿主题", max_length=200)
    description = models.TextField("说明与要求", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("发布时间")
    issued_on = models.DateField("发布日期")
    working_days = models.PositiveSmallIntegerField("期限（工作日）")
    deadline = models.DateField("截止日期", db_index=True)
    # The deadline crossed a year whose holiday arrangement is not published yet (weekends only).
    deadline_estimated = models.BooleanField(default=False)
    quota_per_unit = models.PositiveSmallIntegerField("每单位篇数", null=True, blank=True)
    target_mode = models.CharField(
        "约稿对象", max_length=10, choices=TargetMode.choices, default=TargetMode.CHOSEN
    )
    target_kind = models.CharField("单位类别", max_length=20, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=CommissionState.choices, default=CommissionState.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "约稿"
        verbose_name_plural = "约稿"
        indexes = [models.Index(fields=["state", "deadline"], name="commission_state_deadline")]

    def __str__(self) -> str:
        return self.title

    @property
    def deadline_end(self) -> datetime:
        return deadline_end(self.deadline)


class CommissionTarget(models.Model):
    """One unit a commission is addressed to, and how it answered."""

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        "状态", max_length=10, choices=TargetState.choices, default=TargetState.PENDING
    )
    # The first answer or 无此情况, whichever came first: what on time and late are judged by.
    answered_at = models.DateTimeField("报送时间", null=True, blank=True)
    declined = models.BooleanField("无此情况", default=False)
    decline_reason = models.TextField("说明", blank=True)
    due_reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["unit__order", "unit__name"]
        verbose_name = "约稿对象"
        verbose_name_plural = "约稿对象"
        constraints = [
            models.UniqueConstraint(fields=["commission", "unit"], name="commission_target_unique")
        ]
        indexes = [models.Index(fields=["unit", "state"], name="commission_target_unit_state")]

    def __str__(self) -> str:
        return f"{self.commission_id}/{self.unit_id}: {self.state}"


class CommissionAnswer(models.Model):
    """A submission a unit reported in answer to a commission (the link lives here, not on the
    submission, so that the submission desk knows nothing of commissions)."""

    target = models.ForeignKey(CommissionTarget, on_delete=models.CASCADE, related_name="answers")
    submission = models.ForeignKey(
        Submission, verbose_name="稿件", on_delete=models.CASCADE, related_name="+"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission"], name="commission_answer_submission")
        ]

    def __str__(self) -> str:
        return f"{self.target_id} ← {self.submission_id}"
