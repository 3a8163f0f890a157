"""Every write to notifications: create them (`do_notify`), mark read, preferences, webhooks.

Other apps call `do_notify` inside their own transaction, right after the state change it
reports. It writes the in-app rows and the pending channel deliveries; sending happens in the
background worker after the commit (`jianbao.notifications.delivery`). It never raises into the
caller: a failure here is logged and the caller's save goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    Notification,
    NotificationKind,
    NotificationPreference,
    OfficeWebhook,
    WebhookFlavour,
)
from jianbao.notifications.quiet_hours import release_time

logger = logging.getLogger(__name__)

TITLE_MAX = 300
BODY_MAX = 2000


def email_enabled() -> bool:
    """E-mail is offered only when an SMTP host is configured (JIANBAO_EMAIL_HOST)."""
    return bool(settings.JIANBAO_EMAIL_HOST)


def email_kinds_of(preference: NotificationPreference | None) -> set[str]:
    """The kinds a person also receives by e-mail (all of them until they choose)."""
    if preference is None:
        return set(NotificationKind.values)
    return set(preference.email_kinds)


def do_notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """Notify people in-app and queue their channels; the actor is never told of their own act.

    Never raises: a failure is logged and an empty list returned, so the caller's write stands.
    """
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's work intact
            return _notify(
                recipients=recipients, kind=kind, title=title, url=url, body=body, actor=actor
            )
    except Exception:
        logger.exception("notification %s not recorded", kind)
        return []


def _recipients(recipients: Iterable[User], actor: User | None) -> list[User]:
    seen: set[int] = set()
    people = []
    for user in recipients:
        if user is None or not user.pk or user.pk in seen or not user.is_active:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        seen.add(user.pk)
        people.append(user)
    return people


def _notify(
    *, recipients: Iterable[User], kind: str, title: str, url: str, body: str, actor: User | None
) -> list[Notification]:
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    people = _recipients(recipients, actor)
    preferences = {
        p.user_id: p for p in NotificationPreference.objects.filter(user__in=[u.pk for u in people])
    }
    people = [u for u in people if kind not in _muted(preferences.get(u.pk))]
    if not people:
        return []
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            title=title[:TITLE_MAX],
            body=body[:BODY_MAX],
            url=url[:300],
            created_at=now,
        )
        for user in people
    )
    deliveries = _email_deliveries(notifications, preferences, now)
    deliveries += _webhook_deliveries(notifications[0], kind, now)
    created = Delivery.objects.bulk_create(deliveries)
    if created:
        ids = [(d.pk, d.next_attempt_at) for d in created]
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    record_audit_event(
        action="notification.create",
        actor=actor,
        object_type="notification",
        object_id=notifications[0].pk,
        detail={"kind": kind, "recipients": len(notifications), "deliveries": len(created)},
    )
    return notifications


def _muted(preference: NotificationPreference | None) -> set[str]:
    return set(preference.muted_kinds) if preference is not None else set()


def _email_deliveries(
    notifications: list[Notification],
    preferences: dict[int, NotificationPreference],
    now: datetime,
) -> list[Delivery]:
    if not email_enabled():
        return []
    rows = []
    for notification in notifications:
        user = notification.recipient
        preference = preferences.get(user.pk)
        if not user.email or notification.kind not in email_kinds_of(preference):
            continue
        rows.append(
            Delivery(
                notification=notification,
                channel=Channel.EMAIL,
                address=user.email,
                next_attempt_at=_after_quiet_hours(preference, now),
                created_at=now,
            )
        )
    return rows


def _after_quiet_hours(preference: NotificationPreference | None, now: datetime) -> datetime:
    if preference is None:
        return now
    local = timezone.localtime(now)
    return release_time(local, preference.quiet_start, preference.quiet_end)


def _webhook_deliveries(notification: Notification, kind: str, now: datetime) -> list[Delivery]:
    """One message per office group robot that wants this kind (not one per recipient)."""
    return [
        Delivery(
            notification=notification,
            channel=Channel.WEBHOOK,
            webhook=webhook,
            next_attempt_at=now,
            created_at=now,
        )
        for webhook in OfficeWebhook.objects.filter(enabled=True)
        if kind in webhook.kinds
    ]


def _enqueue(ids: list[tuple[int, datetime]]) -> None:
    from jianbao.notifications.tasks import enqueue_delivery  # noqa: PLC0415  (tasks import us)

    for delivery_id, when in ids:
        enqueue_delivery(delivery_id, when)


@transaction.atomic
def do_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (someone else's is refused)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied("这不是您的消息。")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        record_audit_event(
            action="notification.read",
            actor=user,
            object_type="notification",
            object_id=notification.pk,
        )
    return notification


@transaction.atomic
def do_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    record_audit_event(
        action="notification.read_all",
        actor=user,
        object_type="notification",
        detail={"count": count},
    )
    return count


def _kinds(values: Iterable[str], field: str) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in NotificationKind.values]
    if unknown:
        raise ValidationError({field: f"未知的消息类型「{unknown[0]}」。"})
    return chosen


@transaction.atomic
def do_save_preferences(
    *,
    user: User,
    muted_kinds: Iterable[str],
    email_kinds: Iterable[str],
    quiet_start: time | None,
    quiet_end: time | None,
) -> NotificationPreference:
    """Save which kinds a person mutes, which also go by e-mail, and their quiet hours."""
    if (quiet_start is None) != (quiet_end is None):
        raise ValidationError({"quiet_end": "免打扰时段须同时填写开始和结束时间。"})
    if quiet_start is not None and quiet_start == quiet_end:
        raise ValidationError({"quiet_end": "免打扰的开始和结束时间不能相同。"})
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "muted_kinds": _kinds(muted_kinds, "muted_kinds"),
            "email_kinds": _kinds(email_kinds, "email_kinds"),
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "updated_at": timezone.now(),
        },
    )
    record_audit_event(
        action="notification.preferences",
        actor=user,
        object_type="notification_preference",
        object_id=preference.pk,
        detail={"muted": preference.muted_kinds, "email": preference.email_kinds},
    )
    return preference


def _require_admin(actor: User) -> None:
    if not actor.is_superuser:
        raise PermissionDenied("只有管理员可以设置群机器人。")


@transaction.atomic
def do_save_webhook(
    *,
    actor: User,
    name: str,
    url: str,
    flavour: str,
    enabled: bool,
    kinds: Iterable[str],
    webhook: OfficeWebhook | None = None,
) -> OfficeWebhook:
    """Create or change an office group robot (admin only)."""
    _require_admin(actor)
    name, url = name.strip(), url.strip()
    if not name:
        raise ValidationError({"name": "请填写名称。"})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {"url": "Webhook 地址须是 http:// 或 https:// 开头的网址。"}
        ) from None
    if flavour not in WebhookFlavour.values:
        raise ValidationError({"flavour": f"未知的机器人类型「{flavour}」。"})
    now = timezone.now()
    target = webhook or OfficeWebhook(created_at=now)
    target.name, target.url, target.flavour = name, url, flavour
    target.enabled, target.kinds, target.updated_at = enabled, _kinds(kinds, "kinds"), now
    target.save()
    record_audit_event(
        action="notification.webhook_save",
        actor=actor,
        object_type="office_webhook",
        object_id=target.pk,
        detail={"name": name, "flavour": flavour, "enabled": enabled, "kinds": target.kinds},
    )
    return target


@transaction.atomic
def do_delete_webhook(*, actor: User, webhook: OfficeWebhook) -> None:
    """Remove an office group robot and its pending deliveries (admin only)."""
    _require_admin(actor)
    record_audit_event(
        action="notification.webhook_delete",
        actor=actor,
        object_type="office_webhook",
        object_id=webhook.pk,
        detail={"name": webhook.name},
    )
    webhook.delete()


@transaction.atomic
def do_retry_delivery(*, actor: User, delivery: Delivery) -> Delivery:
    """Send a failed delivery again from scratch (admin only)."""
    if not actor.is_superuser:
        raise PermissionDenied("只有管理员可以重发消息。")
    if delivery.state != DeliveryState.FAILED:
        raise ValidationError("只有发送失败的消息可以重发。")
    now = timezone.now()
    delivery.state, delivery.attempts, delivery.next_attempt_at = DeliveryState.PENDING, 0, now
    delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
    ids = [(delivery.pk, now)]
    transaction.on_commit(lambda: _enqueue(ids), robust=True)
    record_audit_event(
        action="notification.retry", actor=actor, object_type="delivery", object_id=delivery.pk
    )
    return delivery
