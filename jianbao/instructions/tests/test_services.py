"""Instruction follow-up through its services, with a controllable clock."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jianbao.accounts.models import AuditEvent, User
from jianbao.assessment.facts import collect_facts
from jianbao.instructions.models import FollowUpState, TargetState
from jianbao.instructions.selectors import feedback_outcomes
from jianbao.instructions.services import (
    do_ask_more,
    do_close_follow_up,
    do_remind_follow_up,
    do_submit_feedback,
)
from jianbao.instructions.tests.factories import DAY, DUE, at, make_follow_up
from jianbao.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def test_create_hands_the_instruction_to_units(
    editor: User, reporter_a: User, reporter_b: User
) -> None:
    follow_up = make_follow_up(actor=editor, units=[reporter_a.unit, reporter_b.unit])
    assert follow_up.instruction.entry is not None
    assert {t.unit_id for t in follow_up.targets.all()} == {reporter_a.unit_id, reporter_b.unit_id}
    assert Notification.objects.filter(
        recipient=reporter_a, kind=NotificationKind.INSTRUCTION_TASK
    ).exists()
    assert AuditEvent.objects.filter(action="instruction.follow_up_create").exists()


def test_a_leader_records_his_own(leader: User, reporter_a: User) -> None:
    follow_up = make_follow_up(actor=leader, units=[reporter_a.unit])
    assert follow_up.leader == leader


def test_a_reporter_cannot_record(reporter_a: User) -> None:
    with pytest.raises(PermissionDenied):
        make_follow_up(actor=reporter_a, units=[reporter_a.unit])


def test_feedback_ask_more_and_close(
    editor: User, leader: User, reporter_a: User, reporter_b: User
) -> None:
    follow_up = make_follow_up(actor=editor, units=[reporter_a.unit], leader=leader)
    attachment = SimpleUploadedFile("进展.pdf", b"%PDF-1.4 test")
    do_submit_feedback(
        actor=reporter_a, follow_up=follow_up, text="已完成改造方案。", attachment=attachment,
        now=at(date(2025, 9, 24)),
    )  # fmt: skip
    target = follow_up.targets.get()
    assert target.state == TargetState.ANSWERED
    assert Notification.objects.filter(recipient=leader, kind="instruction_feedback").exists()
    with pytest.raises(PermissionDenied):
        do_submit_feedback(actor=reporter_b, follow_up=follow_up, text="不相干")
    do_ask_more(
        actor=leader, target=target, text="请补充资金来源。", due_date=date(2025, 9, 30),
        now=at(date(2025, 9, 25)),
    )  # fmt: skip
    target.refresh_from_db()
    assert (target.round, target.state) == (2, TargetState.PENDING)
    do_submit_feedback(
        actor=reporter_a, follow_up=follow_up, text="资金由区财政安排。", now=at(date(2025, 9, 29))
    )
    target.refresh_from_db()
    assert target.first_answered_at == at(date(2025, 9, 24))  # lateness judged by the first
    do_close_follow_up(actor=editor, follow_up=follow_up, now=at(date(2025, 9, 30)))
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.CLOSED
    with pytest.raises(ValidationError):
        do_submit_feedback(actor=reporter_a, follow_up=follow_up, text="再补充")


def test_attachment_limits(editor: User, reporter_a: User, settings: object) -> None:
    follow_up = make_follow_up(actor=editor, units=[reporter_a.unit])
    with pytest.raises(ValidationError, match="附件只能是"):
        do_submit_feedback(
            actor=reporter_a, follow_up=follow_up, text="x",
            attachment=SimpleUploadedFile("run.exe", b"MZ"),
        )  # fmt: skip
    settings.JIANBAO_MAX_ATTACHMENT_BYTES = 10  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="附件超过"):
        do_submit_feedback(
            actor=reporter_a, follow_up=follow_up, text="x",
            attachment=SimpleUploadedFile("a.pdf", b"%PDF-1.4 more than ten"),
        )  # fmt: skip


def test_remind_only_the_pending(editor: User, reporter_a: User, reporter_b: User) -> None:
    follow_up = make_follow_up(actor=editor, units=[reporter_a.unit, reporter_b.unit])
    do_submit_feedback(actor=reporter_a, follow_up=follow_up, text="已办。", now=at(DUE))
    assert do_remind_follow_up(actor=editor, follow_up=follow_up) == 1


def test_outcomes_with_a_controllable_clock(
    editor: User, reporter_a: User, reporter_b: User, reporter_signoff: User
) -> None:
    units = [reporter_a.unit, reporter_b.unit, reporter_signoff.unit]
    follow_up = make_follow_up(actor=editor, units=units)
    do_submit_feedback(actor=reporter_a, follow_up=follow_up, text="按时。", now=at(DUE, 23, 59))
    do_submit_feedback(
        actor=reporter_b, follow_up=follow_up, text="晚了。", now=at(date(2025, 9, 27), 0, 1)
    )
    before = feedback_outcomes(start=DUE, end=DUE, now=at(DUE, 12))
    assert sorted(o.state for o in before) == ["late", "on_time", "open"]
    next_day = at(date(2025, 9, 27), 9)
    after = {o.unit_id: o.state for o in feedback_outcomes(start=DUE, end=DUE, now=next_day)}
    assert after == {
        reporter_a.unit_id: "on_time",
        reporter_b.unit_id: "late",
        reporter_signoff.unit_id: "missed",
    }


def test_late_and_missed_feedback_are_scoring_facts(
    editor: User, reporter_a: User, reporter_b: User
) -> None:
    follow_up = make_follow_up(actor=editor, units=[reporter_a.unit, reporter_b.unit], due_date=DUE)
    do_submit_feedback(
        actor=reporter_a, follow_up=follow_up, text="晚了。", now=at(date(2025, 9, 28))
    )
    facts = collect_facts(start=DAY, end=DUE)
    feedback = {(o.unit, o.outcome) for o in facts.outcomes if o.kind == "feedback"}
    assert feedback == {(reporter_a.unit_id, "late"), (reporter_b.unit_id, "missed")}
    assert any(f.id == str(follow_up.instruction_id) for f in facts.instructions)
