"""Every category of action leaves an audit event with who, from where and the outcome.

Identity events (login, failure, lockout, logout, password, 2FA, tokens) are tested with the
identity features; role changes in test_duties.py; this file covers the rest, one test each.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from jianbao.accounts.models import AuditEvent, User
from jianbao.bulletins.services import do_create_entry, do_create_issue, do_create_series
from jianbao.proofreading.services import do_set_rule_enabled
from jianbao.submissions.services import do_add_attachment, do_transition
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State
from jianbao.text.proofread import RULES

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("sequence")


def test_a_denial_records_the_address_and_outcome(login: Login, outsider: User) -> None:
    client = login(outsider)
    assert client.get("/submissions/inbox/", REMOTE_ADDR="10.1.2.3").status_code == 403
    event = _last("access.denied")
    assert (event.outcome, event.ip_address, event.actor_name) == ("denied", "10.1.2.3", "outsider")


def test_attachment_download_is_audited(login: Login, reporter_a: User) -> None:
    item = make_submission(author=reporter_a)
    attachment = do_add_attachment(
        submission=item, actor=reporter_a, uploaded=SimpleUploadedFile("照片.jpg", b"\xff\xd8j")
    )
    url = f"/submissions/{item.pk}/attachments/{attachment.pk}/"
    assert login(reporter_a).get(url).status_code == 200
    event = _last("download.attachment")
    assert event.actor == reporter_a and event.detail == {"file": "照片.jpg"}
    assert event.object_id == str(item.pk)


def test_issue_file_download_is_audited(login: Login, editor: User) -> None:
    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    do_create_entry(issue=issue, actor=editor, kind="item", title="标题", body="正文。")
    assert login(editor).get(f"/issues/{issue.pk}/download/html/").status_code == 200
    event = _last("download.issue_file")
    assert event.object_type == "issue" and event.detail["file"].endswith(".html")


def test_settings_change_is_audited(editor: User) -> None:
    rule = next(iter(RULES))
    do_set_rule_enabled(rule=rule, enabled=False, actor=editor)
    assert _last("proofread.rule").detail == {"rule": rule, "enabled": False}


def test_workflow_transitions_are_audited(reporter_a: User) -> None:
    item = make_submission(author=reporter_a)
    do_transition(submission=item, action="submit", actor=reporter_a)
    event = _last("submission.submit")
    assert event.object_id == str(item.pk) and event.actor_unit == "区委宣传部"


def test_the_auditor_reads_people_not_dicts(login: Login, auditor: User, outsider: User) -> None:
    login(outsider).get("/submissions/inbox/")
    page = login(auditor).get("/accounts/audit/", {"outcome": "denied"}).content.decode()
    assert "拒绝访问" in page and "访客" in page and "拒绝" in page
    assert "地址：/submissions/inbox/" in page
    assert "{&#x27;" not in page and "{'" not in page


def test_auditor_filters_by_user_unit_type_and_date(
    login: Login, auditor: User, reporter_a: User, reporter_b: User
) -> None:
    make_submission(author=reporter_a, title="宣传部的稿件", state=State.SUBMITTED)
    make_submission(author=reporter_b, title="总工会的稿件", state=State.SUBMITTED)
    client = login(auditor)
    by_unit = client.get("/accounts/audit/", {"unit": "区总工会"}).content.decode()
    assert "总工会的稿件" in by_unit and "宣传部的稿件" not in by_unit
    by_user = client.get("/accounts/audit/", {"user": "reporter_a"}).content.decode()
    assert "宣传部的稿件" in by_user and "总工会的稿件" not in by_user
    none = client.get("/accounts/audit/", {"date_to": "2000-01-01"}).content.decode()
    assert "没有记录" in none


def test_export_is_audited_and_readable(login: Login, auditor: User, outsider: User) -> None:
    login(outsider).get("/submissions/inbox/")
    client = login(auditor)
    csv_response = client.get("/accounts/audit/export.csv", {"outcome": "denied"})
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("序号,时间,用户名")
    assert "拒绝访问" in text
    xlsx = client.get("/accounts/audit/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet["F1"].value == "事件"
    exports = AuditEvent.objects.filter(action="audit.export", actor=auditor)
    assert [e.detail["format"] for e in exports.order_by("sequence")] == ["csv", "xlsx"]
    assert exports.first().detail["filters"] in ({"outcome": "denied"}, {})  # type: ignore[union-attr]


def test_only_the_auditor_exports(login: Login, editor: User) -> None:
    assert login(editor).get("/accounts/audit/export.csv").status_code == 403
