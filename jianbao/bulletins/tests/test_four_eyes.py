"""Four eyes per series: whoever last changed an issue's content may not sign it (issue 15)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from jianbao.accounts.models import AuditEvent, Role, Unit, User
from jianbao.accounts.tests.factories import UserFactory
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.services import (
    do_create_entry,
    do_transition_issue,
    do_update_series,
)

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def editing_chief(office: Unit) -> User:
    """One account holding editor + chief: the case the standard worries about."""
    return UserFactory(username="zhuren", unit=office, roles=[Role.EDITOR, Role.CHIEF])


def _write_and_proof(issue: Issue, who: User) -> Issue:
    do_create_entry(issue=issue, actor=who, kind="item", title="一条信息", body="正文。")
    return do_transition_issue(issue=issue, action="proof", actor=who)


def test_the_last_editor_cannot_sign(issue: Issue, editing_chief: User) -> None:
    issue = _write_and_proof(issue, editing_chief)
    with pytest.raises(PermissionDenied, match="双人复核"):
        do_transition_issue(issue=issue, action="sign", actor=editing_chief)
    denied = AuditEvent.objects.filter(action="issue.sign").exists()
    assert not denied


def test_another_chief_signs_what_the_first_edited(
    issue: Issue, editing_chief: User, chief: User
) -> None:
    issue = _write_and_proof(issue, editing_chief)
    signed = do_transition_issue(issue=issue, action="sign", actor=chief)
    assert signed.state == "signed" and signed.signed_by == chief


def test_a_series_may_turn_four_eyes_off_and_that_is_audited(
    series: Series, issue: Issue, editing_chief: User, editor: User
) -> None:
    do_update_series(
        series=series,
        actor=editor,
        title=series.title,
        organ=series.organ,
        yearly_numbering=series.yearly_numbering,
        cumulative_numbering=series.cumulative_numbering,
        report_to=series.report_to,
        send_to=series.send_to,
        distribute_to=series.distribute_to,
        extra_to=series.extra_to,
        editors=series.editors,
        marks=series.marks,
        copies=series.copies,
        four_eyes=False,
    )
    event = AuditEvent.objects.filter(action="series.edit").latest("sequence")
    assert event.detail == {"four_eyes": {"before": True, "after": False}}
    issue = _write_and_proof(issue, editing_chief)
    issue.series.refresh_from_db()
    signed = do_transition_issue(issue=issue, action="sign", actor=editing_chief)
    assert signed.state == "signed"


def test_the_refusal_is_chinese_over_http(login: Login, issue: Issue, editing_chief: User) -> None:
    issue = _write_and_proof(issue, editing_chief)
    response = login(editing_chief).post(
        f"/api/v1/issues/{issue.pk}/transitions",
        {"action": "sign", "version": issue.version},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "最后修改人，不能签发本期" in response.json()["detail"]
    assert AuditEvent.objects.filter(action="access.denied", actor=editing_chief).exists()
