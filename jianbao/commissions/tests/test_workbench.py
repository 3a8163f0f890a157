"""The commission panels on the 工作台."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.commissions.services import do_sweep_commissions
from jianbao.commissions.tests.factories import make_commission

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def test_reporter_home_lists_open_commissions_with_days_left(
    login: Login, editor: User, reporter_a: User, reporter_b: User
) -> None:
    make_commission(
        editor=editor, units=[reporter_a.unit], title="本周约稿", issued_on=timezone.localdate()
    )
    make_commission(editor=editor, units=[reporter_a.unit], title="早先的约稿")  # overdue
    page = login(reporter_a).get("/").content.decode()
    assert "约稿待报" in page and "本周约稿" in page and "个工作日" in page
    assert "早先的约稿" in page and "已逾期" in page
    assert "本周约稿" not in login(reporter_b).get("/").content.decode()


def test_editor_home_shows_answers_and_overdue_units(
    login: Login, editor: User, reporter_a: User
) -> None:
    make_commission(editor=editor, units=[reporter_a.unit], title="早先的约稿")
    do_sweep_commissions()
    page = login(editor).get("/").content.decode()
    assert "约稿回复" in page and "逾期未报" in page and "区委宣传部" in page
