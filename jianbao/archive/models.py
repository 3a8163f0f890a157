"""Archive import: a batch of uploaded past issues, and one item per file with its parse."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianbao.bulletins.models import Issue


class BatchState(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "出错"
    # The process working on it died (found by jianbao/operations/stale_tasks.py): resumable.
    INTERRUPTED = "interrupted", "已中断"
    CANCELLED = "cancelled", "已取消"


# A batch in one of these states has no work going on: an editor may resume or cancel it, and its
# open files no longer block a new upload of the same bytes.
STOPPED_STATES = frozenset({BatchState.FAILED, BatchState.INTERRUPTED, BatchState.CANCELLED})
RESUMABLE_STATES = frozenset({BatchState.FAILED, BatchState.INTERRUPTED})
CANCELLABLE_STATES = frozenset(
    {BatchState.PENDING, BatchState.RUNNING, BatchState.FAILED, BatchState.INTERRUPTED}
)


class BatchSource(models.TextChoices):
    WEB = "web", "网页上传"
    API = "api", "接口"
    CLI = "cli", "命令行"


class ItemState(models.TextChoices):
    PENDING = "pending", "待解析"
    PARSED = "parsed", "可导入"
    NEEDS_REVIEW = "needs_review", "待核对"
    IMPORTED = "imported", "已导入"
    SKIPPED = "skipped", "已跳过"
    FAILED = "failed", "失败"


# Items still waiting for an editor (or the parser); the others are finished for good.
OPEN_STATES = frozenset({ItemState.PENDING, ItemState.PARSED, ItemState.NEEDS_REVIEW})
REVIEWABLE_STATES = frozenset({ItemState.PARSED, ItemState.NEEDS_REVIEW})


class ImportBatch(models.Model):
    """Files uploaded (or named on the command line) together, with the progress of their work."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(
        "来源", max_length=10, choices=BatchSource.choices, default=BatchSource.WEB
    )
    state = models.CharField(
        "状态", max_length=20, choices=BatchState.choices, default=BatchState.PENDING
    )
    # What the background work is doing now: 「parse」 the files or 「confirm」 the ready ones.
    phase = models.CharField(max_length=10, default="parse")
    total = models.PositiveIntegerField("文件数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    message = models.TextField("说明", blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"

    def __str__(self) -> str:
        return f"导入批次 {self.pk}"


class ImportItem(models.Model):
    """One file of a batch: the stored original, its parse, the editor's corrections, the result."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=0)
    original_name = models.CharField("文件名", max_length=255)
    # Empty for a file skipped as a duplicate: the first copy is already stored.
    file = models.FileField(upload_to="archive/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, db_index=True)
    format = models.CharField("格式", max_length=10, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=ItemState.choices, default=ItemState.PENDING
    )
    text = models.TextField("原文", blank=True)
    parsed = models.JSONField("解析结果", default=dict, blank=True)
    # Source names the editor chose to keep as printed text only, without crediting a unit.
    unattributed = models.JSONField("不对应单位的名称", default=list, blank=True)
    message = models.TextField("说明", blank=True)
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["batch", "order", "pk"]
        verbose_name = "导入文件"
        verbose_name_plural = "导入文件"
        constraints = [
            # The same bytes become an issue once; a later copy is skipped, never stored twice.
            models.UniqueConstraint(
                fields=["sha256"],
                condition=Q(state="imported"),
                name="import_item_sha256_imported_once",
            )
        ]
        indexes = [models.Index(fields=["state"], name="import_item_state_idx")]

    def __str__(self) -> str:
        return self.original_name
