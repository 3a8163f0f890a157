"""The submission desk as people use it, through HTTP: report, review, return, resubmit, adopt."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.submissions.models import Decision, Submission
from jianbao.submissions.tests.factories import BODY, TITLE, make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def act(client: Client, submission: Submission, action: str, reason: str = "") -> Any:
    """Press an action button on the item page and follow the redirect."""
    response = client.post(
        reverse("submissions:transition", args=[submission.pk]),
        {"action": action, "reason": reason},
        follow=True,
    )
    assert response.status_code == 200
    return response


def test_reporter_submits_editor_returns_reporter_resubmits_editor_adopts(
    login: Login, reporter_a: User, editor: User
) -> None:
    reporter, office = login(reporter_a), login(editor)

    # The reporter writes a draft and submits it in one go.
    response = reporter.post(
        reverse("submissions:create"),
        {"title": TITLE, "body": BODY, "kind": "item", "urgency": "normal", "then": "submit"},
        follow=True,
    )
    assert response.status_code == 200
    item = Submission.objects.get()
    assert item.state == State.SUBMITTED
    assert item.submitted_at is not None

    # It shows up in the editor's inbox; the editor claims it.
    inbox = office.get(reverse("submissions:inbox"))
    assert TITLE in inbox.content.decode()
    act(office, item, "claim")
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW
    assert item.claimed_by == editor

    # Returning needs a reason; without one nothing changes and the editor is told why.
    page = act(office, item, "return")
    assert "须填写理由" in page.content.decode()
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW
    act(office, item, "return", reason="请补充具体成效数据")
    item.refresh_from_db()
    assert item.state == State.RETURNED

    # The reporter sees the reason, revises and resubmits.
    detail = reporter.get(reverse("submissions:detail", args=[item.pk])).content.decode()
    assert "退回修改</b>（王思宇" in detail  # the reason is on top of the page, with who sent it
    assert "请补充具体成效数据" in detail
    reporter.post(
        reverse("submissions:edit", args=[item.pk]),
        {
            "title": TITLE,
            "body": BODY + "\n今年以来，开展活动120余场。",
            "kind": "item",
            "urgency": "normal",
            "version": item.version,
        },
    )
    act(reporter, item, "submit")
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert item.revisions.count() == 2

    # The editor claims it again, tightens a sentence and adopts it.
    act(office, item, "claim")
    item.refresh_from_db()
    office.post(
        reverse("submissions:edit", args=[item.pk]),
        {
            "title": TITLE,
            "body": item.body.replace("开展活动120余场", "开展活动120场"),
            "kind": "item",
            "urgency": "normal",
            "version": item.version,
        },
    )
    act(office, item, "adopt")
    item.refresh_from_db()
    assert item.state == State.ADOPTED
    assert [r.by_office for r in item.revisions.all()] == [False, False, True]

    history = list(
        Decision.objects.filter(submission=item).values_list("action", "from_state", "to_state")
    )
    assert history == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("claim", "submitted", "in_review"),
        ("return", "in_review", "returned"),
        ("submit", "returned", "submitted"),
        ("claim", "submitted", "in_review"),
        ("adopt", "in_review", "adopted"),
    ]
    # The reporter can see how the editor changed the item, character by character.
    compare = reporter.get(reverse("submissions:compare", args=[item.pk]), {"a": 2, "b": 3})
    html = compare.content.decode()
    assert "<del>余</del>" in html


def test_unit_with_signoff_needs_the_approver_first(
    login: Login, reporter_signoff: User, approver_signoff: User, editor: User
) -> None:
    item = make_submission(author=reporter_signoff)
    act(login(reporter_signoff), item, "submit")
    item.refresh_from_db()
    assert item.state == State.AWAITING_UNIT_APPROVAL
    # Not yet in the office's inbox.
    assert TITLE not in login(editor).get(reverse("submissions:inbox")).content.decode()
    # The approver sees it waiting, and sends it back with a reason.
    approver = login(approver_signoff)
    assert "待我审核" in approver.get(reverse("submissions:unit_list")).content.decode()
    act(approver, item, "send_back", reason="数据请再核实")
    item.refresh_from_db()
    # The reporter sees it as sent back, with the reason (not as a plain draft); the office not.
    assert item.state == State.SENT_BACK
    page = login(reporter_signoff).get(reverse("submissions:unit_list")).content.decode()
    assert "单位审核退回" in page
    detail = login(reporter_signoff).get(reverse("submissions:detail", args=[item.pk]))
    assert "数据请再核实" in detail.content.decode()
    assert login(editor).get(reverse("submissions:detail", args=[item.pk])).status_code == 404
    act(login(reporter_signoff), item, "submit")
    act(approver, item, "approve")
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert TITLE in login(editor).get(reverse("submissions:inbox")).content.decode()


def test_reporter_withdraws_a_submitted_item(login: Login, reporter_a: User) -> None:
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    act(login(reporter_a), item, "withdraw")
    item.refresh_from_db()
    assert item.state == State.DRAFT


def test_archive_needs_a_reason_and_can_be_reopened(
    login: Login, reporter_a: User, editor: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor)
    office = login(editor)
    act(office, item, "archive")
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW
    act(office, item, "archive", reason="与上期内容重复")
    item.refresh_from_db()
    assert item.state == State.ARCHIVED
    act(office, item, "reopen")
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW


def test_illegal_transition_is_refused_with_a_clear_message(
    login: Login, reporter_a: User, editor: User
) -> None:
    draft = make_submission(author=reporter_a)
    hidden = login(editor).post(
        reverse("submissions:transition", args=[draft.pk]), {"action": "adopt"}
    )
    assert hidden.status_code == 404  # editors cannot even see a unit's drafts
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    page = act(login(reporter_a), item, "adopt")
    assert "不能执行「采用」" in page.content.decode()
    item.refresh_from_db()
    assert item.state == State.SUBMITTED


def test_others_see_who_holds_a_claim_and_cannot_act_on_it(
    login: Login, reporter_a: User, editor: User, editor2: User, chief: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor)
    other = login(editor2)
    page = other.get(reverse("submissions:detail", args=[item.pk])).content.decode()
    assert "王思宇" in page and "已认领" in page
    result = act(other, item, "adopt")
    assert "无权" in result.content.decode()
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW
    # A chief may release a stale claim.
    act(login(chief), item, "release")
    item.refresh_from_db()
    assert item.state == State.SUBMITTED
    assert item.claimed_by is None


def test_inbox_filters_and_counts(
    login: Login, reporter_a: User, reporter_b: User, editor: User
) -> None:
    make_submission(author=reporter_a, state=State.SUBMITTED, title="宣传部的信息")
    make_submission(
        author=reporter_b, state=State.SUBMITTED, title="总工会的信息", urgency="urgent"
    )
    make_submission(author=reporter_b, state=State.ADOPTED, editor=editor, title="总工会已采用")
    make_submission(author=reporter_b, title="总工会草稿")
    office = login(editor)
    html = office.get(reverse("submissions:inbox")).content.decode()
    assert "总工会草稿" not in html  # drafts stay with the unit
    # Urgent first.
    assert html.index("总工会的信息") < html.index("宣传部的信息")
    assert 'data-state-count="submitted">2<' in html
    assert 'data-state-count="adopted">1<' in html
    filtered = office.get(
        reverse("submissions:inbox"), {"unit": str(reporter_a.unit_id)}
    ).content.decode()
    assert "宣传部的信息" in filtered and "总工会的信息" not in filtered
    by_state = office.get(reverse("submissions:inbox"), {"state": "adopted"}).content.decode()
    assert "总工会已采用" in by_state and "宣传部的信息" not in by_state
    # htmx gets only the results partial.
    partial = office.get(reverse("submissions:inbox"), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="results"' in partial and "<html" not in partial


def test_kept_counts_agree_with_a_recount(
    login: Login, reporter_a: User, reporter_b: User, editor: User
) -> None:
    from jianbao.submissions.models import StateCount
    from jianbao.submissions.services import rebuild_state_counts

    make_submission(author=reporter_a, state=State.RETURNED, editor=editor)
    make_submission(author=reporter_b, state=State.ADOPTED, editor=editor, kind="brief")
    item = make_submission(author=reporter_b, state=State.ARCHIVED, editor=editor)
    act(login(editor), item, "reopen")
    kept = sorted(
        StateCount.objects.filter(count__gt=0).values_list("unit_id", "kind", "state", "count")
    )
    rebuild_state_counts()
    assert sorted(StateCount.objects.values_list("unit_id", "kind", "state", "count")) == kept


def test_inbox_counts_follow_a_date_filter(login: Login, reporter_a: User, editor: User) -> None:
    make_submission(author=reporter_a, state=State.SUBMITTED)
    office = login(editor)
    today = office.get(reverse("submissions:inbox"), {"date_from": "2000-01-01"}).content.decode()
    assert 'data-state-count="submitted">1<' in today
    future = office.get(reverse("submissions:inbox"), {"date_from": "2999-01-01"}).content.decode()
    assert 'data-state-count="submitted">0<' in future
