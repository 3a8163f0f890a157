"""A Word file previews into the form before anything is saved; files chosen on a form that
comes back with an error are kept for their owner (「已选择：…（移除）」) and attached on save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import AuditEvent, Unit, User
from jianbao.submissions.models import Attachment, PendingUpload, Submission
from jianbao.submissions.services.pending import purge_expired_pending_uploads
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.tests.test_attachments_and_docx import word_file
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

PREVIEW = reverse("submissions:word_preview")
WORD = word_file(
    [
        ("区委宣传部创新打造文明实践“三个模式”", "一是打造夜间模式。"),
        ("", "二是打造假期模式。"),
        ("", "（区委宣传部、区总工会）"),
    ]
)


def _photo(name: str = "现场照片.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0 a photo", content_type="image/jpeg")


def _form(**overrides: object) -> dict[str, object]:
    return {"title": "", "body": "", "kind": "item", "urgency": "normal", **overrides}


# --- the preview ----------------------------------------------------------------------------


def test_preview_fills_title_body_and_source_units_and_saves_nothing(
    login: Login, reporter_a: User, unit_a: Unit, unit_b: Unit
) -> None:
    client = login(reporter_a)
    response = client.post(
        PREVIEW, {"docx": SimpleUploadedFile("信息.docx", WORD), "source_units": [unit_a.pk]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_title"' in html and 'hx-swap-oob="true"' in html
    assert 'value="区委宣传部创新打造文明实践“三个模式”"' in html
    assert "一是打造夜间模式。\n二是打造假期模式。</textarea>" in html
    assert "（区委宣传部、区总工会）" not in html.split("<textarea")[1]  # not in the body
    assert f'<option value="{unit_b.pk}" selected>' in html  # 区总工会 from the source line
    assert f'<option value="{unit_a.pk}" selected>' in html  # what was chosen stays chosen
    assert 'name="word_previewed"' in html
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists() and not PendingUpload.objects.exists()


def test_preview_says_when_the_source_units_are_unknown(login: Login, reporter_a: User) -> None:
    data = word_file([("标题", "正文一句。"), ("", "（不存在的单位）")])
    response = login(reporter_a).post(PREVIEW, {"docx": SimpleUploadedFile("a.docx", data)})
    assert "「（不存在的单位）」中的单位在系统中没有找到" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("旧格式.doc", b"\xd0\xcf\x11\xe0 old", "请在 WPS 或 Word 中另存为 .docx 后上传"),
        ("照片.docx", b"\xff\xd8\xff\xe0 jpeg", "不是有效的 Word 文件"),
        ("脚本.exe", b"MZ", "不支持的附件类型"),
    ],
)
def test_preview_refuses_in_chinese(
    login: Login, reporter_a: User, name: str, content: bytes, message: str
) -> None:
    response = login(reporter_a).post(PREVIEW, {"docx": SimpleUploadedFile(name, content)})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html and "zip" not in html.lower()
    assert 'name="word_previewed"' not in html


def test_preview_obeys_the_attachment_size_limit(
    login: Login, reporter_a: User, settings: object
) -> None:
    settings.JIANBAO_MAX_ATTACHMENT_BYTES = 1024  # type: ignore[attr-defined]
    response = login(reporter_a).post(PREVIEW, {"docx": SimpleUploadedFile("大.docx", WORD)})
    assert response.status_code == 422
    assert "超过" in response.content.decode()


def test_preview_is_for_reporters_and_editors_only(
    login: Login, leader: User, approver_signoff: User, editor: User
) -> None:
    upload = {"docx": SimpleUploadedFile("信息.docx", WORD)}
    assert login(leader).post(PREVIEW, upload).status_code == 403
    upload = {"docx": SimpleUploadedFile("信息.docx", WORD)}
    assert login(approver_signoff).post(PREVIEW, upload).status_code == 403
    upload = {"docx": SimpleUploadedFile("信息.docx", WORD)}
    assert login(editor).post(PREVIEW, upload).status_code == 200


def test_the_form_asks_for_the_preview_when_a_word_file_is_chosen(
    login: Login, reporter_a: User
) -> None:
    html = login(reporter_a).get(reverse("submissions:create")).content.decode()
    assert f'hx-post="{PREVIEW}"' in html
    assert 'hx-encoding="multipart/form-data"' in html
    assert 'id="docx-preview"' in html


def test_a_save_after_the_preview_keeps_what_the_reporter_checked(
    login: Login, reporter_a: User, unit_a: Unit, unit_b: Unit
) -> None:
    """The reporter took 区总工会 off and shortened the title after the preview: the save
    does not put them back from the file (which is still attached)."""
    login(reporter_a).post(
        reverse("submissions:create"),
        _form(
            title="文明实践“三个模式”",
            body="一是打造夜间模式。\n二是打造假期模式。",
            source_units=[unit_a.pk],
            word_previewed="1",
            docx=SimpleUploadedFile("信息.docx", WORD),
        ),
    )
    item = Submission.objects.get()
    assert item.title == "文明实践“三个模式”"
    assert [u.pk for u in item.source_units.all()] == [unit_a.pk]
    assert [a.original_name for a in item.attachments.all()] == ["信息.docx"]


# --- files kept across a form error ---------------------------------------------------------


def test_a_form_error_keeps_the_chosen_files_and_the_save_attaches_them(
    login: Login, reporter_a: User
) -> None:
    client = login(reporter_a)
    response = client.post(
        reverse("submissions:create"),
        _form(title="有标题", body="", attachments=[_photo(), _photo("统计表.xlsx")]),
    )
    html = response.content.decode()
    assert "正文不能为空" in html
    assert not Submission.objects.exists() and not Attachment.objects.exists()
    kept = list(PendingUpload.objects.order_by("pk"))
    assert [p.original_name for p in kept] == ["现场照片.jpg", "统计表.xlsx"]
    for p in kept:
        assert f"已选择：{p.original_name}" in html
        assert f'name="pending" value="{p.pk}"' in html
        assert reverse("submissions:remove_pending", args=[p.pk]) in html
    assert AuditEvent.objects.filter(action="submission.pending_upload").exists()

    response = client.post(
        reverse("submissions:create"),
        _form(title="有标题", body="正文一句。", pending=[p.pk for p in kept]),
    )
    assert response.status_code == 302
    item = Submission.objects.get()
    attached = {a.original_name: a for a in item.attachments.all()}
    assert set(attached) == {"现场照片.jpg", "统计表.xlsx"}
    assert attached["现场照片.jpg"].file.read() == b"\xff\xd8\xff\xe0 a photo"
    assert not PendingUpload.objects.exists()


def test_a_word_file_on_a_form_with_an_error_fills_the_fields_and_is_kept(
    login: Login, reporter_a: User
) -> None:
    """Without the preview (no JavaScript): the error page shows the file's text and keeps it."""
    client = login(reporter_a)
    response = client.post(
        reverse("submissions:create"),
        _form(urgency="bogus", docx=SimpleUploadedFile("信息.docx", WORD)),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="区委宣传部创新打造文明实践“三个模式”"' in html
    pending = PendingUpload.objects.get()
    assert pending.from_word and "已选择：信息.docx" in html


def test_files_refused_by_the_limits_are_not_kept(login: Login, reporter_a: User) -> None:
    response = login(reporter_a).post(
        reverse("submissions:create"),
        _form(title="标题", body="正文。", attachments=[_photo(), _photo("病毒.exe")]),
    )
    html = response.content.decode()
    assert "不支持的附件类型「病毒.exe」" in html
    assert [p.original_name for p in PendingUpload.objects.all()] == ["现场照片.jpg"]


def test_remove_drops_a_kept_file_and_others_get_404(
    login: Login, reporter_a: User, reporter_b: User
) -> None:
    login(reporter_a).post(reverse("submissions:create"), _form(attachments=[_photo()]))
    pending = PendingUpload.objects.get()
    url = reverse("submissions:remove_pending", args=[pending.pk])
    assert login(reporter_b).post(url).status_code == 404
    assert PendingUpload.objects.exists()
    response = login(reporter_a).post(url)
    assert response.status_code == 200 and response.content == b""
    assert not PendingUpload.objects.exists()
    assert AuditEvent.objects.filter(action="submission.pending_upload_remove").exists()


def test_someone_elses_kept_file_is_never_attached(
    login: Login, reporter_a: User, reporter_b: User
) -> None:
    login(reporter_a).post(reverse("submissions:create"), _form(attachments=[_photo()]))
    pending = PendingUpload.objects.get()
    response = login(reporter_b).post(
        reverse("submissions:create"), _form(title="标题", body="正文。", pending=[pending.pk])
    )
    assert "已选择的附件已失效" in response.content.decode()
    assert "现场照片.jpg" not in response.content.decode()
    assert not Attachment.objects.exists() and not Submission.objects.exists()
    assert PendingUpload.objects.get().owner == reporter_a


def test_the_edit_form_keeps_files_on_an_error(login: Login, reporter_a: User) -> None:
    item = make_submission(author=reporter_a, state=State.DRAFT)
    client = login(reporter_a)
    url = reverse("submissions:edit", args=[item.pk])
    data = _form(title="标题", body="", version=item.version)
    response = client.post(url, {**data, "attachments": [_photo()]})
    assert response.status_code == 400
    pending = PendingUpload.objects.get()
    assert "已选择：现场照片.jpg" in response.content.decode()
    response = client.post(url, {**data, "body": "正文。", "pending": [pending.pk]})
    assert response.status_code == 302
    assert [a.original_name for a in item.attachments.all()] == ["现场照片.jpg"]


def test_expired_kept_files_are_purged(
    login: Login, reporter_a: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    login(reporter_a).post(reverse("submissions:create"), _form(attachments=[_photo()]))
    pending = PendingUpload.objects.get()
    stored = pending.file.storage, pending.file.name
    assert stored[0].exists(stored[1])
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_pending_uploads() == 1
    assert not PendingUpload.objects.exists()
    assert not stored[0].exists(stored[1])
