"""批示督办: the follow-up of a leader's instruction (批示). The instruction itself is the one
`assessment.Instruction` (scoring reads it); a `FollowUp` adds the units that must act, the due
date and the feedback rounds (反馈, 追问)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jianbao.accounts.models import Unit
from jianbao.assessment.models import Instruction


class FollowUpState(models.TextChoices):
    OPEN = "open", "督办中"
    CLOSED = "closed", "已办结"


class TargetState(models.TextChoices):
    PENDING = "pending", "待反馈"
    ANSWERED = "answered", "已反馈"


class FollowUp(models.Model):
    """An instruction the office follows up: units must report back by a due date."""

    instruction = models.OneToOneField(
        Instruction, on_delete=models.PROTECT, related_name="follow_up"
    )
    # The leader's own account when known (「我的批示」); paper instructions may have none.
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructions_given",
        verbose_name="批示领导账号",
    )
    due_date = models.DateField("反馈期限", db_index=True)
    state = models.CharField(
        "状态", max_length=10, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "批示督办"
        verbose_name_plural = "批示督办"

    def __str__(self) -> str:
        return str(self.instruction)


class FollowUpTarget(models.Model):
    """One unit that must act on an instruction, and how it reported back."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        "状态", max_length=10, choices=TargetState.choices, default=TargetState.PENDING
    )
    # The first feedback: what on time and late are judged by (scoring fact).
    first_answered_at = models.DateTimeField("首次反馈时间", null=True, blank=True)
    round = models.PositiveSmallIntegerField("轮次", default=1)
    round_due = models.DateField("本轮期限")
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["follow_up", "unit"], name="followup_target_unique")
        ]
        indexes = [models.Index(fields=["unit", "state"], name="followup_target_unit_state")]

    def __str__(self) -> str:
        return f"{self.follow_up_id}/{self.unit_id}: {self.state}"


class MessageKind(models.TextChoices):
    FEEDBACK = "feedback", "反馈"
    QUESTION = "question", "追问"


class FollowUpMessage(models.Model):
    """A unit's feedback (反馈) or the office's / leader's further question (追问)."""

    target = models.ForeignKey(FollowUpTarget, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField("类型", max_length=10, choices=MessageKind.choices)
    round = models.PositiveSmallIntegerField("轮次")
    text = models.TextField("内容")
    attachment = models.FileField("附件", upload_to="instructions/feedback/%Y/", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_id}"
