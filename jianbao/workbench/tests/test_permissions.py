"""Access matrix of the 工作台: anonymous to login; nobody sees another role's panels."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_outsider_sees_no_work_of_others(
    login: Login, outsider: User, reporter_a: User, reporter_b: User, editor: User
) -> None:
    make_submission(author=reporter_a, state=State.SUBMITTED, title="宣传部新稿")
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor, title="退稿")
    from jianbao.submissions.services import do_transition

    do_transition(submission=item, action="return", actor=editor, reason="秘密理由")
    for user in (outsider, reporter_b):
        page = login(user).get(reverse("home")).content.decode()
        assert "宣传部新稿" not in page and "秘密理由" not in page, user
