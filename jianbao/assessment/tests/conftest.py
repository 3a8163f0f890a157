"""Fixtures of the scoring tests: a rule set in force, reported items, a small ledger."""

from __future__ import annotations

from datetime import date

import pytest

from jianbao.accounts.models import User
from jianbao.assessment.models import RuleSetVersion
from jianbao.assessment.services import do_save_rule_set_version
from jianbao.scoring.presets import R5
from jianbao.submissions.models import Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State


@pytest.fixture
def rules(chief: User) -> RuleSetVersion:
    """R5's figures, in force from 2024-01-01."""
    return do_save_rule_set_version(
        actor=chief, name="R5 信息工作目标考核", effective_from=date(2024, 1, 1), rules=R5
    )


@pytest.fixture
def reported(reporter_a: User, editor: User) -> Submission:
    """An item of 区委宣传部 the office adopted."""
    return make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)


@pytest.fixture
def reported_b(reporter_b: User, editor: User) -> Submission:
    """An item of 区总工会 the office adopted."""
    return make_submission(author=reporter_b, state=State.ADOPTED, editor=editor, title="工会")
