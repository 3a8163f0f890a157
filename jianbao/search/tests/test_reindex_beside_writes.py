"""Re-indexing runs beside normal use on SQLite: every connection is in WAL mode with a busy
timeout, and a rebuild writes in short committed steps, so a reporter's save never fails with
「database is locked」 and never waits long on the rebuild."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.search import services
from jianbao.search.models import SearchDocument
from jianbao.search.selectors import search
from jianbao.search.services import rebuild_index
from jianbao.search.tests.disk_db import run_in_django
from jianbao.submissions.models import Submission
from jianbao.submissions.services import do_update_submission
from jianbao.submissions.tests.factories import make_submission

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite locking (PostgreSQL writers do not share a lock)"
)

PRAGMAS = """
from django.db import connection
from django_tasks_db.models import DBTaskResult  # the worker's queue uses the same connection
with connection.cursor() as cursor:
    found = {}
    for name in ("journal_mode", "busy_timeout", "synchronous"):
        cursor.execute(f"PRAGMA {name}")
        found[name] = cursor.fetchone()[0]
print(json.dumps(found))
"""

BESIDE_WRITES = """
from django.db import connection
from django.utils import timezone
from jianbao.accounts.models import Role
from jianbao.accounts.services import do_create_unit, do_create_user
from jianbao.search.models import SearchDocument
from jianbao.search.services import rebuild_index
from jianbao.submissions.models import Submission
from jianbao.submissions.services import do_create_submission

unit = do_create_unit(name="区委宣传部")
author = do_create_user(username="xcb", password="x-password-1", unit=unit, roles=[Role.REPORTER])
body = "一是强化工作部署，召开专题会议研究推进。二是加强政策指导，深入企业解决问题。" * 8
Submission.objects.bulk_create(
    Submission(unit=unit, author=author, title=f"第{i}条 重点工作信息", body=body,
               updated_by=author, updated_at=timezone.now()) for i in range(600)
)
from jianbao.text.search_query import index_tokens
index_tokens("预热分词词典")  # jieba loads its dictionary once (~1 s): not a wait on the lock
waits, errors, stop = [], [], threading.Event()

def reporter():
    try:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                do_create_submission(author=author, title="并发写入", body="正文。")
            except Exception as error:
                errors.append(repr(error))
            waits.append(time.perf_counter() - started)
            time.sleep(0.02)
    finally:
        connection.close()

writer = threading.Thread(target=reporter)
writer.start()
time.sleep(0.2)
done = rebuild_index()
stop.set()
writer.join()
created = Submission.objects.filter(title="并发写入").count()
print(json.dumps({
    "done": done, "errors": errors, "saves": len(waits), "created": created,
    "max_wait": max(waits), "slowest": sorted(waits)[-5:],
    "documents": SearchDocument.objects.count(), "submissions": Submission.objects.count(),
}))
"""


@on_sqlite
def test_every_connection_uses_wal_and_a_busy_timeout(disk_sqlite: Path, tmp_path: Path) -> None:
    found = run_in_django(disk_sqlite, tmp_path / "data", PRAGMAS)
    assert found == {"journal_mode": "wal", "busy_timeout": 15000, "synchronous": 1}


@on_sqlite
def test_saves_beside_a_rebuild_never_fail_nor_wait_long(disk_sqlite: Path, tmp_path: Path) -> None:
    result = run_in_django(
        disk_sqlite, tmp_path / "data", BESIDE_WRITES, env={"JIANBAO_REINDEX_BATCH": "50"}
    )
    assert result["errors"] == []
    assert result["saves"] >= 5  # the reporter really wrote while the rebuild ran
    assert result["created"] == result["saves"]
    # Every submission is indexed, including those saved during the rebuild.
    assert result["documents"] == result["submissions"]
    assert result["done"] >= 600
    assert result["max_wait"] < 1.0, result["slowest"]


@pytest.mark.django_db
def test_a_save_made_while_its_batch_was_computed_is_not_overwritten(
    reporter_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = make_submission(author=reporter_a, title="旧标题")
    compute = services.document_fields
    saved: list[bool] = []

    def compute_then_a_user_saves(**kwargs: Any) -> dict[str, Any]:
        fields = compute(**kwargs)  # the rebuild computed the old text ...
        if not saved:  # ... and the reporter saves before the rebuild writes it
            saved.append(True)
            current = Submission.objects.get(pk=item.pk)
            do_update_submission(
                submission=current,
                actor=reporter_a,
                expected_version=current.version,
                title="新标题",
                body=item.body,
            )
        return fields

    monkeypatch.setattr(services, "document_fields", compute_then_a_user_saves)
    assert rebuild_index() == 1
    document = SearchDocument.objects.get(doc_type="submission", object_id=item.pk)
    assert document.title == "新标题"
    assert search(user=reporter_a, query="新标题").total == 1


@pytest.mark.django_db
def test_rebuild_leaves_out_rows_created_after_it_started(reporter_a: User) -> None:
    make_submission(author=reporter_a, title="先有的稿件")
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        make_submission(author=reporter_a, title="重建时新写的稿件")  # indexes itself

    assert rebuild_index(progress=progress) == 1
    assert SearchDocument.objects.count() == Submission.objects.count() == 2


@pytest.mark.django_db
def test_a_save_that_straddles_the_start_of_a_rebuild_stays_findable(reporter_a: User) -> None:
    """A reporter's save indexes itself, then commits after the rebuild has read its id range:
    its document predates the rebuild and was not rewritten by it, yet it is not an orphan."""
    make_submission(author=reporter_a, title="先有的稿件")
    straddling: list[Submission] = []

    def progress(done: int, total: int) -> None:
        if not straddling:
            straddling.append(make_submission(author=reporter_a, title="跨越重建开始的稿件"))
            long_ago = timezone.now() - timedelta(minutes=1)  # indexed before the rebuild began
            SearchDocument.objects.filter(object_id=straddling[0].pk).update(indexed_at=long_ago)

    rebuild_index(progress=progress)
    assert SearchDocument.objects.filter(object_id=straddling[0].pk).exists()
    assert search(user=reporter_a, query="跨越重建").total == 1


@pytest.mark.django_db
def test_a_rebuild_drops_the_documents_of_deleted_submissions(reporter_a: User) -> None:
    kept = make_submission(author=reporter_a, title="留下的稿件")
    gone = make_submission(author=reporter_a, title="删掉的稿件")
    Submission.objects.filter(pk=gone.pk).delete()  # bypasses the service, as a raw delete would
    assert rebuild_index() == 1
    assert list(SearchDocument.objects.values_list("object_id", flat=True)) == [kept.pk]
