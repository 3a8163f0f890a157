"""A batch whose work stopped: resumed or cancelled on the page, the API and the command line;
a file of a stopped batch may be uploaded again; a cancelled batch stays cancelled."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, User
from jianbao.archive.models import BatchState, ImportBatch, ImportItem, ItemState
from jianbao.archive.services import (
    do_cancel_batch,
    do_create_batch,
    do_resume_batch,
    do_stage_file,
    do_upload_files,
    run_parse_batch,
)
from jianbao.archive.services.recovery import mark_batches_interrupted
from jianbao.cli import main
from jianbao.shutdown import StopRequested, clear_stop, request_stop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("units", "series")]
Login = Callable[[User], Client]


def _numbered(text: str, number: int) -> bytes:
    return text.replace("第 35 期", f"第 {number} 期").encode()


def _interrupted(editor: User, reference_text: str, parsed: int = 1, total: int = 3) -> ImportBatch:
    """A batch whose worker died after parsing `parsed` of its `total` files."""
    batch = do_create_batch(actor=editor, total=total)
    for n in range(total):
        do_stage_file(
            batch=batch, name=f"{n}.txt", data=_numbered(reference_text, n + 1), actor=editor,
            order=n,
        )  # fmt: skip
    for item in batch.items.order_by("order")[:parsed]:
        from jianbao.archive.services import do_parse_item

        do_parse_item(item=item)
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING, processed=parsed)
    assert mark_batches_interrupted(batch_ids=[batch.pk], reason="后台处理进程 x 已不在运行")
    batch.refresh_from_db()
    return batch


def _states(batch: ImportBatch) -> list[str]:
    return list(batch.items.order_by("order").values_list("state", flat=True))


def test_resume_parses_the_pending_files_and_is_audited(editor: User, reference_text: str) -> None:
    batch = _interrupted(editor, reference_text)
    assert batch.state == BatchState.INTERRUPTED and "可继续处理或取消" in batch.message
    batch = do_resume_batch(batch=batch, actor=editor)  # the immediate backend runs the task
    assert (batch.state, batch.processed, batch.total) == (BatchState.DONE, 3, 3)
    assert _states(batch) == [ItemState.PARSED] * 3
    event = AuditEvent.objects.get(action="archive.resume_batch")
    assert event.actor == editor and event.detail["pending"] == 2
    with pytest.raises(ValidationError, match="只有出错或已中断的批次可以继续"):
        do_resume_batch(batch=batch, actor=editor)


def test_cancel_skips_the_pending_files_and_allows_the_upload_again(
    editor: User, reference_text: str
) -> None:
    batch = _interrupted(editor, reference_text)
    pending = batch.items.get(order=2)
    again = do_upload_files(actor=editor, files=[("again.txt", _numbered(reference_text, 3))])
    # An interrupted batch no longer holds its files: the same bytes are taken (and parsed).
    assert again.items.get().state == ItemState.PARSED
    batch = do_cancel_batch(batch=batch, actor=editor, reason="  重新上传了  ")
    assert batch.state == BatchState.CANCELLED and batch.message.endswith("取消：重新上传了")
    assert _states(batch) == [ItemState.PARSED, ItemState.SKIPPED, ItemState.SKIPPED]
    pending.refresh_from_db()
    assert pending.message == "批次已取消：重新上传了"
    assert AuditEvent.objects.get(action="archive.cancel_batch").detail["skipped"] == 2
    with pytest.raises(ValidationError, match="不能取消"):
        do_cancel_batch(batch=batch, actor=editor)


def test_a_file_still_waiting_in_a_live_batch_is_still_a_duplicate(
    editor: User, reference_text: str
) -> None:
    batch = do_create_batch(actor=editor)
    do_stage_file(batch=batch, name="1.txt", data=_numbered(reference_text, 1), actor=editor)
    again = do_upload_files(actor=editor, files=[("1b.txt", _numbered(reference_text, 1))])
    item = again.items.get()
    assert item.state == ItemState.SKIPPED and f"导入批次 {batch.pk} 中" in item.message


def test_resume_skips_a_file_uploaded_again_meanwhile(editor: User, reference_text: str) -> None:
    batch = _interrupted(editor, reference_text)
    do_upload_files(actor=editor, files=[("again.txt", _numbered(reference_text, 3))])
    batch = do_resume_batch(batch=batch, actor=editor)
    assert _states(batch) == [ItemState.PARSED, ItemState.PARSED, ItemState.SKIPPED]
    assert "同一文件已在导入批次" in batch.items.get(order=2).message


def test_a_batch_cancelled_while_it_runs_stops_and_stays_cancelled(
    editor: User, reference_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = _interrupted(editor, reference_text, parsed=0)
    from jianbao.archive.services import staging

    parse = staging.do_parse_item

    def parse_then_cancel(**kwargs: Any) -> ImportItem:
        item = parse(**kwargs)
        do_cancel_batch(batch=batch, actor=editor, reason="停止")
        return item

    monkeypatch.setattr(staging, "do_parse_item", parse_then_cancel)
    batch = run_parse_batch(batch=ImportBatch.objects.get(pk=batch.pk))
    assert batch.state == BatchState.CANCELLED and batch.processed == 1
    assert _states(batch) == [ItemState.PARSED, ItemState.SKIPPED, ItemState.SKIPPED]


def test_a_stopping_worker_requeues_the_rest_of_its_batch(
    editor: User, reference_text: str, settings: Any
) -> None:
    from jianbao.archive import tasks

    batch = _interrupted(editor, reference_text)
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.PENDING)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    request_stop()
    try:
        with pytest.raises(StopRequested):
            run_parse_batch(batch=ImportBatch.objects.get(pk=batch.pk))
        assert tasks.parse_batch.call(batch.pk) == -1
    finally:
        clear_stop()
    batch.refresh_from_db()
    assert batch.state == BatchState.PENDING and "等待后台处理进程重新启动" in batch.message
    assert _states(batch) == [ItemState.PARSED, ItemState.PENDING, ItemState.PENDING]
    assert len(tasks.parse_batch.get_backend().results) == 1  # type: ignore[attr-defined]


def test_page_buttons_resume_and_cancel(login: Login, editor: User, reference_text: str) -> None:
    client = login(editor)
    batch = _interrupted(editor, reference_text)
    html = client.get(reverse("archive:batch", args=[batch.pk])).content.decode()
    assert "已中断" in html and "继续处理（剩余 2 个文件）" in html and "取消本批" in html
    assert "data-confirm=" in html  # asks before cancelling (static/js/page-behaviour.js)
    response = client.post(reverse("archive:batch_resume", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == BatchState.DONE
    response = client.post(reverse("archive:batch_cancel", args=[batch.pk]), follow=True)
    assert "已完成，不能取消" in response.content.decode()
    other = _interrupted(editor, reference_text.replace("上街", "上街区"), parsed=0, total=1)
    client.post(reverse("archive:batch_cancel", args=[other.pk]), {"reason": "不要了"})
    other.refresh_from_db()
    assert other.state == BatchState.CANCELLED and "不要了" in other.message


def test_api_resume_and_cancel(login: Login, editor: User, reference_text: str) -> None:
    client = login(editor)
    batch = _interrupted(editor, reference_text)
    base = f"/api/v1/archive/batches/{batch.pk}"
    response = client.post(f"{base}/cancel", json.dumps({"reason": "x" * 201}), "application/json")
    assert response.status_code == 422
    response = client.post(f"{base}/resume", "{}", "application/json")
    assert response.status_code == 200 and response.json()["state"] == "done"
    response = client.post(f"{base}/cancel", json.dumps({"reason": "晚了"}), "application/json")
    assert response.status_code == 400 and "不能取消" in response.json()["detail"]
    other = _interrupted(editor, reference_text, parsed=0, total=1)
    response = client.post(f"/api/v1/archive/batches/{other.pk}/cancel", "{}", "application/json")
    assert response.status_code == 200 and response.json()["counts"]["skipped"] == 1
    missing = client.post("/api/v1/archive/batches/999999/resume", "{}", "application/json")
    assert missing.status_code == 404


@pytest.mark.parametrize("who", ["outsider", "leader"])
def test_outsiders_cannot_resume_or_cancel(
    who: str, request: pytest.FixtureRequest, login: Login, editor: User, reference_text: str
) -> None:
    batch = _interrupted(editor, reference_text)
    client = login(request.getfixturevalue(who))
    for name in ("archive:batch_resume", "archive:batch_cancel"):
        assert client.post(reverse(name, args=[batch.pk])).status_code == 403, name
    for action in ("resume", "cancel"):
        url = f"/api/v1/archive/batches/{batch.pk}/{action}"
        response = client.post(url, "{}", "application/json")
        assert response.status_code == 403, action
    batch.refresh_from_db()
    assert batch.state == BatchState.INTERRUPTED
    assert _states(batch) == [ItemState.PARSED, ItemState.PENDING, ItemState.PENDING]


def test_cli_batch_show_resume_cancel(
    editor: User, reference_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = _interrupted(editor, reference_text)
    assert main(["batch", "show", str(batch.pk)]) == 0
    assert f"导入批次 {batch.pk}：已中断（1/3）" in capsys.readouterr().out
    assert main(["batch", "resume", str(batch.pk), "--user", editor.username]) == 0
    out = capsys.readouterr()
    assert "已完成（3/3），可导入 3" in out.out and "3/3" in out.err  # the progress bar
    assert main(["batch", "cancel", str(batch.pk)]) == 1
    assert "已完成，不能取消" in capsys.readouterr().err
    other = _interrupted(editor, reference_text, parsed=0, total=1)
    assert main(["batch", "cancel", str(other.pk), "--reason", "重复"]) == 0
    assert "已取消" in capsys.readouterr().out
    assert main(["batch", "resume", "999999"]) == 1
    assert "导入批次 999999 不存在" in capsys.readouterr().err
