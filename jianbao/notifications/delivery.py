"""Delivery in the background worker: claim a due delivery, send it, record the outcome.

A delivery is claimed by one conditional UPDATE (pending → sending), sent outside any
transaction (so a slow SMTP server or robot never holds a database lock), and then marked sent,
or scheduled again with back-off (JIANBAO_NOTIFY_RETRY_SECONDS × 4^(attempt-1)) until
JIANBAO_NOTIFY_MAX_ATTEMPTS, then failed. `sweep_deliveries` (run by the worker with its stale
task check) re-queues deliveries whose task was lost and frees claims of a worker that died.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jianbao.accounts.services import record_audit_event
from jianbao.notifications.models import Channel, Delivery, DeliveryState
from jianbao.notifications.transport import SendError, post_webhook, send_email

logger = logging.getLogger(__name__)

# A delivery still "sending" after this long belonged to a worker that died.
SENDING_STALE = timedelta(minutes=10)
# A pending delivery this far past its time lost its task (the queue was reset, say).
PENDING_LOST = timedelta(minutes=5)


def retry_delay(attempts: int) -> timedelta:
    """The pause before attempt `attempts + 1`: 1, 4, 16, 64 … times the base."""
    return timedelta(seconds=settings.JIANBAO_NOTIFY_RETRY_SECONDS * 4 ** max(attempts - 1, 0))


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(state=DeliveryState.SENDING, attempts=F("attempts") + 1, next_attempt_at=now)
    if not claimed:
        return None
    return Delivery.objects.select_related("notification", "webhook").filter(pk=delivery_id).first()


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    if delivery.channel == Channel.EMAIL:
        send_email(
            address=delivery.address,
            title=notification.title,
            body=notification.body,
            url=notification.url,
        )
    elif delivery.webhook is not None:
        post_webhook(
            url=delivery.webhook.url,
            flavour=delivery.webhook.flavour,
            title=notification.title,
            body=notification.body,
            link_url=notification.url,
        )
    else:
        raise SendError("群机器人已删除")


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due and unclaimed; returns its state afterwards."""
    delivery = _claim(delivery_id, timezone.now())
    if delivery is None:
        return "skipped"
    try:
        _send(delivery)
    except SendError as error:
        return _record_failure(delivery, str(error))
    except Exception as error:  # a bug must not leave the delivery claimed forever
        logger.exception("delivery %s crashed", delivery_id)
        return _record_failure(delivery, f"内部错误：{error}")
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
    )
    return DeliveryState.SENT


@transaction.atomic
def _record_failure(delivery: Delivery, error: str) -> str:
    now = timezone.now()
    if delivery.attempts >= settings.JIANBAO_NOTIFY_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.FAILED, last_error=error[:500]
        )
        record_audit_event(
            action="notification.delivery_failed",
            object_type="delivery",
            object_id=delivery.pk,
            detail={"channel": delivery.channel, "attempts": delivery.attempts, "error": error},
        )
        logger.warning("delivery %s failed for good: %s", delivery.pk, error)
        return DeliveryState.FAILED
    when = now + retry_delay(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.PENDING, last_error=error[:500], next_attempt_at=when
    )
    ids = [(delivery.pk, when)]
    transaction.on_commit(lambda: _enqueue(ids), robust=True)
    logger.info("delivery %s attempt %s failed (%s)", delivery.pk, delivery.attempts, error)
    return DeliveryState.PENDING


def _enqueue(ids: list[tuple[int, datetime]]) -> None:
    from jianbao.notifications.tasks import enqueue_delivery  # noqa: PLC0415

    for delivery_id, when in ids:
        enqueue_delivery(delivery_id, when)


def sweep_deliveries(now: datetime | None = None) -> int:
    """Free stale claims and re-queue lost deliveries; returns how many were queued again."""
    now = now or timezone.now()
    Delivery.objects.filter(
        state=DeliveryState.SENDING, next_attempt_at__lt=now - SENDING_STALE
    ).update(state=DeliveryState.PENDING)
    lost = list(
        Delivery.objects.filter(
            state=DeliveryState.PENDING, next_attempt_at__lt=now - PENDING_LOST
        ).values_list("pk", flat=True)[:500]
    )
    _enqueue([(pk, now) for pk in lost])
    return len(lost)
