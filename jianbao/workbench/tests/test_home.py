"""The 工作台 shows each person the work of each role they hold, with counts and links."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import Role, User
from jianbao.accounts.tests.factories import UserFactory
from jianbao.bulletins.services import (
    do_add_submissions,
    do_create_issue,
    do_create_series,
    do_transition_issue,
)
from jianbao.submissions.services import do_transition
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def home(client: Client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_reporter_sees_returned_items_with_the_reason_and_outcomes(
    login: Login, reporter_a: User, editor: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor, title="甲稿")
    do_transition(submission=item, action="return", actor=editor, reason="请补充今年的数据")
    make_submission(author=reporter_a, state=State.ADOPTED, editor=editor, title="乙稿")
    page = home(login(reporter_a))
    assert 'id="returned"' in page and "甲稿" in page and "请补充今年的数据" in page
    assert "乙稿" in page and "已采用" in page
    assert f'href="/submissions/{item.pk}/"' in page
    # The menu carries the count of returned items and the unread notifications.
    assert 'title="退回修改">1<' in page
    assert '<span class="count hot">2</span><span class="visually-hidden"> 条未读</span>' in page


def test_item_sent_back_by_the_unit_approver_shows_as_returned(
    login: Login, reporter_signoff: User, approver_signoff: User
) -> None:
    item = make_submission(author=reporter_signoff, title="丙稿")
    do_transition(submission=item, action="submit", actor=reporter_signoff)
    assert "丙稿" in home(login(approver_signoff))  # 待我审核
    do_transition(submission=item, action="send_back", actor=approver_signoff, reason="数字有误")
    page = home(login(reporter_signoff))
    assert "单位审核退回" in page and "数字有误" in page


def test_editor_sees_new_items_claims_and_issues(
    login: Login, reporter_a: User, editor: User, editor2: User
) -> None:
    make_submission(author=reporter_a, state=State.SUBMITTED, title="新来的稿")
    make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor, title="我认领的稿")
    make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor2, title="别人的稿")
    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    page = home(login(editor))
    assert "新来的稿" in page and "我认领的稿" in page and "别人的稿" not in page
    assert "上街信息 2024年第1期" in page
    assert "收稿箱 <span" in page


def test_chief_sees_issues_waiting_for_signature_with_a_path_to_sign(
    login: Login, reporter_a: User, editor: User, chief: User
) -> None:
    item = make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)
    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    do_add_submissions(issue=issue, actor=editor, submissions=[item])
    issue.refresh_from_db()
    assert "没有等待签发的期刊" in home(login(chief))
    do_transition_issue(issue=issue, action="proof", actor=editor)
    page = home(login(chief))
    assert 'id="to-sign"' in page and "上街信息 2024年第1期" in page
    assert f'href="/issues/{issue.pk}/sign/"' in page and "审阅并签发" in page
    assert f'href="/issues/{issue.pk}/read/"' in page
    assert "待签发 <span" in page


def test_leader_admin_auditor_and_outsider_get_their_own_panels(
    login: Login, leader: User, auditor: User, outsider: User
) -> None:
    assert "新印发的简报" in home(login(leader))
    admin = UserFactory(username="admin", roles=[Role.ADMIN])
    page = home(login(admin))
    assert "投递失败的消息" in page and "群机器人设置" in page
    assert "最近的审计事件" in home(login(auditor))
    page = home(login(outsider))
    assert "暂未分配" in page and "新收稿件" not in page


def test_home_runs_a_bounded_number_of_queries(
    login: Login,
    reporter_a: User,
    editor: User,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(12):
        make_submission(author=reporter_a, state=State.SUBMITTED, title=f"稿{n}")
    client = login(editor)
    home(client)
    with django_assert_max_num_queries(25):
        home(client)
