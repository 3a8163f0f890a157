"""`jianbao worker`: run background tasks (imports, re-indexing, rendering) from the queue."""

from __future__ import annotations

import argparse
import logging
import signal

from jianbao.cli import setup_django

NAME = "worker"
HELP = (
    "Run the background task worker (database queue). It survives database errors (logged, "
    "retried with a back-off), and at start-up and every JIANBAO_STALE_CHECK_SECONDS marks "
    "tasks whose worker died as failed and their import batches as interrupted."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")


def _log_to_stderr() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s worker %(levelname)s %(message)s"))
    for name in ("jianbao.operations", "django_tasks", "django_tasks_db"):
        log = logging.getLogger(name)
        log.setLevel(logging.INFO)
        log.addHandler(handler)
        log.propagate = False


def warm_up() -> None:
    """Import the URLconf (and with it every app's views and the API) once at start-up, so the
    first task that builds a link (a delivery's notifications) does not spend seconds on it."""
    from django.urls import reverse

    reverse("home")


def run(args: argparse.Namespace) -> int:
    """Work through the queue until stopped (SIGTERM/Ctrl+C: the current file is finished)."""
    setup_django()
    from jianbao.operations.task_worker import ResilientWorker

    _log_to_stderr()
    warm_up()
    worker = ResilientWorker(interval=max(args.interval, 0.0), batch=args.batch)
    worker.configure_signals()
    try:
        worker.run()
    finally:
        worker.reset_signals()
        signal.signal(signal.SIGINT, signal.default_int_handler)
    return 0
