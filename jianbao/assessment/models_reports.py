"""The published 通报 (信息工作情况通报): a period's ranking frozen with its files.

Publishing a 通报 freezes the period's figures: the ranking is kept as a JSON snapshot, the
XLSX/DOCX/PDF files with their SHA-256, and a `ScoringFreeze` row makes recompute refuse the
period. A later correction is a new edition of the same 通报 (like issues), never an edit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jianbao.assessment.models import ScoringFreeze, UnitClass
from jianbao.bulletins.models import Series


class ReportPublication(models.Model):
    """One edition of a 通报 for a period (and optionally one unit class)."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("期号")
    edition = models.PositiveSmallIntegerField("版次", default=1)
    issue_date = models.DateField("印发日期")
    title = models.CharField("标题", max_length=100)
    introduction = models.TextField("导语", blank=True)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    period_key = models.CharField("期间", max_length=30)
    unit_class = models.ForeignKey(
        UnitClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The ranking as published: [{"class": …, "lines": [{"rank", "unit", "points", …}], …}].
    snapshot = models.JSONField("冻结数据")
    freeze = models.ForeignKey(ScoringFreeze, on_delete=models.PROTECT, related_name="+")
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("印发时间")

    class Meta:
        ordering = ["-period_start", "-edition", "-pk"]
        verbose_name = "通报"
        verbose_name_plural = "通报"
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number", "edition"], name="report_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["period_start", "period_end"], name="report_period_idx"),
        ]

    def __str__(self) -> str:
        label = f"{self.title}（{self.series.title} {self.year}年第{self.number}期）"
        return label if self.edition == 1 else f"{label} 更正版{self.edition - 1}"


class ReportFile(models.Model):
    """A file of a published 通报, frozen with its SHA-256."""

    publication = models.ForeignKey(
        ReportPublication, on_delete=models.PROTECT, related_name="files"
    )
    format = models.CharField(max_length=10)
    file = models.FileField(upload_to="reports/%Y/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["publication", "format"], name="report_file_unique")
        ]

    def __str__(self) -> str:
        return f"{self.publication} {self.format}"
