"""Writes to series (刊物)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.bulletins.models import Series
from jianbao.bulletins.policy import may_manage_series
from jianbao.bulletins.services.common import StaleIssueError


def _names(values: Iterable[str]) -> list[str]:
    return [value.strip() for value in values if value and value.strip()]


def _clean(*, title: str, organ: str, copies: int | None) -> tuple[str, str]:
    title = title.strip().strip("《》「」")
    organ = organ.strip()
    errors = {}
    if not title:
        errors["title"] = "刊名不能为空。"
    if not organ:
        errors["organ"] = "编发机关不能为空。"
    if copies is not None and copies <= 0:
        errors["copies"] = "印数应为正整数。"
    if errors:
        raise ValidationError(errors)
    return title, organ


@transaction.atomic
def do_create_series(
    *,
    actor: User,
    title: str,
    organ: str,
    yearly_numbering: bool = True,
    cumulative_numbering: bool = False,
    report_to: str = "",
    send_to: str = "",
    distribute_to: str = "",
    extra_to: str = "",
    editors: Iterable[str] = (),
    marks: Iterable[str] = (),
    copies: int | None = None,
    four_eyes: bool = True,
) -> Series:
    """Define a series with its masthead, numbering and default 报尾."""
    if not may_manage_series(actor):
        raise PermissionDenied("只有编辑和管理员可以设置刊物。")
    title, organ = _clean(title=title, organ=organ, copies=copies)
    if Series.objects.filter(title=title).exists():
        raise ValidationError({"title": f"刊物《{title}》已存在。"})
    series = Series.objects.create(
        title=title,
        organ=organ,
        yearly_numbering=yearly_numbering,
        cumulative_numbering=cumulative_numbering,
        report_to=report_to.strip(),
        send_to=send_to.strip(),
        distribute_to=distribute_to.strip(),
        extra_to=extra_to.strip(),
        editors=_names(editors),
        marks=_names(marks),
        copies=copies,
        four_eyes=four_eyes,
    )
    record_audit_event(
        action="series.create",
        actor=actor,
        object_type="series",
        object_id=series.pk,
        detail={"name": series.title, "four_eyes": four_eyes},
    )
    return series


@transaction.atomic
def do_update_series(
    *,
    series: Series,
    actor: User,
    expected_version: int | None = None,
    title: str,
    organ: str,
    yearly_numbering: bool,
    cumulative_numbering: bool,
    report_to: str,
    send_to: str,
    distribute_to: str,
    extra_to: str,
    editors: Iterable[str],
    marks: Iterable[str],
    copies: int | None,
    active: bool = True,
    four_eyes: bool | None = None,
) -> Series:
    """Change a series; issues already created keep the footer they were given.

    `four_eyes` None keeps the setting; every changed setting is recorded in the audit event.
    """
    if not may_manage_series(actor):
        raise PermissionDenied("只有编辑和管理员可以设置刊物。")
    current = Series.objects.select_for_update().get(pk=series.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleIssueError(current)
    before = _settings_of(current)
    title, organ = _clean(title=title, organ=organ, copies=copies)
    if Series.objects.filter(title=title).exclude(pk=current.pk).exists():
        raise ValidationError({"title": f"刊物《{title}》已存在。"})
    current.title, current.organ = title, organ
    current.yearly_numbering, current.cumulative_numbering = yearly_numbering, cumulative_numbering
    current.report_to, current.send_to = report_to.strip(), send_to.strip()
    current.distribute_to, current.extra_to = distribute_to.strip(), extra_to.strip()
    current.editors, current.marks = _names(editors), _names(marks)
    current.copies, current.active = copies, active
    if four_eyes is not None:
        current.four_eyes = four_eyes
    current.version += 1
    current.save()
    after = _settings_of(current)
    changes = {key: {"before": before[key], "after": value} for key, value in after.items()}
    record_audit_event(
        action="series.edit",
        actor=actor,
        object_type="series",
        object_id=current.pk,
        detail={k: v for k, v in changes.items() if v["before"] != v["after"]},
    )
    return current


_SETTING_FIELDS = (
    "title", "organ", "yearly_numbering", "cumulative_numbering", "report_to", "send_to",
    "distribute_to", "extra_to", "editors", "marks", "copies", "active", "four_eyes",
)  # fmt: skip


def _settings_of(series: Series) -> dict[str, object]:
    return {name: getattr(series, name) for name in _SETTING_FIELDS}
