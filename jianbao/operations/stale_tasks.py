"""Background tasks a crash interrupted: found, marked failed, their archive batch interrupted.

How a dead task is known. Every `jianbao worker` claims tasks under a worker id naming its host,
its process id and that process's start time (`host:pid:start`, see `worker_id()`); django-tasks-db
records it on the task. A task still RUNNING whose worker is on this host and whose process is
gone (or is another process under a reused pid) is stale at once. A task claimed on another host
(or by a worker without such an id) is stale only when it has run longer than
`JIANBAO_STALE_TASK_SECONDS`. An archive batch pending or running with no task in the queue and
no file written for `JIANBAO_STALE_BATCH_SECONDS` (its work ran in a web request or
`jianbao import` that died) is reported too.

Recovering marks each stale task FAILED with the reason (nothing is re-run by itself: a file
that killed its worker must not kill the next one) and its batch INTERRUPTED, which an editor
resumes or cancels. `jianbao worker` recovers at start-up and every
`JIANBAO_STALE_CHECK_SECONDS`; `jianbao doctor` lists and repairs the same.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jianbao.accounts.services import record_audit_event
from jianbao.archive.services.recovery import (
    batch_id_of_task,
    idle_batches,
    mark_batches_interrupted,
)

logger = logging.getLogger(__name__)

# Recorded as the failed task's exception class.
WORKER_LOST = "jianbao.operations.stale_tasks.WorkerLost"


@dataclass(frozen=True)
class StaleTask:
    """One piece of background work that stopped without finishing."""

    task_id: str  # the django-tasks-db result id; "" for a batch that ran outside the queue
    task_path: str  # e.g. "jianbao.archive.tasks.parse_batch"; "" likewise
    worker_id: str  # the worker that claimed it ("" when none did)
    started_at: datetime.datetime | None
    subject: str  # what it was working on, e.g. 「导入批次 21」
    reason: str  # one line, Chinese: how we know it is dead
    batch_id: int | None = None  # the archive batch it worked on, if any


def _start_ticks(pid: int) -> str | None:
    """A process's start time in clock ticks since boot (Linux), None when there is no such pid."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except FileNotFoundError:
        return None
    except OSError:
        return "?"
    return stat.rpartition(")")[2].split()[19]


@cache
def _host() -> str:
    return socket.gethostname()[:40].replace(":", "-") or "localhost"


def worker_id(pid: int | None = None) -> str:
    """This process's worker id, `host:pid:start` (at most 64 characters)."""
    pid = os.getpid() if pid is None else pid
    return f"{_host()}:{pid}:{_start_ticks(pid) or 0}"


def worker_alive(worker: str) -> bool | None:
    """Whether the worker's process still runs; None when that cannot be told from here."""
    parts = worker.split(":")
    if len(parts) != 3 or not parts[1].isdigit() or parts[0] != _host():
        return None
    pid, start = int(parts[1]), parts[2]
    if os.path.isdir("/proc/self"):
        ticks = _start_ticks(pid)
        return ticks is not None and ticks in (start, "?")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale_task(task: DBTaskResult, reason: str) -> StaleTask:
    worker = task.worker_ids[-1] if task.worker_ids else ""
    batch_id = batch_id_of_task(task.task_path, task.args_kwargs)
    subject = f"导入批次 {batch_id}" if batch_id is not None else task.task_path.rpartition(".")[2]
    return StaleTask(
        str(task.pk), task.task_path, worker, task.started_at, subject, reason, batch_id
    )


def _stale_reason(task: DBTaskResult, now: datetime.datetime) -> str | None:
    worker = task.worker_ids[-1] if task.worker_ids else ""
    alive = worker_alive(worker)
    if alive is False:
        return f"后台处理进程 {worker} 已不在运行，任务中断"
    limit = settings.JIANBAO_STALE_TASK_SECONDS
    if (
        alive is None
        and task.started_at
        and task.started_at < now - datetime.timedelta(seconds=limit)
    ):
        return f"任务已运行超过 {limit} 秒，其处理进程 {worker or '未知'} 不在本机，视为中断"
    return None


def _stale_queue_tasks(now: datetime.datetime) -> tuple[list[StaleTask], set[int]]:
    """The stale RUNNING tasks, and the batches that still have live work in the queue."""
    stale, busy = [], set()
    live = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).order_by("enqueued_at")
    for task in live:
        reason = _stale_reason(task, now) if task.status == "RUNNING" else None
        if reason is None:
            batch_id = batch_id_of_task(task.task_path, task.args_kwargs)
            if batch_id is not None:
                busy.add(batch_id)
            continue
        stale.append(_stale_task(task, reason))
    return stale, busy


def find_stale_tasks() -> list[StaleTask]:
    """Every task or archive batch that stopped without finishing (nothing is changed)."""
    now = timezone.now()
    stale, busy = _stale_queue_tasks(now)
    busy |= {task.batch_id for task in stale if task.batch_id is not None}
    idle = settings.JIANBAO_STALE_BATCH_SECONDS
    since = now - datetime.timedelta(seconds=idle)
    for batch in idle_batches(idle_since=since, busy=sorted(busy)):
        reason = f"导入批次处理中但 {idle} 秒没有进展，也没有排队或运行中的后台任务"
        subject = f"导入批次 {batch.pk}"
        stale.append(StaleTask("", "", "", batch.created_at, subject, reason, batch.pk))
    return stale


@transaction.atomic
def _fail_task(stale: StaleTask) -> bool:
    """Mark one stale task failed, unless it moved on meanwhile (finished, or claimed again)."""
    task = DBTaskResult.objects.select_for_update().filter(pk=stale.task_id).first()
    if task is None or task.status != "RUNNING":
        return False
    if (task.worker_ids[-1] if task.worker_ids else "") != stale.worker_id:
        return False
    task.status, task.finished_at = "FAILED", timezone.now()
    task.exception_class_path, task.traceback, task.return_value = WORKER_LOST, stale.reason, None
    task.save(
        update_fields=["status", "finished_at", "exception_class_path", "traceback", "return_value"]
    )
    return True


def _recover_one(stale: StaleTask) -> bool:
    if stale.task_id and not _fail_task(stale):
        return False
    if stale.batch_id is not None:
        mark_batches_interrupted(batch_ids=[stale.batch_id], reason=stale.reason)
    record_audit_event(
        action="operations.recover_stale_task",
        object_type="task" if stale.task_id else "import_batch",
        object_id=stale.task_id or str(stale.batch_id),
        detail={"task": stale.task_path, "worker": stale.worker_id, "reason": stale.reason},
    )
    logger.warning("recovered stale task %s (%s): %s", stale.task_id, stale.subject, stale.reason)
    return True


def recover_stale_tasks(*, dry_run: bool = False) -> list[StaleTask]:
    """Find stale tasks and (unless `dry_run`) mark them failed and their batches interrupted;
    returns those found (with `dry_run`) or those recovered."""
    found = find_stale_tasks()
    if dry_run:
        return found
    return [stale for stale in found if _recover_one(stale)]
