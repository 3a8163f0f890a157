"""Permission-scoped reads of notifications: each person reads only their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from jianbao.accounts.models import User
from jianbao.notifications.models import (
    Delivery,
    DeliveryState,
    Notification,
    NotificationPreference,
    OfficeWebhook,
)

# The bell shows "99+" beyond this: counting stops there, so a huge backlog costs the same.
UNREAD_CAP = 99


def notifications_of(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not user.is_authenticated or not user.is_active:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def unread_count(user: User, *, cap: int = UNREAD_CAP) -> int:
    """How many unread notifications the user has, counted up to `cap + 1` at most."""
    if not user.is_authenticated:
        return 0
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True).values("pk")
    return rows[: cap + 1].count()


def get_notification(user: User, pk: int) -> Notification:
    """One of the user's own notifications, or 404 (someone else's is never revealed)."""
    notification = notifications_of(user).filter(pk=pk).first()
    if notification is None:
        raise Http404("消息不存在。")
    return notification


def preference_of(user: User) -> NotificationPreference | None:
    """The user's saved preferences, or None while they use the defaults."""
    return NotificationPreference.objects.filter(user=user).first()


def webhooks_visible_to(user: User) -> QuerySet[OfficeWebhook]:
    """Office group robots: administrators only."""
    if not user.is_authenticated or not user.is_superuser:
        return OfficeWebhook.objects.none()
    return OfficeWebhook.objects.all()


def get_webhook(user: User, pk: int) -> OfficeWebhook:
    """One office group robot for an administrator, or 404."""
    webhook = webhooks_visible_to(user).filter(pk=pk).first()
    if webhook is None:
        raise Http404("群机器人不存在。")
    return webhook


def failed_deliveries(user: User) -> QuerySet[Delivery]:
    """Deliveries that gave up, newest first: administrators only."""
    if not user.is_authenticated or not user.is_superuser:
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(state=DeliveryState.FAILED)
        .select_related("notification", "notification__recipient", "webhook")
        .order_by("-next_attempt_at", "-pk")
    )


def get_failed_delivery(user: User, pk: int) -> Delivery:
    """One failed delivery for an administrator, or 404."""
    delivery = failed_deliveries(user).filter(pk=pk).first()
    if delivery is None:
        raise Http404("投递记录不存在。")
    return delivery
