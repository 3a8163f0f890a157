"""Distribution (分发签收): who receives each series' issues, and one receipt per issue × person.

A series keeps recipient lists (`SeriesRecipient`) that map its 报/送/发/增发 lines to real
people: one user, every reader of a unit, everyone holding a role, or a named `RecipientGroup`
(「区县处级领导」). Publishing an issue opens its `Distribution`; a background task resolves the
lists into one `Receipt` per recipient (unique per issue × person, so running it twice changes
nothing), where the first read and the acknowledgement (签收) are recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianbao.accounts.models import Unit
from jianbao.bulletins.models import Issue, Series


class Line(models.TextChoices):
    """The footer lines of an issue, in print order."""

    REPORT = "report", "报"
    SEND = "send", "送"
    DISTRIBUTE = "distribute", "发"
    EXTRA = "extra", "增发"


LINE_ORDER = {line: i for i, line in enumerate(Line.values)}


class RecipientKind(models.TextChoices):
    USER = "user", "个人"
    UNIT = "unit", "单位"
    ROLE = "role", "角色"
    GROUP = "group", "分组"


class RecipientRole(models.TextChoices):
    """The reading roles a whole role can be addressed by."""

    LEADER = "leader", "全部领导"
    UNIT_APPROVER = "unit_approver", "全部单位审核人（单位负责同志）"
    REPORTER = "reporter", "全部信息员"


class RecipientGroup(models.Model):
    """A named list of people (「区县处级领导」), kept by the office."""

    name = models.CharField("名称", max_length=50, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="成员", related_name="recipient_groups", blank=True
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        verbose_name = "分发分组"
        verbose_name_plural = "分发分组"

    def __str__(self) -> str:
        return self.name


class SeriesRecipient(models.Model):
    """One addressee on one line of a series' distribution list."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="recipients")
    line = models.CharField("报尾行", max_length=12, choices=Line.choices)
    kind = models.CharField("类型", max_length=8, choices=RecipientKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField("角色", max_length=20, choices=RecipientRole.choices, blank=True)
    group = models.ForeignKey(
        RecipientGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="uses"
    )
    paper = models.BooleanField("纸质件", default=False, help_text="另送纸质件，按份号登记")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["series", "line", "pk"]
        verbose_name = "分发对象"
        verbose_name_plural = "分发对象"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="user", user__isnull=False, unit__isnull=True, group__isnull=True)
                    | Q(kind="unit", unit__isnull=False, user__isnull=True, group__isnull=True)
                    | Q(kind="group", group__isnull=False, user__isnull=True, unit__isnull=True)
                    | Q(
                        kind="role",
                        user__isnull=True,
                        unit__isnull=True,
                        group__isnull=True,
                        role__gt="",
                    )
                ),
                name="series_recipient_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_line_display()}：{self.target_label}"

    @property
    def target_label(self) -> str:
        if self.kind == RecipientKind.USER:
            return str(self.user)
        if self.kind == RecipientKind.UNIT:
            return str(self.unit)
        if self.kind == RecipientKind.GROUP:
            return str(self.group)
        return self.get_role_display()


class DistributionState(models.TextChoices):
    PENDING = "pending", "分发中"
    DELIVERED = "delivered", "已送达"


class Distribution(models.Model):
    """Delivering one published issue: queued on publish, finished by the background task."""

    issue = models.OneToOneField(Issue, on_delete=models.PROTECT, related_name="distribution")
    state = models.CharField(
        "状态", max_length=12, choices=DistributionState.choices, default=DistributionState.PENDING
    )
    note = models.CharField("说明", max_length=300, blank=True)  # a correction's notice
    print_count = models.PositiveIntegerField("印数", null=True, blank=True)
    recipients = models.PositiveIntegerField("送达人数", default=0)
    paper_copies = models.PositiveIntegerField("纸质份数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    queued_at = models.DateTimeField()  # the last time its task was queued (the sweep re-queues)
    attempts = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    last_reminded_at = models.DateTimeField("最近催阅", null=True, blank=True)

    class Meta:
        verbose_name = "分发"
        verbose_name_plural = "分发"
        indexes = [models.Index(fields=["state", "queued_at"], name="distribution_state_idx")]

    def __str__(self) -> str:
        return f"{self.issue} {self.get_state_display()}"


class Receipt(models.Model):
    """One issue delivered to one person: when it arrived, was first opened and signed for."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="receipts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="receipts"
    )
    line = models.CharField("报尾行", max_length=12, choices=Line.choices)
    via = models.CharField("分发依据", max_length=100, blank=True)  # group, unit or role name
    copy_number = models.PositiveIntegerField("份号", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间")
    first_read_at = models.DateTimeField("首次阅读", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    reminded_at = models.DateTimeField("最近催阅", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("催阅次数", default=0)

    class Meta:
        ordering = ["issue", "pk"]
        verbose_name = "签收记录"
        verbose_name_plural = "签收记录"
        constraints = [
            models.UniqueConstraint(fields=["issue", "recipient"], name="receipt_issue_recipient"),
            models.UniqueConstraint(
                fields=["issue", "copy_number"],
                condition=Q(copy_number__isnull=False),
                name="receipt_issue_copy_number",
            ),
        ]
        indexes = [
            # 收件: a person's receipts, unread first, newest first.
            models.Index(
                fields=["recipient", "first_read_at", "-delivered_at"], name="receipt_inbox_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.recipient_id}"
