"""Commission services: publish, answer, decline, close, lateness, idempotent reminders."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from jianbao.accounts.models import AuditEvent, Unit, UnitKind, User
from jianbao.accounts.services import do_create_unit
from jianbao.commissions.models import Commission, CommissionState, TargetMode, TargetState
from jianbao.commissions.selectors import commission_outcomes
from jianbao.commissions.services import (
    do_answer_commission,
    do_answer_with_new_submission,
    do_close_commission,
    do_create_commission,
    do_decline_commission,
    do_remind_commission,
    do_sweep_commissions,
)
from jianbao.commissions.tests.factories import DEADLINE, ISSUED_ON, at, make_commission
from jianbao.notifications.models import Notification
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db


def kinds_for(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_publishing_computes_the_deadline_and_tells_the_units(
    editor: User, reporter_a: User, reporter_b: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    assert commission.deadline == DEADLINE
    assert not commission.deadline_estimated
    assert [t.unit for t in commission.targets.all()] == [reporter_a.unit]
    assert kinds_for(reporter_a) == ["commission_received"]
    assert kinds_for(reporter_b) == []
    assert AuditEvent.objects.filter(action="commission.create").count() == 1


def test_targets_by_kind_and_all(editor: User, unit_a: Unit, unit_b: Unit) -> None:
    town = do_create_unit(name="峡窝镇", kind=UnitKind.TOWN)
    Unit.objects.filter(pk=do_create_unit(name="旧镇", kind=UnitKind.TOWN).pk).update(active=False)
    by_kind = do_create_commission(
        actor=editor, title="乡镇约稿", working_days=2, target_mode=TargetMode.KIND,
        unit_kind=UnitKind.TOWN,
    )  # fmt: skip
    assert [t.unit for t in by_kind.targets.all()] == [town]
    everyone = do_create_commission(
        actor=editor, title="全区约稿", working_days=2, target_mode=TargetMode.ALL
    )
    assert everyone.targets.count() == Unit.objects.filter(active=True).count()


def test_bad_input_is_refused_with_chinese_reasons(editor: User, reporter_a: User) -> None:
    with pytest.raises(ValidationError) as error:
        do_create_commission(actor=editor, title=" ", working_days=0, units=[])
    assert set(error.value.message_dict) >= {"title", "working_days"}
    with pytest.raises(ValidationError, match="至少选择一个单位"):
        do_create_commission(actor=editor, title="主题", working_days=3, units=[])
    with pytest.raises(PermissionDenied):
        do_create_commission(actor=reporter_a, title="主题", working_days=3, units=[])
    assert not Commission.objects.exists()


def test_answer_on_time_then_the_editor_is_told(
    editor: User, reporter_a: User, reporter_b: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit, reporter_b.unit])
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    # 23:59:59 on the deadline day is still on time.
    target = do_answer_commission(
        commission=commission, actor=reporter_a, submissions=[item], now=at(DEADLINE, 23, 59, 59)
    )
    assert target.state == TargetState.ANSWERED
    assert kinds_for(editor) == ["commission_answered"]
    assert AuditEvent.objects.filter(action="commission.answer").count() == 1


def test_an_answer_after_the_deadline_day_is_late(editor: User, reporter_a: User) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    target = do_answer_commission(
        commission=commission, actor=reporter_a, submissions=[item], now=at(date(2025, 9, 30), 0)
    )
    assert target.state == TargetState.LATE


def test_a_unit_cannot_answer_a_commission_not_addressed_to_it(
    editor: User, reporter_a: User, reporter_b: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    item = make_submission(author=reporter_b, state=State.SUBMITTED)
    with pytest.raises(Http404):
        do_answer_commission(commission=commission, actor=reporter_b, submissions=[item])
    with pytest.raises(Http404):
        do_decline_commission(commission=commission, actor=reporter_b, reason="无")


def test_only_reported_items_of_my_unit_and_each_once(
    editor: User, reporter_a: User, reporter_b: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit, reporter_b.unit])
    draft = make_submission(author=reporter_a)
    with pytest.raises(ValidationError, match="尚未报送"):
        do_answer_commission(commission=commission, actor=reporter_a, submissions=[draft])
    others = make_submission(author=reporter_b, state=State.SUBMITTED)
    with pytest.raises(PermissionDenied):
        do_answer_commission(commission=commission, actor=reporter_a, submissions=[others])
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    do_answer_commission(commission=commission, actor=reporter_a, submissions=[item])
    with pytest.raises(ValidationError, match="已用于报送约稿"):
        do_answer_commission(commission=commission, actor=reporter_a, submissions=[item])


def test_writing_an_answer_reports_and_links_it(editor: User, reporter_a: User) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    submission = do_answer_with_new_submission(
        commission=commission, actor=reporter_a, title="区委宣传部国庆文明实践", body="一是……"
    )
    assert submission.state == State.SUBMITTED
    target = commission.targets.get()
    assert [a.submission for a in target.answers.all()] == [submission]


def test_decline_needs_a_reason_and_counts_as_an_answer(editor: User, reporter_a: User) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    with pytest.raises(ValidationError):
        do_decline_commission(commission=commission, actor=reporter_a, reason="  ")
    target = do_decline_commission(
        commission=commission,
        actor=reporter_a,
        reason="本单位假期无相关活动",
        now=at(ISSUED_ON, 15),
    )
    assert (target.state, target.declined) == (TargetState.DECLINED, True)
    [outcome] = commission_outcomes(start=DEADLINE, end=DEADLINE, now=at(date(2025, 10, 9)))
    assert (outcome.state, outcome.declined) == ("on_time", True)


def test_closed_commission_takes_no_answers(editor: User, reporter_a: User) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    do_close_commission(commission=commission, actor=editor)
    commission.refresh_from_db()
    assert commission.state == CommissionState.CLOSED
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    with pytest.raises(ValidationError, match="不再接收"):
        do_answer_commission(commission=commission, actor=reporter_a, submissions=[item])
    with pytest.raises(PermissionDenied):
        do_close_commission(commission=commission, actor=reporter_a)


def test_sweep_reminds_once_before_and_once_after_the_deadline(
    editor: User, reporter_a: User, reporter_b: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit, reporter_b.unit])
    item = make_submission(author=reporter_b, state=State.SUBMITTED)
    do_answer_commission(
        commission=commission, actor=reporter_b, submissions=[item], now=at(ISSUED_ON, 11)
    )
    # Fri 09-26: two working days left (Sun 09-28 make-up, Mon 09-29) — nothing yet.
    assert do_sweep_commissions(now=at(date(2025, 9, 26), 9)).due_reminded == 0
    # Sun 09-28 (a make-up working day): the deadline is the next working day.
    for _ in range(3):
        do_sweep_commissions(now=at(date(2025, 9, 28), 9))
    assert kinds_for(reporter_a).count("commission_due_tomorrow") == 1
    assert "commission_due_tomorrow" not in kinds_for(reporter_b)  # it has answered
    # Still the deadline day at 23:00: not overdue.
    assert do_sweep_commissions(now=at(DEADLINE, 23)).overdue == 0
    for _ in range(3):
        do_sweep_commissions(now=at(date(2025, 9, 30), 8))
    assert kinds_for(reporter_a).count("commission_overdue") == 1
    states = dict(commission.targets.values_list("unit_id", "state"))
    assert states == {
        reporter_a.unit_id: TargetState.MISSED,
        reporter_b.unit_id: TargetState.ANSWERED,
    }


def test_a_missed_unit_that_answers_later_becomes_late(editor: User, reporter_a: User) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    do_sweep_commissions(now=at(date(2025, 9, 30)))
    assert commission.targets.get().state == TargetState.MISSED
    before = commission_outcomes(start=DEADLINE, end=DEADLINE, now=at(date(2025, 9, 30)))
    assert [o.state for o in before] == ["missed"]
    item = make_submission(author=reporter_a, state=State.SUBMITTED)
    do_answer_commission(
        commission=commission, actor=reporter_a, submissions=[item], now=at(date(2025, 10, 9))
    )
    assert commission.targets.get().state == TargetState.LATE
    [outcome] = commission_outcomes(start=date(2025, 9, 1), end=date(2025, 9, 30))
    assert outcome.state == "late"
    assert outcome.answered_at == at(date(2025, 10, 9))


def test_outcomes_before_the_deadline_are_open_and_cancelled_ones_count_for_nobody(
    editor: User, reporter_a: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit])
    outcomes = commission_outcomes(start=DEADLINE, end=DEADLINE, now=at(ISSUED_ON, 12))
    assert [(o.commission_id, o.unit_id, o.state) for o in outcomes] == [
        (commission.pk, reporter_a.unit_id, "open")
    ]
    assert commission_outcomes(start=date(2025, 10, 1), end=date(2025, 10, 31)) == []
    do_close_commission(commission=commission, actor=editor, cancel=True)
    assert commission_outcomes(start=DEADLINE, end=DEADLINE) == []


def test_manual_reminder_goes_to_units_that_have_not_answered(
    editor: User, reporter_a: User, reporter_b: User
) -> None:
    commission = make_commission(editor=editor, units=[reporter_a.unit, reporter_b.unit])
    do_decline_commission(commission=commission, actor=reporter_b, reason="无")
    assert do_remind_commission(commission=commission, actor=editor, now=at(ISSUED_ON, 16)) == 1
    assert "commission_due_tomorrow" in kinds_for(reporter_a)
    assert "commission_due_tomorrow" not in kinds_for(reporter_b)
    assert AuditEvent.objects.filter(action="commission.remind").count() == 1
