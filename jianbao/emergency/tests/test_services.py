"""Emergency reports through their services, with a controllable clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jianbao.accounts.models import AuditEvent, User
from jianbao.assessment.facts import collect_facts
from jianbao.emergency.models import ThreadState
from jianbao.emergency.services import (
    Elements,
    do_add_report,
    do_forward_to_leaders,
    do_start_emergency,
)
from jianbao.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db
START = datetime(2025, 9, 22, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
ELEMENTS = Elements(
    occurred="9月22日9时40分", place="上街区中心路与新安路交叉口", what="一辆货车与公交车相撞。",
    contact="李明 13800000000", casualties="2人轻伤", measures="交警、120已到场处置。",
)  # fmt: skip


def test_start_alerts_the_office_at_once(reporter_a: User, editor: User, chief: User) -> None:
    thread = do_start_emergency(actor=reporter_a, title="中心路交通事故", now=START)
    assert thread.next_due_at == START + timedelta(minutes=60)
    for person in (editor, chief):
        assert Notification.objects.filter(
            recipient=person, kind=NotificationKind.EMERGENCY_REPORT
        ).exists()


def test_only_reporters_start(editor: User, outsider: User) -> None:
    for actor in (editor, outsider):
        with pytest.raises(PermissionDenied):
            do_start_emergency(actor=actor, title="x", now=START)


def test_thread_initial_late_followup_and_final(
    reporter_a: User, reporter_b: User, settings: object
) -> None:
    settings.JIANBAO_EMERGENCY_FOLLOWUP_HOURS = 2  # type: ignore[attr-defined]
    thread = do_start_emergency(actor=reporter_a, title="中心路交通事故", now=START)
    with pytest.raises(ValidationError, match="请先报送初报"):
        do_add_report(actor=reporter_a, thread=thread, kind="followup", elements=ELEMENTS)
    first = do_add_report(
        actor=reporter_a, thread=thread, kind="initial", elements=ELEMENTS,
        now=START + timedelta(minutes=55),
    )  # fmt: skip
    assert not first.late
    thread.refresh_from_db()
    assert thread.next_due_at == START + timedelta(minutes=55, hours=2)
    with pytest.raises(PermissionDenied):
        do_add_report(actor=reporter_b, thread=thread, kind="followup", elements=ELEMENTS)
    second = do_add_report(
        actor=reporter_a, thread=thread, kind="followup", elements=ELEMENTS,
        now=START + timedelta(hours=3),
    )  # fmt: skip
    assert second.late
    do_add_report(
        actor=reporter_a, thread=thread, kind="final", elements=ELEMENTS,
        now=START + timedelta(hours=4),
    )  # fmt: skip
    thread.refresh_from_db()
    assert thread.state == ThreadState.FINAL and thread.next_due_at is None
    with pytest.raises(ValidationError, match="已终报"):
        do_add_report(actor=reporter_a, thread=thread, kind="followup", elements=ELEMENTS)


def test_missing_elements_are_refused_in_chinese(reporter_a: User) -> None:
    thread = do_start_emergency(actor=reporter_a, title="火情", now=START)
    with pytest.raises(ValidationError) as error:
        do_add_report(
            actor=reporter_a, thread=thread, kind="initial",
            elements=Elements(occurred="", place="", what="", contact=""),
        )  # fmt: skip
    assert "请填写事发地点。" in error.value.message_dict["place"]


def test_forward_typesets_a_songyue_and_counts_for_scoring(
    reporter_a: User, editor: User, leader: User
) -> None:
    thread = do_start_emergency(actor=reporter_a, title="中心路交通事故", now=START)
    with pytest.raises(ValidationError, match="尚无书面报告"):
        do_forward_to_leaders(actor=editor, thread=thread)
    do_add_report(
        actor=reporter_a, thread=thread, kind="initial", elements=ELEMENTS,
        now=START + timedelta(minutes=30),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        do_forward_to_leaders(actor=reporter_a, thread=thread)
    thread = do_forward_to_leaders(actor=editor, thread=thread, now=START + timedelta(hours=1))
    data = thread.compiled_pdf.read()
    assert data.startswith(b"%PDF")
    assert len(thread.compiled_sha256) == 64
    assert Notification.objects.filter(recipient=leader, kind="emergency_forwarded").exists()
    assert AuditEvent.objects.filter(action="emergency.forward").exists()
    facts = collect_facts(start=date(2025, 9, 22), end=date(2025, 9, 22))
    songyue = [a for a in facts.adoptions if a.outlet == "送阅件"]
    assert [a.units for a in songyue] == [(reporter_a.unit_id,)]
