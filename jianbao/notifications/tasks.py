"""Background work of notifications (run by `jianbao worker`)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone
from django_tasks import task

from jianbao.notifications.delivery import deliver, sweep_deliveries

logger = logging.getLogger(__name__)


@task()
def deliver_notification(delivery_id: int) -> str:
    """Send one e-mail or webhook message; a failure is recorded and retried, never raised."""
    return deliver(delivery_id)


@task()
def sweep_notification_deliveries() -> int:
    """Re-queue deliveries whose task was lost; free claims of a worker that died."""
    return sweep_deliveries()


def enqueue_delivery(delivery_id: int, when: datetime) -> None:
    """Queue a delivery to run at `when` (at once on backends that cannot defer)."""
    try:
        job = deliver_notification
        if when > timezone.now() and job.get_backend().supports_defer:
            job = job.using(run_after=when)
        job.enqueue(delivery_id)
    except Exception:  # the sweep picks it up later; a queue failure never fails a save
        logger.exception("could not queue delivery %s", delivery_id)
