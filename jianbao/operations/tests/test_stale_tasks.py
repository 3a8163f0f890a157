"""Stale tasks: a RUNNING task whose worker died is found, failed, and its batch interrupted."""

from __future__ import annotations

import datetime
import subprocess
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jianbao.accounts.models import AuditEvent, User
from jianbao.archive.models import BatchState, ImportBatch, ImportItem
from jianbao.archive.services import do_create_batch
from jianbao.archive.tasks import parse_batch
from jianbao.operations.stale_tasks import (
    WORKER_LOST,
    find_stale_tasks,
    recover_stale_tasks,
    worker_alive,
    worker_id,
)

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    settings.TASKS = DB_TASKS


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _running(batch: ImportBatch, worker: str) -> DBTaskResult:
    """The batch's parse task, claimed by `worker` (as django-tasks-db records it)."""
    result = parse_batch.enqueue(batch.pk)
    task = DBTaskResult.objects.get(pk=result.id)
    task.claim(worker)
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING, processed=2)
    return task


def test_worker_ids_tell_live_dead_and_unknown_workers() -> None:
    assert worker_alive(worker_id()) is True
    dead = worker_id(_dead_pid())
    assert worker_alive(dead) is False
    host, pid, start = worker_id().split(":")
    assert worker_alive(f"{host}:{pid}:{int(start) + 1}") is False  # a reused pid
    assert worker_alive(f"elsewhere:{pid}:{start}") is None
    assert worker_alive("k3J9c0aQ") is None and worker_alive("") is None
    assert len(worker_id()) <= 64


def test_a_task_whose_worker_died_is_failed_and_its_batch_interrupted(editor: User) -> None:
    batch = do_create_batch(actor=editor, total=4)
    ImportItem.objects.create(batch=batch, original_name="a.txt", sha256="a" * 64)
    dead = worker_id(_dead_pid())
    task = _running(batch, dead)
    live = _running(do_create_batch(actor=editor), worker_id())  # this process: alive
    found = recover_stale_tasks(dry_run=True)
    assert [(s.task_id, s.batch_id, s.worker_id) for s in found] == [(str(task.pk), batch.pk, dead)]
    assert found[0].subject == f"导入批次 {batch.pk}" and "已不在运行" in found[0].reason
    assert DBTaskResult.objects.get(pk=task.pk).status == "RUNNING"  # dry run: nothing changed
    assert [s.task_id for s in recover_stale_tasks()] == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == WORKER_LOST
    assert dead in task.traceback
    batch.refresh_from_db()
    assert batch.state == BatchState.INTERRUPTED and "可继续处理或取消" in batch.message
    assert AuditEvent.objects.filter(action="operations.recover_stale_task").count() == 1
    assert AuditEvent.objects.filter(action="archive.interrupt_batch").count() == 1
    assert DBTaskResult.objects.get(pk=live.pk).status == "RUNNING"
    assert recover_stale_tasks() == []  # nothing left


def test_a_task_of_another_host_is_stale_only_when_old(editor: User, settings: Any) -> None:
    batch = do_create_batch(actor=editor)
    task = _running(batch, "elsewhere:123:456")
    assert find_stale_tasks() == []
    started = timezone.now() - datetime.timedelta(seconds=settings.JIANBAO_STALE_TASK_SECONDS + 5)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=started)
    [stale] = find_stale_tasks()
    assert stale.task_id == str(task.pk) and "不在本机" in stale.reason


def test_a_batch_left_running_without_a_task_is_stale_once_idle(editor: User) -> None:
    batch = do_create_batch(actor=editor)
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING)
    item = ImportItem.objects.create(batch=batch, original_name="a.txt", sha256="a" * 64)
    queued = do_create_batch(actor=editor)
    parse_batch.enqueue(queued.pk)  # waiting in the queue for a worker: not stale
    assert find_stale_tasks() == []
    old = timezone.now() - datetime.timedelta(hours=1)
    ImportBatch.objects.filter(pk__in=[batch.pk, queued.pk]).update(created_at=old)
    ImportItem.objects.filter(pk=item.pk).update(updated_at=old)
    [stale] = recover_stale_tasks()
    assert (stale.task_id, stale.batch_id) == ("", batch.pk) and "没有进展" in stale.reason
    assert ImportBatch.objects.get(pk=batch.pk).state == BatchState.INTERRUPTED
    assert ImportBatch.objects.get(pk=queued.pk).state == BatchState.PENDING
