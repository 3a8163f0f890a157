"""考核: unit classes, rule-set versions, instructions (批示), the points ledger, recompute runs,
objections (异议) and frozen periods.

Facts are records, points are derived: `LedgerEvent` rows are written only by a confirmed
`RecomputeRun` (or an accepted objection's correction) from the pure engine in `jianbao.scoring`.

Interfaces other code relies on (helper `rankings` builds on them):
- `LedgerEvent`: one line of the ledger — `unit`, `unit_class` (as scored), `date` (the day it
  counts on: the fact's date, or a quota period's last day), `period_start`/`period_end` (the
  quota period, or the fact's date twice), `kind` (`LedgerKind`), `points` (Decimal, negative
  for penalties), `explanation`/`share_note` (Chinese), `rule_ref`, `fact_type`/`fact_id`,
  `rule_set_version`, `run`, `computed_at`.
- `ScoringFreeze`: a date range whose figures a published 通报 froze; recompute refuses it.
- `unit_class_map()` in selectors gives every unit's class.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jianbao.accounts.models import Unit, UnitKind
from jianbao.bulletins.models import Entry
from jianbao.submissions.models import Submission


class UnitClass(models.Model):
    """A class of units ranked separately (区直单位, 街道, 镇 …); quotas may differ per class."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveIntegerField("排序", default=100)
    # Units of this kind belong here unless assigned to another class explicitly.
    default_for_kind = models.CharField(
        "默认单位类别", max_length=20, choices=UnitKind.choices, blank=True
    )
    units: models.ManyToManyField[Unit, UnitClassMembership] = models.ManyToManyField(
        Unit, through="UnitClassMembership", related_name="+", verbose_name="单位"
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "考核分类"
        verbose_name_plural = "考核分类"

    def __str__(self) -> str:
        return self.name


class UnitClassMembership(models.Model):
    """An explicit assignment of a unit to a class (otherwise its kind decides)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="score_class")
    unit_class = models.ForeignKey(UnitClass, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.unit} → {self.unit_class}"


class RuleSetVersion(models.Model):
    """A version of the scoring rules, in force from its date until the next version's."""

    name = models.CharField("名称", max_length=100)
    effective_from = models.DateField("生效日期", unique=True)
    rules = models.JSONField("规则")  # the engine's rule JSON (jianbao.scoring.rules_from_json)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "计分规则版本"
        verbose_name_plural = "计分规则版本"

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d} 起）"


class LeaderLevel(models.TextChoices):
    DISTRICT = "district", "区领导"
    CITY = "city", "市领导"
    PROVINCE = "province", "省领导"
    CENTRAL = "central", "中央领导"
    STATE_COUNCIL = "state_council", "国务院领导"


class Instruction(models.Model):
    """A leader's instruction (批示) on a submission and/or a printed entry."""

    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="instructions"
    )
    leader_name = models.CharField("批示领导", max_length=50)
    leader_level = models.CharField("领导级别", max_length=20, choices=LeaderLevel.choices)
    text = models.TextField("批示内容", blank=True)
    date = models.DateField("批示日期")
    evidence = models.FileField("佐证材料", upload_to="instructions/%Y/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"], name="instruction_date_idx")]
        verbose_name = "批示"
        verbose_name_plural = "批示"

    def __str__(self) -> str:
        return f"{self.leader_name}批示（{self.date:%Y-%m-%d}）"


class LedgerKind(models.TextChoices):
    ADOPTION = "adoption", "采用"
    INSTRUCTION = "instruction", "批示"
    QUOTA_MET = "quota_met", "完成定额"
    QUOTA_ABOVE = "quota_above", "超额"
    QUOTA_SHORTFALL = "quota_shortfall", "未完成定额"
    COMMISSION_MISSED = "commission_missed", "约稿未报"
    COMMISSION_LATE = "commission_late", "约稿逾期"
    FEEDBACK_MISSED = "feedback_missed", "反馈未报"
    FEEDBACK_LATE = "feedback_late", "反馈逾期"
    CORRECTION = "correction", "更正"


