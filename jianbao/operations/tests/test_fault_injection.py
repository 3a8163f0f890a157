"""Fault injection: `kill -9` of a real worker in the middle of a batch parse, then a restart.

Invariants checked: every file is either untouched (pending) or completely parsed, the new worker
finds the stale task at start-up and marks the batch interrupted, a file of the interrupted batch
can be uploaded again, the batch is resumed to the end, and the worker is still running after
all that work.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jianbao.operations.tests.processes import Site, kill9, make_site, numbered_issues, wait_for

FILES = 12


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield from make_site(tmp_path / "site", "fault")


def _items(site: Site, batch_id: int) -> list[tuple[str, str, int, int]]:
    """(file, state, len(text), len(parsed JSON)) of every item of the batch, in order."""
    return site.query(
        "SELECT original_name, state, LENGTH(text), LENGTH(CAST(parsed AS TEXT))"
        ' FROM archive_importitem WHERE batch_id = %s ORDER BY "order"',
        batch_id,
    )


def _task(site: Site) -> tuple[str, str, str]:
    [row] = site.query(
        "SELECT status, exception_class_path, traceback FROM django_tasks_database_dbtaskresult"
        " WHERE task_path = %s ORDER BY enqueued_at LIMIT 1",
        "jianbao.archive.tasks.parse_batch",
    )
    return row[0], row[1], row[2]


def test_worker_killed_mid_parse_recovers_and_the_batch_resumes(site: Site) -> None:
    files = numbered_issues(FILES)
    batch_id = site.upload(files)
    worker = site.spawn("worker", "--interval", "0.1", log="worker1.log")
    wait_for(lambda: site.batch(batch_id)[1] >= 2, 60, "two files parsed")
    kill9(worker)

    state, processed, total = site.batch(batch_id)
    assert state == "running" and 2 <= processed < total == FILES, "kill came too late"
    items = _items(site, batch_id)
    for name, item_state, text, parsed in items:  # nothing half-written
        if item_state == "pending":
            assert (text, parsed) == (0, 2), name  # no text, parse "{}"
        else:
            assert item_state in {"parsed", "needs_review"} and text > 1000 and parsed > 1000
    pending = [name for name, item_state, *_ in items if item_state == "pending"]
    assert pending and site.batch(batch_id)[0] == "running"  # stuck until a worker looks

    worker = site.spawn("worker", "--interval", "0.1", log="worker2.log")
    wait_for(lambda: site.batch(batch_id)[0] == "interrupted", 60, "the batch interrupted")
    status, exception, reason = _task(site)
    assert status == "FAILED" and exception.endswith("WorkerLost") and "已不在运行" in reason
    log = (site.data_dir / "worker2.log").read_text()
    assert f"interrupted: 导入批次 {batch_id}" in log

    # A file of the interrupted batch is taken again (not 「同一文件已在导入批次 … 中」).
    again = site.upload({"again.txt": files[pending[-1]]})
    wait_for(lambda: site.batch(again)[0] == "done", 60, "the new upload parsed")
    assert [row[1] for row in _items(site, again)] != ["skipped"]

    resumed = site.jianbao("batch", "resume", str(batch_id), "--background")
    assert resumed.returncode == 0, resumed.stderr
    wait_for(lambda: site.batch(batch_id)[0] == "done", 60, "the resumed batch done", step=0.1)
    states = [row[1] for row in _items(site, batch_id)]
    assert "pending" not in states and states[-1] == "skipped"  # the file uploaded again
    assert states.count("skipped") == 1
    assert worker.poll() is None, "the worker is still running"
