"""Hostile and damaged Word files on the submission form: a form error in Chinese (200, never
500), nothing saved, and the same limits as the archive import (from the settings)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.submissions.models import Attachment, Submission
from jianbao.text.tests.hostile_files import CORPUS, Hostile, good_docx

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
DOCX_CASES = [case for case in CORPUS if case.name.endswith(".docx")]
OTHER_CASES = [case for case in CORPUS if case.name in ("encrypted.pdf", "garbage.txt")]


@pytest.fixture(autouse=True)
def _fast_limits(settings: Any) -> None:
    settings.JIANBAO_PARSE_DOCX_MAX_ELEMENTS = 100_000


def _post_docx(client: Client, name: str, data: bytes) -> str:
    response = client.post(
        reverse("submissions:create"),
        {"title": "", "body": "", "kind": "item", "urgency": "normal",
         "docx": SimpleUploadedFile(name, data), "then": "save"},
    )  # fmt: skip
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("case", DOCX_CASES + OTHER_CASES, ids=lambda case: case.name)
def test_hostile_word_file_is_a_form_error_and_saves_nothing(
    login: Login, reporter_a: User, case: Hostile
) -> None:
    page = _post_docx(login(reporter_a), case.name, case.make())
    pattern = case.message if case in DOCX_CASES else "不是有效的 Word"
    assert re.search(pattern, page), page[-2000:]
    assert "解析出错" not in page
    assert Submission.objects.count() == 0 and Attachment.objects.count() == 0


def test_the_limits_come_from_the_settings(login: Login, reporter_a: User, settings: Any) -> None:
    client = login(reporter_a)
    settings.JIANBAO_PARSE_MAX_FILE_BYTES = 512
    assert "文件大小超过 512 字节" in _post_docx(client, "a.docx", good_docx())
    settings.JIANBAO_PARSE_MAX_FILE_BYTES = 1 << 20
    settings.JIANBAO_PARSE_MAX_PARAGRAPHS = 2
    assert "文件段落数超过 2，疑似异常文件" in _post_docx(client, "a.docx", good_docx())
    assert Submission.objects.count() == 0


def _greedy_reader(data: bytes, limits: object) -> list[object]:
    """A reader that wants gigabytes (what a decompression bomb past the checks would do)."""
    return [bytearray(256 << 20) for _ in range(16)]


def test_a_child_over_the_memory_setting_is_a_form_error(
    login: Login, reporter_a: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jianbao.typeset import docx_adapter

    monkeypatch.setattr(docx_adapter, "read_docx_paragraphs", _greedy_reader)
    settings.JIANBAO_PARSE_MEMORY_MB = 64
    page = _post_docx(login(reporter_a), "a.docx", good_docx())
    assert "解析所需内存超过 64 MB，疑似异常文件" in page
    assert Submission.objects.count() == 0
