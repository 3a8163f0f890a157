"""The worker survives database errors, records a failing task with its reason and goes on,
and recovers a stale task at start-up."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.db import OperationalError
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from jianbao.accounts.models import User
from jianbao.archive.models import BatchState, ImportBatch
from jianbao.archive.services import do_create_batch
from jianbao.archive.tasks import parse_batch
from jianbao.operations import task_worker
from jianbao.operations.stale_tasks import WORKER_LOST, worker_id

# The worker manages its own connections (it closes them after errors, as between tasks): it
# runs outside a test transaction, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@task()
def add(a: int, b: int) -> int:
    """A task that succeeds."""
    return a + b


@task()
def explode() -> None:
    """A task that fails."""
    raise ValueError("文件损坏")


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every pause asked of `time.sleep` (none is taken)."""
    pauses: list[float] = []
    monkeypatch.setattr(task_worker.time, "sleep", pauses.append)
    return pauses


def test_failing_task_is_recorded_and_the_worker_goes_on_through_database_errors(
    monkeypatch: pytest.MonkeyPatch, slept: list[float]
) -> None:
    bad, good = explode.enqueue(), add.enqueue(2, 3)
    worker = task_worker.ResilientWorker(interval=0.5, batch=True)
    claim = worker._claim
    errors = [OperationalError("database is locked"), OperationalError("disk I/O error")]

    def flaky_claim() -> Any:
        if errors:
            raise errors.pop(0)
        return claim()

    monkeypatch.setattr(worker, "_claim", flaky_claim)
    worker.run()  # batch mode: returns once the queue is empty
    failed, done = DBTaskResult.objects.get(pk=bad.id), DBTaskResult.objects.get(pk=good.id)
    assert failed.status == "FAILED" and "文件损坏" in failed.traceback
    assert done.status == "SUCCESSFUL" and done.return_value == 5
    assert done.worker_ids == [worker_id()]
    assert slept[:2] == [0.5, 1.0]  # the back-off doubles


def test_outcome_written_after_the_database_recovers(
    monkeypatch: pytest.MonkeyPatch, slept: list[float]
) -> None:
    result = add.enqueue(1, 1)
    worker = task_worker.ResilientWorker(interval=0.1, batch=True)
    save = DBTaskResult.save
    # django-tasks-db tries set_successful 3 times, then set_failed 3 times, then gives up:
    # the seventh write (ours, after a back-off) goes through.
    failures = [OperationalError("database is locked")] * 6

    def flaky_save(self: DBTaskResult, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("update_fields") and "return_value" in kwargs["update_fields"] and failures:
            raise failures.pop()
        save(self, *args, **kwargs)

    monkeypatch.setattr(DBTaskResult, "save", flaky_save)
    worker.run()
    stored = DBTaskResult.objects.get(pk=result.id)
    assert stored.status == "FAILED" and "database is locked" in stored.traceback
    assert stored.finished_at is not None and not failures
    # django-tasks-db's own pauses between its tries (2 + 2), then our back-off
    assert slept == [0.1] * 5


def test_worker_recovers_a_stale_task_at_start_up(editor: User) -> None:
    batch = do_create_batch(actor=editor)
    result = parse_batch.enqueue(batch.pk)
    child = subprocess.Popen(["true"])
    child.wait()
    DBTaskResult.objects.get(pk=result.id).claim(worker_id(child.pid))
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING)
    task_worker.ResilientWorker(interval=0, batch=True).run()
    stale = DBTaskResult.objects.get(pk=result.id)
    assert stale.status == "FAILED" and stale.exception_class_path == WORKER_LOST
    assert ImportBatch.objects.get(pk=batch.pk).state == BatchState.INTERRUPTED
