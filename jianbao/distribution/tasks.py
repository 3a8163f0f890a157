"""Background work of distribution (run by `jianbao worker`)."""

from __future__ import annotations

import logging

from django_tasks import task

from jianbao.distribution.services import deliver

logger = logging.getLogger(__name__)


@task()
def deliver_distribution(distribution_id: int) -> int:
    """Create the receipts of a published issue and notify its recipients (idempotent)."""
    return deliver(distribution_id)


def enqueue_delivery(distribution_id: int) -> None:
    """Queue the delivery; a queue failure is logged and left to the worker's re-queue check."""
    try:
        deliver_distribution.enqueue(distribution_id)
    except Exception:
        logger.exception("could not queue distribution %s", distribution_id)
