"""Fixtures of the bad-input tests: a series, a draft issue and an adopted item to aim at."""

from __future__ import annotations

import datetime

import pytest

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.services import do_create_issue, do_create_series
from jianbao.submissions.models import Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State


@pytest.fixture
def series(editor: User) -> Series:
    return do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")


@pytest.fixture
def issue(series: Series, editor: User) -> Issue:
    return do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))


@pytest.fixture
def adopted(editor: User, reporter_a: User) -> Submission:
    return make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)


@pytest.fixture
def draft(reporter_a: User) -> Submission:
    return make_submission(author=reporter_a)
