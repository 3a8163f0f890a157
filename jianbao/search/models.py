"""The search index: one row per searchable document, plus a full-text table per database."""

from __future__ import annotations

from django.db import models


class DocType(models.TextChoices):
    SUBMISSION = "submission", "稿件"
    ENTRY = "entry", "简报条目"
    ARCHIVE_ENTRY = "archive_entry", "历史档案"


class SearchDocument(models.Model):
    """A copy of what a result shows, with the tags that decide who may see it.

    The full-text structure lives beside it (FTS5 `search_fts` on SQLite, `search_tsv` on
    PostgreSQL) keyed by this row's id; `tokens` keeps the indexed words because a contentless
    FTS5 table on SQLite 3.40 can only delete a row when given the words it was indexed under.
    """

    doc_type = models.CharField(max_length=20, choices=DocType.choices)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    unit_ids = models.JSONField(default=list, blank=True)
    unit_names = models.CharField(max_length=500, blank=True)
    series = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    date = models.DateField(null=True, blank=True)
    visibility = models.CharField(max_length=200, blank=True)
    tokens = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "object_id"], name="search_doc_unique")
        ]
        indexes = [
            models.Index(fields=["date", "id"], name="search_doc_date_idx"),
            # Index keys → object ids for a list's word filter (2,000 at a time) without
            # reading the documents' bodies and tokens: 5.5 → ~1 ms.
            models.Index(fields=["id", "object_id"], name="search_doc_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.object_id} {self.title[:30]}"
