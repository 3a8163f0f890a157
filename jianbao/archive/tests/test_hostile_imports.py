"""Hostile files in the archive import: each item fails with its Chinese message, nothing is
half-written, the batch finishes and the honest files of the same batch still import; the
parse never runs inside a transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.archive.models import BatchState, ImportBatch, ImportItem, ItemState
from jianbao.archive.services import (
    do_create_batch,
    do_parse_item,
    do_stage_file,
    do_upload_files,
    import_paths,
)
from jianbao.archive.services import staging as staging_module
from jianbao.archive.tests.conftest import write
from jianbao.text.tests.hostile_files import (
    CORPUS,
    docx_billion_laughs,
    docx_paragraphs,
    pdf_document,
    text_lines,
)

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def small_limits(settings: Any) -> None:
    """Counting elements stops sooner, so the corpus stays fast at this level too."""
    settings.JIANBAO_PARSE_DOCX_MAX_ELEMENTS = 100_000
    settings.JIANBAO_PARSE_TIMEOUT_SECONDS = 10


def _assert_failed_cleanly(item: ImportItem, pattern: str) -> None:
    import re

    assert item.state == ItemState.FAILED, (item.original_name, item.state, item.message)
    assert re.search(pattern, item.message), (item.original_name, item.message)
    assert "Traceback" not in item.message and "解析出错" not in item.message
    assert (item.text, item.parsed, item.format) == ("", {}, "")  # nothing half-written


@pytest.mark.usefixtures("units", "series", "small_limits")
def test_every_corpus_file_fails_with_its_message_and_the_good_one_imports(
    editor: User, reference_text: str, settings: Any
) -> None:
    settings.JIANBAO_INLINE_PARSE_FILES = 1  # the whole batch goes to the (immediate) worker
    files: list[tuple[str, bytes]] = [(case.name, case.make()) for case in CORPUS]
    files.insert(len(files) // 2, ("35.txt", reference_text.encode()))
    batch = do_upload_files(actor=editor, files=files)
    batch.refresh_from_db()
    assert (batch.state, batch.processed, batch.total) == (BatchState.DONE, len(files), len(files))
    items = {item.original_name: item for item in batch.items.all()}
    for case in CORPUS:
        _assert_failed_cleanly(items[case.name], case.message)
    assert items["35.txt"].state == ItemState.PARSED and items["35.txt"].parsed["number"] == 35


@pytest.mark.usefixtures("units", "series")
def test_the_upload_page_reports_the_45k_paragraph_file(
    login: Login, editor: User, reference_text: str
) -> None:
    uploads = [
        SimpleUploadedFile("45k.docx", docx_paragraphs(45_000)),
        SimpleUploadedFile("35.txt", reference_text.encode()),
    ]
    response = login(editor).post(reverse("archive:upload"), {"uploads": uploads})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.state == BatchState.DONE  # parsed inline
    page = login(editor).get(reverse("archive:batch", args=[batch.pk])).content.decode()
    assert "文件段落数超过 20000，疑似异常文件" in page
    assert batch.items.get(original_name="35.txt").state == ItemState.PARSED


def test_inline_parse_only_for_few_and_small_uploads(
    editor: User, reference_text: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = reference_text.encode()
    settings.JIANBAO_INLINE_PARSE_BYTES = len(data) * 5 // 2
    inline: list[int] = []
    original = staging_module.run_parse_batch

    def spy(*, batch: ImportBatch) -> ImportBatch:
        inline.append(batch.pk)
        return original(batch=batch)

    monkeypatch.setattr(staging_module, "run_parse_batch", spy)
    small = do_upload_files(actor=editor, files=[("a.txt", data), ("b.txt", data + b"\n")])
    large = do_upload_files(actor=editor, files=[(f"{n}.txt", data + bytes(n)) for n in (1, 2, 3)])
    assert inline == [small.pk]  # three files over the byte budget went to the worker
    large.refresh_from_db()
    assert large.state == BatchState.DONE  # (the immediate backend ran the worker's task)


@pytest.mark.django_db(transaction=True)
def test_the_parse_runs_outside_any_transaction_and_rechecks_pending(
    editor: User, reference_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = do_create_batch(actor=editor)
    item = do_stage_file(batch=batch, name="35.txt", data=reference_text.encode(), actor=editor)
    in_transaction: list[bool] = []

    def parse_while_skipped(data: bytes, name: str) -> tuple[str, dict[str, Any]]:
        in_transaction.append(connection.in_atomic_block)
        # Meanwhile an editor skips the item: the late parse must not overwrite that.
        ImportItem.objects.filter(pk=item.pk).update(state=ItemState.SKIPPED)
        return "text", {"input": {"format": "text"}}

    monkeypatch.setattr(staging_module, "parse_archive_file", parse_while_skipped)
    result = do_parse_item(item=item)
    assert in_transaction == [False]
    assert result.state == ItemState.SKIPPED and result.text == "" and result.parsed == {}


@pytest.mark.usefixtures("units", "series")
def test_the_api_reports_a_hostile_file_as_a_failed_item(
    login: Login, editor: User, reference_text: str
) -> None:
    files = [
        SimpleUploadedFile("laughs.docx", docx_billion_laughs()),
        SimpleUploadedFile("35.txt", reference_text.encode()),
    ]
    response = login(editor).post("/api/v1/archive/batches", {"files": files})
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["counts"]["failed"] == 1 and batch["counts"]["parsed"] == 1
    failed = ImportItem.objects.get(original_name="laughs.docx")
    _assert_failed_cleanly(failed, "文档类型定义（DTD/实体）")


@pytest.mark.usefixtures("units", "series")
def test_the_command_line_import_reports_hostile_files_and_goes_on(
    editor: User, reference_text: str, tmp_path: Path
) -> None:
    write(tmp_path, "a-100k.txt", text_lines(100_000))
    write(tmp_path, "b-encrypted.pdf", pdf_document(1, encrypt=True))
    write(tmp_path, "c-35.txt", reference_text.encode())
    summary = import_paths(paths=[tmp_path], actor=editor)
    reasons = dict(summary.failed)
    assert "文件段落数超过 20000" in reasons[str(tmp_path / "a-100k.txt")]
    assert "PDF 文件已加密" in reasons[str(tmp_path / "b-encrypted.pdf")]
    assert [name for name, _ in summary.imported] == [str(tmp_path / "c-35.txt")]
