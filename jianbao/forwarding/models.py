"""转报: printed items the office forwards to a higher office as a DOCX package. What the higher
office later does with them is recorded as an outside adoption (`bulletins.Adoption`,
forwarded=True) through the scoring services: one model for adoptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jianbao.bulletins.models import Entry


class ForwardPackage(models.Model):
    """One forwarding: the items, where they went, and the DOCX sent (with its SHA-256)."""

    to_office = models.CharField("报送单位", max_length=100)
    note = models.CharField("说明", max_length=300, blank=True)
    entries: models.ManyToManyField[Entry, ForwardItem] = models.ManyToManyField(
        Entry, through="ForwardItem", related_name="+", verbose_name="转报条目"
    )
    docx = models.FileField(upload_to="forwarding/%Y/")
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("转报时间")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "转报"
        verbose_name_plural = "转报"

    def __str__(self) -> str:
        return f"转报{self.to_office}（{self.created_at:%Y-%m-%d}）"


class ForwardItem(models.Model):
    package = models.ForeignKey(ForwardPackage, on_delete=models.CASCADE, related_name="items")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["package", "entry"], name="forward_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.package_id}/{self.entry_id}"
