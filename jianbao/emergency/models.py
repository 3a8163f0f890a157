"""Emergency reports (紧急信息): a thread of 初报/续报/终报 from one unit, with time limits, and
the 送阅件 the office compiles from it for leaders."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jianbao.accounts.models import Unit


class ThreadState(models.TextChoices):
    OPEN = "open", "续报中"
    FINAL = "final", "已终报"


class ReportKind(models.TextChoices):
    INITIAL = "initial", "初报"
    FOLLOWUP = "followup", "续报"
    FINAL = "final", "终报"


class EmergencyThread(models.Model):
    """One sudden event reported by a unit; the start is stamped when 「紧急信息」 is pressed."""

    unit = models.ForeignKey(
        Unit, verbose_name="报送单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("事件标题", max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("开始时间", db_index=True)
    state = models.CharField(
        "状态", max_length=10, choices=ThreadState.choices, default=ThreadState.OPEN
    )
    next_due_at = models.DateTimeField("下次报送期限", null=True, blank=True)
    # The compiled 送阅件 (typeset with its own masthead), stored with its SHA-256.
    compiled_pdf = models.FileField(upload_to="emergency/%Y/", blank=True)
    compiled_sha256 = models.CharField(max_length=64, blank=True)
    compiled_at = models.DateTimeField("送阅时间", null=True, blank=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "紧急信息"
        verbose_name_plural = "紧急信息"

    def __str__(self) -> str:
        return self.title


class EmergencyReport(models.Model):
    """One written report of the thread, with the standard elements (要素)."""

    thread = models.ForeignKey(EmergencyThread, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField("类型", max_length=10, choices=ReportKind.choices)
    occurred = models.CharField("事发时间", max_length=100)
    place = models.CharField("事发地点", max_length=200)
    what = models.TextField("事件经过")
    casualties = models.TextField("伤亡和损失", blank=True)
    causes = models.TextField("原因", blank=True)
    measures = models.TextField("已采取的措施", blank=True)
    next_steps = models.TextField("下一步工作", blank=True)
    contact = models.CharField("联系人及电话", max_length=100)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField("报送时间")
    due_at = models.DateTimeField("报送期限")
    late = models.BooleanField("逾期", default=False)

    class Meta:
        ordering = ["reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread} {self.get_kind_display()}"
