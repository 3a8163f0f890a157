"""The background worker: django-tasks-db's `db_worker` loop, kept alive through database errors.

django-tasks-db's worker ignores "database is locked" only while it selects a task; the same
error while committing the claim, a dropped PostgreSQL connection, or a failure to record a
task's outcome ends the process. This worker logs such errors and tries again after a back-off
(doubling up to `JIANBAO_WORKER_MAX_BACKOFF_SECONDS`). A task that raises is still recorded as
failed with its traceback, and the worker goes on. It claims tasks under a worker id naming its
host, process and start time, so that `jianbao.operations.stale_tasks` can tell when a task's
worker died, and recovers stale tasks at start-up and every `JIANBAO_STALE_CHECK_SECONDS`.
On SIGTERM it asks the running task to stop at its next step (`jianbao.shutdown`).
"""

from __future__ import annotations

import logging
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from jianbao.bulletins.services.publishing import finish_interrupted_publications
from jianbao.commissions.services import do_sweep_commissions
from jianbao.distribution.services import requeue_stale as requeue_stale_distributions
from jianbao.notifications.delivery import sweep_deliveries
from jianbao.operations.query_statistics import refresh_query_statistics
from jianbao.operations.stale_tasks import recover_stale_tasks, worker_id
from jianbao.shutdown import request_stop
from jianbao.submissions.services.pending import purge_expired_pending_uploads

logger = logging.getLogger(__name__)

OUTCOME_FIELDS = ["status", "return_value", "finished_at", "exception_class_path", "traceback"]


class ResilientWorker(Worker):
    """A `db_worker` that survives database errors and recovers tasks a crash left running."""

    def __init__(self, *, interval: float, batch: bool = False, **options: Any) -> None:
        options = {
            "queue_names": ["default"], "backend_name": "default", "startup_delay": False,
            "max_tasks": None, "worker_id": worker_id(), "excluded_queue_names": [], **options,
        }  # fmt: skip
        super().__init__(interval=interval, batch=batch, **options)
        self.max_backoff = settings.JIANBAO_WORKER_MAX_BACKOFF_SECONDS
        self.check_every = settings.JIANBAO_STALE_CHECK_SECONDS
        self._next_check = 0.0
        self._next_commission_sweep = 0.0
        self._next_analyze = 0.0
        self._failures = 0

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        request_stop()  # a long task ends at its next step; its batch is queued again
        super().shutdown(signum, frame)

    def run(self) -> None:
        logger.info("worker %s started (queues %s)", self.worker_id, ",".join(self.queue_names))
        while self.running:
            try:
                self._recover_when_due()
                self._sweep_commissions_when_due()
                self._analyze_when_due()
                claimed, finished = self._step()
            except DatabaseError as error:
                self._back_off("polling the queue", error)
                continue
            self._failures = 0
            if finished:
                return
            if self.running and not claimed:
                time.sleep(self.interval)

    def _step(self) -> tuple[bool, bool]:
        """Claim and run one task: (whether one was claimed, whether the worker should end)."""
        task_result = self._claim()
        if task_result is not None:
            self.run_task(task_result)
        if self.batch and task_result is None:
            logger.info("no more tasks for worker %s; exiting", self.worker_id)
            return False, True
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            return True, True
        return task_result is not None, False

    def _claim(self) -> DBTaskResult | None:
        close_old_connections()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task; if its outcome cannot be written now, keep trying (it stays ours)."""
        try:
            super().run_task(db_task_result)
        except DatabaseError as error:
            self._back_off(f"recording the outcome of task {db_task_result.pk}", error)
            self._save_outcome(db_task_result)
        finally:
            close_old_connections()

    def _save_outcome(self, db_task_result: DBTaskResult) -> None:
        while True:
            try:
                db_task_result.save(update_fields=OUTCOME_FIELDS)
                return
            except DatabaseError as error:
                self._back_off(f"recording the outcome of task {db_task_result.pk}", error)

    def _recover_when_due(self) -> None:
        if time.monotonic() < self._next_check:
            return
        for stale in recover_stale_tasks():
            logger.warning("interrupted: %s (%s)", stale.subject, stale.reason)
        finish_interrupted_publications()
        sweep_deliveries()  # notifications whose task was lost or whose sender died
        requeue_stale_distributions()  # issues published but not yet delivered (lost task)
        purge_expired_pending_uploads()  # files kept across a form error nobody saved in time
        self._next_check = time.monotonic() + self.check_every

    def _sweep_commissions_when_due(self) -> None:
        """Commission reminders and missed deadlines (idempotent: several workers may run it)."""
        every = settings.JIANBAO_COMMISSION_SWEEP_SECONDS
        if every <= 0 or time.monotonic() < self._next_commission_sweep:
            return
        result = do_sweep_commissions()
        if result.due_reminded or result.overdue:
            logger.info("commissions: %d reminded, %d overdue", result.due_reminded, result.overdue)
        self._next_commission_sweep = time.monotonic() + every

    def _analyze_when_due(self) -> None:
        """SQLite's planner statistics, which nothing else keeps (see query_statistics)."""
        every = settings.JIANBAO_ANALYZE_SECONDS
        if every <= 0 or time.monotonic() < self._next_analyze:
            return
        refresh_query_statistics()
        self._next_analyze = time.monotonic() + every

    def _back_off(self, doing: str, error: DatabaseError) -> None:
        """Log a database error, drop the connections, wait a growing while before retrying."""
        self._failures += 1
        delay = min(self.max_backoff, max(self.interval, 0.1) * 2 ** min(self._failures - 1, 10))
        logger.warning("database error while %s (%s); retrying in %.1f s", doing, error, delay)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
            if not connection.in_atomic_block:
                connection.close()
        time.sleep(delay)
