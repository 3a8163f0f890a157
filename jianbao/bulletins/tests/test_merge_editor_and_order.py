"""The merge editor (sources side by side, the editor's own title and text) and drag ordering."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services import (
    StaleIssueError,
    do_add_submissions,
    do_create_entry,
    do_reorder_entries,
    do_transition_issue,
)
from jianbao.bulletins.tests.conftest import AdoptedFactory

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _ids(issue: Issue) -> list[int]:
    return list(issue.entries.values_list("pk", flat=True))


def test_the_side_panel_opens_the_merge_editor_with_both_sources_side_by_side(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    first = adopted(title="区司法局受理未成年人案件", body="当天受理。")
    second = adopted(title="区检察院开展双排查", body="双排查。", unit_name="区检察院")
    office = login(editor)
    opened = office.post(
        reverse("bulletins:merge", args=[issue.pk]),
        {"submissions": [second.pk, first.pk], "open_editor": "1"},
    )
    assert opened.status_code == 302
    assert opened["Location"].startswith(reverse("bulletins:merge_editor", args=[issue.pk]))
    assert issue.entries.count() == 0  # opening the editor changes nothing
    page = office.get(opened["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("区司法局受理未成年人案件", "区检察院开展双排查", "当天受理。", "双排查。"):
        assert text in html
    assert "区委宣传部" in html and "区检察院" in html  # each source's unit, and joint credit
    form = page.context["form"]
    assert form.initial["title"] == "区司法局受理未成年人案件"  # the first report's title
    assert form.initial["body"] == "当天受理。\n双排查。"


def test_saving_the_merge_editor_creates_the_entry_with_the_editors_title_and_text(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    first = adopted(title="甲", body="当天受理。")
    second = adopted(title="乙", body="双排查。", unit_name="区检察院")
    office = login(editor)
    response = office.post(
        reverse("bulletins:merge", args=[issue.pk]),
        {
            "submissions": [first.pk, second.pk],
            "from_editor": "1",
            "title": "我区多部门联动筑牢未成年人保护防线",
            "body": "我区司法、检察部门联动。\n当天受理，双排查。",
            "section": "工作动态",
        },
    )
    entry = issue.entries.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    assert entry.title == "我区多部门联动筑牢未成年人保护防线"
    assert entry.body == "我区司法、检察部门联动。\n当天受理，双排查。"
    assert entry.section == "工作动态" and entry.source_line == ""
    assert {s.unit.name for s in entry.sources.all()} == {"区检察院", "区委宣传部"}
    assert AuditEvent.objects.filter(action="issue.merge").count() == 1


def test_a_refused_merge_keeps_the_editors_text_on_the_editor_page(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    first, second = adopted(title="甲"), adopted(title="乙", unit_name="区检察院")
    office = login(editor)
    data = {
        "submissions": [first.pk, second.pk],
        "from_editor": "1",
        "title": "",
        "body": "我写的正文。",
    }
    response = office.post(reverse("bulletins:merge", args=[issue.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "信息须有标题。" in html and "我写的正文。" in html
    assert issue.entries.count() == 0


def test_the_merge_editor_needs_two_sources_and_a_draft(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    first, second = adopted(title="甲"), adopted(title="乙")
    office = login(editor)
    url = reverse("bulletins:merge_editor", args=[issue.pk])
    response = office.get(url, {"submissions": [first.pk]}, follow=True)
    assert "至少需要两篇" in response.content.decode()
    do_create_entry(issue=issue, actor=editor, kind="item", title="标题", body="正文。")
    do_transition_issue(issue=issue, action="proof", actor=editor)
    response = office.get(url, {"submissions": [first.pk, second.pk]}, follow=True)
    assert "已出校样" in response.content.decode()


def test_the_api_merge_still_takes_a_title_and_an_optional_body(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    first, second = adopted(title="甲", body="一。"), adopted(title="乙", body="二。")
    office = login(editor)
    response = office.post(
        f"/api/v1/issues/{issue.pk}/entries/merge",
        {"submission_ids": [first.pk, second.pk], "title": "综合", "body": "编辑写的。"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert issue.entries.get().body == "编辑写的。"


def test_a_drop_saves_the_new_order_in_one_request_with_an_audit_event(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    do_add_submissions(
        issue=issue, actor=editor, submissions=[adopted(title=t) for t in ("一", "二", "三")]
    )
    a, b, c = _ids(issue)
    office = login(editor)
    response = office.post(
        reverse("bulletins:reorder_entries", args=[issue.pk]),
        {"order": f"{c},{a},{b}", "before": f"{a},{b},{c}", "version": issue.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "已保存新的顺序" in response.content.decode()
    assert _ids(issue) == [c, a, b]
    event = AuditEvent.objects.filter(action="issue.reorder").latest("pk")
    assert event.detail == {"order": [c, a, b], "via": "drag"}


def test_a_drop_on_a_stale_page_changes_nothing_and_says_so(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    do_add_submissions(
        issue=issue, actor=editor, submissions=[adopted(title=t) for t in ("一", "二", "三")]
    )
    a, b, c = _ids(issue)
    shown = f"{a},{b},{c}"
    do_reorder_entries(issue=issue, actor=editor, entry_ids=[b, a, c])  # someone else, meanwhile
    office = login(editor)
    response = office.post(
        reverse("bulletins:reorder_entries", args=[issue.pk]),
        {"order": f"{c},{a},{b}", "before": shown, "version": issue.version},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "您的保存未生效" in response.content.decode()
    assert _ids(issue) == [b, a, c]
    with pytest.raises(StaleIssueError):
        do_reorder_entries(issue=issue, actor=editor, entry_ids=[a, b, c], expected_order=[a, b, c])


def test_a_drop_is_refused_once_the_issue_is_in_proof(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted(), adopted(title="二")])
    a, b = _ids(issue)
    issue = do_transition_issue(issue=issue, action="proof", actor=editor)
    office = login(editor)
    response = office.post(
        reverse("bulletins:reorder_entries", args=[issue.pk]),
        {"order": f"{b},{a}", "before": f"{a},{b}", "version": issue.version},
    )
    assert response.status_code == 302
    assert _ids(issue) == [a, b]
    followed = office.get(response["Location"]).content.decode()
    assert "已出校样" in followed


def test_the_editor_page_offers_drag_handles_only_while_editable(
    login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted(), adopted(title="二")])
    office = login(editor)
    html = office.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    assert 'id="entry-order-form"' in html and "sortablejs-1.15.7.min.js" in html
    assert html.count('class="drag-handle"') == 2
    issue = do_transition_issue(issue=issue, action="proof", actor=editor)
    html = office.get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    assert "drag-handle" not in html and "sortablejs" not in html
