"""The reminder sweep from the CLI and from the worker loop."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jianbao.accounts.models import User
from jianbao.cli import main
from jianbao.commissions.models import TargetState
from jianbao.commissions.tests.factories import make_commission
from jianbao.notifications.models import Notification


@pytest.mark.django_db
def test_cli_sweep_marks_missed_once_and_outcomes_list_them(
    capsys: pytest.CaptureFixture[str], editor: User, reporter_a: User
) -> None:
    make_commission(editor=editor, units=[reporter_a.unit])  # deadline 2025-09-29: long past
    assert main(["commissions", "sweep", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"due_reminded": 0, "overdue": 1}
    assert main(["commissions", "sweep", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"due_reminded": 0, "overdue": 0}
    assert (
        main(["commissions", "outcomes", "--from", "2025-09-01", "--to", "2025-09-30", "--json"])
        == 0
    )
    [row] = json.loads(capsys.readouterr().out)
    assert (row["unit"], row["state"], row["declined"]) == ("区委宣传部", "missed", False)


@pytest.mark.django_db
def test_cli_outcomes_bad_period_is_one_line_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["commissions", "outcomes", "--from", "2025-09-30", "--to", "2025-09-01"]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_sweep(settings: Any, editor: User, reporter_a: User) -> None:
    from jianbao.operations.task_worker import ResilientWorker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    ResilientWorker(interval=0, batch=True).run()
    assert commission.targets.get().state == TargetState.MISSED
    assert Notification.objects.filter(recipient=reporter_a, kind="commission_overdue").count() == 1
