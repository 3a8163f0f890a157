"""The office's proofreading choices: terms it ignores and rules it switched off."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IgnoredTerm(models.Model):
    """A text the office has told the proofreader to stop flagging (e.g. a place name)."""

    term = models.CharField("词语", max_length=100, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "忽略的词语"
        verbose_name_plural = "忽略的词语"

    def __str__(self) -> str:
        return self.term


class DisabledRule(models.Model):
    """A proofreading rule the office switched off."""

    rule = models.CharField("规则", max_length=50, unique=True)
    disabled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    disabled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "停用的校对规则"
        verbose_name_plural = "停用的校对规则"

    def __str__(self) -> str:
        return self.rule
