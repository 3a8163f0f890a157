"""Word upload: the trailing source line credits its unit instead of staying in the body;
.doc and .wps are refused in Chinese with what to do (never 「File is not a zip file」)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.submissions.models import Submission
from jianbao.submissions.tests.test_attachments_and_docx import word_file

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _post(client: Client, upload: SimpleUploadedFile) -> str:
    response = client.post(
        reverse("submissions:create"),
        {"title": "", "body": "", "kind": "item", "urgency": "normal", "docx": upload},
        follow=True,
    )
    return response.content.decode()


def test_trailing_source_line_is_taken_out_of_the_body(
    login: Login, reporter_a: User, unit_b: object
) -> None:
    data = word_file(
        [
            ("区委宣传部创新打造文明实践“三个模式”", "一是打造夜间模式。"),
            ("", "（区委宣传部、区总工会）"),
        ]
    )
    _post(login(reporter_a), SimpleUploadedFile("信息.docx", data))
    item = Submission.objects.get()
    assert item.title == "区委宣传部创新打造文明实践“三个模式”"
    assert item.body == "一是打造夜间模式。"
    assert sorted(u.name for u in item.source_units.all()) == ["区委宣传部", "区总工会"]


@pytest.mark.parametrize("name", ["旧格式.doc", "金山文档.wps", "改了名的.docx"])
def test_old_word_formats_are_refused_in_chinese(login: Login, reporter_a: User, name: str) -> None:
    html = _post(login(reporter_a), SimpleUploadedFile(name, b"\xd0\xcf\x11\xe0 old binary"))
    assert "请在 WPS 或 Word 中另存为 .docx 后上传" in html
    assert "zip" not in html.lower()
    assert not Submission.objects.exists()
