"""Entries written by the office, sections, 编者按, marks and source lines reach the print."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.rendering import render_issue
from jianbao.bulletins.selectors import issue_to_bulletin_json
from jianbao.bulletins.services import do_add_submissions, do_transition_issue
from jianbao.bulletins.tests.conftest import AdoptedFactory

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_header_sections_notes_and_source_lines_are_printed(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    office = login(editor)
    office.post(
        reverse("bulletins:header", args=[issue.pk]),
        {
            "number": 7,
            "issue_date": "2024-07-01",
            "marks": "内部资料 注意保存",
            "editor_note": "本期聚焦未成年人保护。",
            "version": issue.version,
        },
    )
    office.post(
        reverse("bulletins:create_entry", args=[issue.pk]),
        {
            "kind": "item",
            "section": "【工作动态】",
            "title": "区委组织部、区人社局联合开展招聘会",
            "body": "提供岗位600余个。\n达成意向200余人。",
            "source_mode": "custom",
            "source_line": "区委组织部、区人社局",
        },
    )
    office.post(
        reverse("bulletins:footer", args=[issue.pk]),
        {"send_to": "区领导", "editors": "王思宇、柴亚文", "copies": "120", "version": 2},
    )
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted()])
    issue.refresh_from_db()
    data = issue_to_bulletin_json(issue)
    assert (data["number"], data["date"], data["marks"]) == (7, "2024-07-01", ["内部资料 注意保存"])
    assert data["editor_note"] == "本期聚焦未成年人保护。"
    first, second = data["entries"]
    assert first["section"] == "工作动态"
    assert first["source_raw"] == "（区委组织部、区人社局）" and first["source_units"] == []
    assert second["source_raw"] == "（区委宣传部）" and second["source_units"] == ["区委宣传部"]
    assert data["footer"] == {
        "report_to": None,
        "send_to": "区领导",
        "distribute_to": None,
        "extra_to": None,
        "editors": ["王思宇", "柴亚文"],
        "copies": 120,
    }
    (html,) = render_issue(issue, ("html",))
    text = html.content.decode()
    for expected in ["【工作动态】", "编者按：", "内部资料 注意保存", "第7期", "（共印120份）"]:
        assert expected in text


def test_inline_edit_form_and_cancel_are_htmx_partials(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted()])
    entry = issue.entries.get()
    office = login(editor)
    url = reverse("bulletins:edit_entry", args=[issue.pk, entry.pk])
    form = office.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'id="entry-{entry.pk}"' in form and "<html" not in form and 'name="body"' in form
    cancel = office.post(url, {"cancel": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="body"' not in cancel and "区委宣传部创新打造文明实践" in cancel
    invalid = office.post(
        url,
        {"kind": "item", "title": "", "body": "x", "source_mode": "auto", "version": 1},
        HTTP_HX_REQUEST="true",
    )
    assert invalid.status_code == 400 and "信息须有标题。" in invalid.content.decode()


def test_chief_can_withdraw_a_signature_with_a_reason(
    login: Login, editor: User, chief: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted()])
    issue = do_transition_issue(issue=issue, action="proof", actor=editor)
    issue = do_transition_issue(issue=issue, action="sign", actor=chief)
    response = login(chief).post(
        reverse("bulletins:transition", args=[issue.pk]),
        {"action": "unsign", "reason": "第2条数据待核实"},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.state, issue.signed_by, issue.signed_at) == ("proof", None, None)


def test_stale_header_save_is_refused(login: Login, editor: User, issue: Issue) -> None:
    office = login(editor)
    data = {"number": 1, "issue_date": "2024-06-17", "version": issue.version}
    office.post(reverse("bulletins:header", args=[issue.pk]), {**data, "editor_note": "甲"})
    response = office.post(
        reverse("bulletins:header", args=[issue.pk]), {**data, "editor_note": "乙"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "本期已被 王思宇" in page and "乙</textarea>" in page  # the refused text is kept
    issue.refresh_from_db()
    assert issue.editor_note == "甲" and issue.issue_date == datetime.date(2024, 6, 17)
    # Saving the kept text again is a deliberate overwrite.
    assert response.context["header_form"]["version"].value() == str(issue.version)


def test_editor_page_queries_do_not_grow_with_entries(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = login(editor)
    url = reverse("bulletins:detail", args=[issue.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert office.get(url).status_code == 200
        return len(captured)

    do_add_submissions(issue=issue, actor=editor, submissions=[adopted(title="一")])
    few = queries()
    more = [adopted(title=f"第{n}条") for n in range(8)]
    do_add_submissions(issue=issue, actor=editor, submissions=more)
    assert queries() == few
