"""Attachments and reading a Word file into a new item."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.submissions.models import Attachment, PendingUpload, Submission
from jianbao.submissions.services import do_add_attachment, do_remove_attachment
from jianbao.submissions.tests.factories import make_submission

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def word_file(paragraphs: list[tuple[str, str]]) -> bytes:
    """A .docx whose paragraphs start with the given bold lead."""
    document = docx.Document()
    for lead, rest in paragraphs:
        paragraph = document.add_paragraph()
        if lead:
            paragraph.add_run(lead).bold = True
        paragraph.add_run(rest)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_uploading_a_docx_fills_title_and_body_and_keeps_the_file(
    login: Login, reporter_a: User
) -> None:
    data = word_file(
        [
            ("区委宣传部创新打造文明实践“三个模式”", " 一是打造夜间模式。"),
            ("", "二是打造假期模式。"),
        ]
    )
    upload = SimpleUploadedFile("宣传部信息.docx", data)
    response = login(reporter_a).post(
        reverse("submissions:create"),
        {
            "title": "",
            "body": "",
            "kind": "item",
            "urgency": "normal",
            "docx": upload,
            "then": "save",
        },
    )
    assert response.status_code == 302
    item = Submission.objects.get()
    assert item.title == "区委宣传部创新打造文明实践“三个模式”"
    assert item.body == "一是打造夜间模式。\n二是打造假期模式。"
    assert [a.original_name for a in item.attachments.all()] == ["宣传部信息.docx"]


def test_a_broken_docx_gives_a_chinese_message_and_saves_nothing(
    login: Login, reporter_a: User
) -> None:
    upload = SimpleUploadedFile("坏文件.docx", b"not a zip")
    response = login(reporter_a).post(
        reverse("submissions:create"),
        {"title": "", "body": "", "kind": "item", "urgency": "normal", "docx": upload},
    )
    assert response.status_code == 200
    assert "不是有效的 Word" in response.content.decode()
    assert Submission.objects.count() == 0


def test_attachment_is_downloadable_by_the_unit_and_refused_to_others(
    login: Login, reporter_a: User, reporter_b: User
) -> None:
    item = make_submission(author=reporter_a)
    reporter = login(reporter_a)
    reporter.post(
        reverse("submissions:edit", args=[item.pk]),
        {
            "title": item.title,
            "body": item.body,
            "kind": "item",
            "urgency": "normal",
            "version": item.version,
            "attachments": [SimpleUploadedFile("照片.jpg", b"\xff\xd8jpeg")],
        },
    )
    attachment = item.attachments.get()
    assert len(attachment.sha256) == 64
    url = reverse("submissions:attachment", args=[item.pk, attachment.pk])
    download = reporter.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\xff\xd8jpeg"  # type: ignore[attr-defined]
    assert login(reporter_b).get(url).status_code == 404


def test_disallowed_attachment_type_is_refused(login: Login, reporter_a: User) -> None:
    response = login(reporter_a).post(
        reverse("submissions:create"),
        {
            "title": "标题",
            "body": "正文",
            "kind": "item",
            "urgency": "normal",
            "attachments": [
                SimpleUploadedFile("照片.jpg", b"\xff\xd8jpeg"),
                SimpleUploadedFile("病毒.exe", b"MZ"),
            ],
        },
    )
    assert "不支持的附件类型" in response.content.decode()
    # The photo saved before the refusal went with the rolled-back item; the form keeps a
    # copy for the reporter (「已选择：照片.jpg」), the refused file is not kept.
    assert not Submission.objects.filter(title="标题").exists()
    stored = [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]
    assert [path.relative_to(settings.MEDIA_ROOT).parts[0] for path in stored] == ["pending"]
    assert [p.original_name for p in PendingUpload.objects.all()] == ["照片.jpg"]


def _attached(reporter: User) -> Attachment:
    item = make_submission(author=reporter)
    upload = SimpleUploadedFile("照片.jpg", b"\xff\xd8jpeg")
    return do_add_attachment(submission=item, uploaded=upload, actor=reporter)


def test_removed_attachment_file_goes_when_the_removal_commits(
    reporter_a: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    attachment = _attached(reporter_a)
    pk, path = attachment.pk, Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        do_remove_attachment(attachment=attachment, actor=reporter_a)
    assert not path.exists()
    assert not Attachment.objects.filter(pk=pk).exists()


def test_removal_rolled_back_keeps_row_and_file(reporter_a: User) -> None:
    attachment = _attached(reporter_a)
    pk, path = attachment.pk, Path(attachment.file.path)

    @transaction.atomic
    def remove_then_fail() -> None:
        do_remove_attachment(attachment=attachment, actor=reporter_a)
        raise RuntimeError("a later step of the same request failed")

    with pytest.raises(RuntimeError):
        remove_then_fail()
    assert path.is_file()
    assert Attachment.objects.filter(pk=pk).exists()