class RunState(models.TextChoices):
    PREVIEWED = "previewed", "待确认"
    CONFIRMED = "confirmed", "已确认"


class RecomputeRun(models.Model):
    """An explicit, audited recomputation of a date range: previewed, then confirmed."""

    start = models.DateField("起")
    end = models.DateField("止")
    state = models.CharField(
        "状态", max_length=20, choices=RunState.choices, default=RunState.PREVIEWED
    )
    diff = models.JSONField("差异", default=dict, blank=True)
    events_count = models.PositiveIntegerField("明细条数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    via = models.CharField("来源", max_length=10, default="web")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "重新计分"
        verbose_name_plural = "重新计分"

    def __str__(self) -> str:
        return f"重新计分 {self.start}～{self.end}"


class LedgerEvent(models.Model):
    """One line of the points ledger, derived from a fact by a rule (never edited by hand)."""

    # Foreign keys without their own index: every index costs the recompute's bulk replace of
    # a year (~60,000 lines at province scale) on insert and on delete. Lines per unit use
    # `ledger_unit_date_idx`; classes, versions and runs are deleted rarely, if ever.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    unit_class = models.ForeignKey(
        UnitClass,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    date = models.DateField("计分日期")
    period_start = models.DateField()
    period_end = models.DateField()
    kind = models.CharField("类型", max_length=30, choices=LedgerKind.choices)
    points = models.DecimalField("分值", max_digits=10, decimal_places=2)
    explanation = models.CharField("说明", max_length=300)
    share_note = models.CharField("分享说明", max_length=100, blank=True)
    rule_ref = models.CharField("规则", max_length=200, blank=True)
    fact_type = models.CharField(max_length=30)
    fact_id = models.CharField(max_length=50)
    rule_set_version = models.ForeignKey(
        RuleSetVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    run = models.ForeignKey(
        RecomputeRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "unit_id", "kind", "pk"]
        # By date: `rank_ledger_date_unit_pts` (date, unit_id, points; migration 0004).
        indexes = [models.Index(fields=["unit", "date"], name="ledger_unit_date_idx")]
        verbose_name = "计分明细"
        verbose_name_plural = "计分明细"

    def __str__(self) -> str:
        return f"{self.unit} {self.date} {self.points}"


class ObjectionState(models.TextChoices):
    OPEN = "open", "待处理"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "已驳回"


class Objection(models.Model):
    """A unit's objection (异议) to a ledger line or to a period's figures."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(
        LedgerEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so a recompute (which replaces ledger lines) never loses what was disputed.
    event_summary = models.CharField("异议明细", max_length=300, blank=True)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    reason = models.TextField("理由")
    state = models.CharField(
        "状态", max_length=20, choices=ObjectionState.choices, default=ObjectionState.OPEN
    )
    answer = models.TextField("答复", blank=True)
    correction_points = models.DecimalField(
        "更正分值", max_digits=10, decimal_places=2, null=True, blank=True
    )
    correction_date = models.DateField("更正计入日期", null=True, blank=True)
    correction_event = models.ForeignKey(
        LedgerEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "异议"
        verbose_name_plural = "异议"

    def __str__(self) -> str:
        return f"{self.unit} 异议（{self.get_state_display()}）"


class ScoringFreeze(models.Model):
    """A date range whose figures a published 通报 froze: recompute refuses to touch it."""

    start = models.DateField("起")
    end = models.DateField("止")
    reason = models.CharField("原因", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-start"]
        verbose_name = "冻结期间"
        verbose_name_plural = "冻结期间"

    def __str__(self) -> str:
        return f"{self.start}～{self.end} 已冻结"


# The published 通报 lives in its own module (helper `rankings`); imported here so Django sees it.
from jianbao.assessment.models_reports import ReportFile, ReportPublication  # noqa: E402, F401
