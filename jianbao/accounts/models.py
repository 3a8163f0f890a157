"""Units, users with roles, API tokens and the audit trail."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class UnitKind(models.TextChoices):
    DISTRICT_OFFICE = "office", "区直单位"
    SUBDISTRICT = "subdistrict", "街道"
    TOWN = "town", "镇"
    OTHER = "other", "其他"


class Unit(models.Model):
    """A reporting unit (区直单位, 街道, 镇)."""

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("类别", max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)
    order = models.PositiveIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)
    requires_approval = models.BooleanField(
        "报送前需单位审核",
        default=False,
        help_text="开启后，本单位信息须经单位审核人同意方可报送。",
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.short_name or self.name


class UnitAlias(models.Model):
    """Another name a unit goes by (「区委宣传部」 = 「中共上街区委宣传部」)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField("别名", max_length=100, unique=True)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    REPORTER = "reporter", "信息员"
    UNIT_APPROVER = "unit_approver", "单位审核人"
    EDITOR = "editor", "编辑"
    CHIEF = "chief", "签发人"
    LEADER = "leader", "领导"
    ADMIN = "admin", "管理员"
    AUDITOR = "auditor", "审计员"


class User(AbstractUser):
    """A person with one unit and any number of roles."""

    display_name = models.CharField("姓名", max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_reporter = models.BooleanField("信息员", default=False)
    is_unit_approver = models.BooleanField("单位审核人", default=False)
    is_editor = models.BooleanField("编辑", default=False)
    is_chief = models.BooleanField("签发人", default=False)
    is_leader = models.BooleanField("领导", default=False)
    is_auditor = models.BooleanField("审计员", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField(
        "下次登录须修改密码",
        default=False,
        help_text="以初始密码创建或由管理员重设密码的账号，登录后必须先修改密码。",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def roles(self) -> list[Role]:
        """The roles this user holds, in the order of `Role`."""
        flags = {
            Role.REPORTER: self.is_reporter,
            Role.UNIT_APPROVER: self.is_unit_approver,
            Role.EDITOR: self.is_editor,
            Role.CHIEF: self.is_chief,
            Role.LEADER: self.is_leader,
            Role.ADMIN: self.is_superuser,
            Role.AUDITOR: self.is_auditor,
        }
        return [role for role, held in flags.items() if held]

    @property
    def is_office_staff(self) -> bool:
        """Editors and chiefs work in the bulletin office and see every submitted item."""
        return self.is_editor or self.is_chief


class PasswordHistory(models.Model):
    """A password hash the user had, so the last few cannot be chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A signed-in session of a user, so that all of them can be ended at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="web_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


def default_token_expiry() -> datetime:
    """JIANBAO_TOKEN_DAYS from now."""
    return timezone.now() + timedelta(days=settings.JIANBAO_TOKEN_DAYS)


class ApiToken(models.Model):
    """A token for integrations; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    expires_at = models.DateTimeField("有效期至", default=default_token_expiry)
    read_only = models.BooleanField("只读", default=False, help_text="只读令牌只能查询（GET）。")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Outcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail (see `audit_chain`).

    Rows are never updated or deleted (a database trigger refuses it); who acted is captured as
    text at write time, so the record stays readable after the account or its unit changes.
    """

    sequence = models.PositiveBigIntegerField("序号", unique=True, null=True, editable=False)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name="用户", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField("用户名", max_length=150, blank=True)
    actor_display = models.CharField("姓名", max_length=50, blank=True)
    actor_unit = models.CharField("单位", max_length=100, blank=True, db_index=True)
    action = models.CharField("事件", max_length=50, db_index=True)
    object_type = models.CharField("对象类型", max_length=50, blank=True)
    object_id = models.CharField("对象编号", max_length=50, blank=True)
    outcome = models.CharField(
        "结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS, db_index=True
    )
    detail = models.JSONField("详情", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    prev_hash = models.CharField("前序哈希", max_length=64, blank=True)
    hash = models.CharField("哈希", max_length=64, blank=True)

    class Meta:
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.created_at:%Y-%m-%d %H:%M} {self.action}"


class AuditChainHead(models.Model):
    """The newest link of the audit chain (one row); appends lock it to take turns."""

    sequence = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.hash[:12]}"
