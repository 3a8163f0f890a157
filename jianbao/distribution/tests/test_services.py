"""Distribution services: lists resolve to people, delivery is idempotent, reads, 签收, 催阅."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jianbao.accounts.models import AuditEvent, Role, Unit, User
from jianbao.accounts.tests.factories import UserFactory
from jianbao.bulletins.models import Series
from jianbao.bulletins.services import do_start_correction
from jianbao.distribution import services
from jianbao.distribution.models import (
    Distribution,
    DistributionState,
    Line,
    Receipt,
    RecipientGroup,
)
from jianbao.distribution.tests.conftest import Publish
from jianbao.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def _group(editor: User, members: list[User], name: str = "区县处级领导") -> RecipientGroup:
    return services.do_save_group(actor=editor, name=name, members=members)


def test_a_series_list_resolves_groups_units_roles_and_users_once_each(  # noqa: PLR0917
    editor: User, series: Series, leaders: list[User], unit_a: Unit, reporter_a: User,
    reporter_b: User, immediate_tasks: None, publish: Publish,
) -> None:  # fmt: skip
    group = _group(editor, leaders)
    head = UserFactory(username="head_a", unit=unit_a, roles=[Role.UNIT_APPROVER])
    add = services.do_add_series_recipient
    add(actor=editor, series=series, line=Line.SEND, kind="group", group=group, paper=True)
    add(actor=editor, series=series, line=Line.DISTRIBUTE, kind="unit", unit=unit_a)
    add(actor=editor, series=series, line=Line.DISTRIBUTE, kind="unit", unit=reporter_b.unit)
    add(actor=editor, series=series, line=Line.EXTRA, kind="user", user=leaders[0])

    issue = publish()

    receipts = {r.recipient: r for r in Receipt.objects.filter(issue=issue)}
    # 区委宣传部 has a unit approver: it goes to them, not the reporter; 区总工会 has a reporter.
    assert set(receipts) == {*leaders, head, reporter_b}
    assert receipts[leaders[0]].line == Line.SEND  # the first line wins over 增发
    assert receipts[leaders[0]].via == "区县处级领导"
    assert sorted(r.copy_number for r in receipts.values() if r.copy_number) == [1, 2, 3]
    assert receipts[head].copy_number is None and receipts[head].via == "区委宣传部"
    distribution = Distribution.objects.get(issue=issue)
    assert distribution.state == DistributionState.DELIVERED
    assert (distribution.recipients, distribution.paper_copies, distribution.print_count) == (
        5, 3, 40,
    )  # fmt: skip
    told = Notification.objects.filter(kind=NotificationKind.ISSUE_DELIVERED)
    assert set(told.values_list("recipient__username", flat=True)) == {u.username for u in receipts}
    assert told.first().url == f"/issues/{issue.pk}/read/"  # type: ignore[union-attr]
    # With a list, leaders are told through 收件 only (no second blanket notice).
    assert not Notification.objects.filter(kind=NotificationKind.ISSUE_PUBLISHED).exists()
    assert AuditEvent.objects.filter(
        action="distribution.deliver", object_id=str(issue.pk)
    ).exists()


def test_publishing_only_queues_the_delivery_and_running_it_twice_changes_nothing(
    editor: User, series: Series, leaders: list[User], publish: Publish
) -> None:
    group = _group(editor, leaders)
    services.do_add_series_recipient(
        actor=editor, series=series, line=Line.SEND, kind="group", group=group, paper=True
    )
    issue = publish()  # the database task backend: queued, not run
    distribution = Distribution.objects.get(issue=issue)
    assert distribution.state == DistributionState.PENDING
    assert not Receipt.objects.filter(issue=issue).exists()

    assert services.deliver(distribution.pk) == 3
    assert services.deliver(distribution.pk) == 0  # already delivered
    # A crash after some receipts existed: the rerun adds only the missing, numbers never clash.
    Receipt.objects.filter(issue=issue, recipient=leaders[0]).delete()
    Distribution.objects.filter(pk=distribution.pk).update(state=DistributionState.PENDING)
    assert services.deliver(distribution.pk) == 1
    numbers = list(Receipt.objects.filter(issue=issue).values_list("copy_number", flat=True))
    assert len(numbers) == 3 and len(set(numbers)) == 3
    assert Notification.objects.filter(kind=NotificationKind.ISSUE_DELIVERED).count() == 4


def test_a_series_without_a_list_keeps_the_leaders_notice(
    series: Series, leader: User, publish: Publish
) -> None:
    issue = publish()
    assert not Distribution.objects.filter(issue=issue).exists()
    assert Notification.objects.filter(
        kind=NotificationKind.ISSUE_PUBLISHED, recipient=leader
    ).exists()


def test_a_correction_goes_to_the_same_recipients_with_its_note_and_copy_numbers(
    editor: User, series: Series, leaders: list[User], immediate_tasks: None, publish: Publish
) -> None:
    group = _group(editor, leaders)
    services.do_add_series_recipient(
        actor=editor, series=series, line=Line.SEND, kind="group", group=group, paper=True
    )
    original = publish()
    # Someone joins the group later: the correction still goes to the original's recipients.
    group.members.add(UserFactory(username="newcomer", roles=[Role.LEADER]))
    correction = publish(
        issue=do_start_correction(issue=original, actor=editor, notice="第二条数字有误")
    )
    before = dict(Receipt.objects.filter(issue=original).values_list("recipient_id", "copy_number"))
    after = dict(
        Receipt.objects.filter(issue=correction).values_list("recipient_id", "copy_number")
    )
    assert before == after
    assert Distribution.objects.get(issue=correction).note == "更正版：第二条数字有误"
    titles = Notification.objects.filter(kind=NotificationKind.ISSUE_DELIVERED).values_list(
        "title", flat=True
    )
    assert sum("更正版：第二条数字有误" in t for t in titles) == 3


def test_read_and_acknowledge(
    editor: User, series: Series, leaders: list[User], immediate_tasks: None, publish: Publish
) -> None:
    services.do_add_series_recipient(
        actor=editor, series=series, line=Line.SEND, kind="group", group=_group(editor, leaders)
    )
    issue = publish()
    first = timezone.now() - timedelta(hours=1)
    receipt = services.do_record_read(issue=issue, user=leaders[0], now=first)
    assert receipt is not None and receipt.first_read_at == first
    again = services.do_record_read(issue=issue, user=leaders[0])
    assert again is not None and again.first_read_at == first  # the first time stays
    assert services.do_record_read(issue=issue, user=editor) is None  # not a recipient
    assert AuditEvent.objects.filter(action="distribution.read").count() == 1

    signed = services.do_acknowledge(issue=issue, user=leaders[1])
    assert signed.acknowledged_at is not None and signed.first_read_at == signed.acknowledged_at
    with pytest.raises(ValidationError, match="已于"):
        services.do_acknowledge(issue=issue, user=leaders[1])
    with pytest.raises(ValidationError, match="没有分发给您"):
        services.do_acknowledge(issue=issue, user=editor)
    assert AuditEvent.objects.filter(action="distribution.acknowledge").count() == 1


def test_remind_tells_only_the_unsigned_once_per_interval(  # noqa: PLR0917
    editor: User, chief: User, reporter_a: User, series: Series, leaders: list[User],
    immediate_tasks: None, publish: Publish, settings: object,
) -> None:  # fmt: skip
    services.do_add_series_recipient(
        actor=editor, series=series, line=Line.SEND, kind="group", group=_group(editor, leaders)
    )
    issue = publish()
    services.do_acknowledge(issue=issue, user=leaders[0])
    now = timezone.now()
    assert services.do_remind(issue=issue, actor=editor, now=now) == 2
    reminded = Notification.objects.filter(kind=NotificationKind.ISSUE_READ_REMINDER)
    assert set(reminded.values_list("recipient", flat=True)) == {leaders[1].pk, leaders[2].pk}
    with pytest.raises(ValidationError, match="分钟后再催"):
        services.do_remind(issue=issue, actor=chief, now=now + timedelta(minutes=10))
    assert services.do_remind(issue=issue, actor=chief, now=now + timedelta(minutes=31)) == 2
    assert Receipt.objects.get(issue=issue, recipient=leaders[1]).reminders == 2
    assert AuditEvent.objects.filter(action="distribution.remind").count() == 2
    with pytest.raises(PermissionDenied):
        services.do_remind(issue=issue, actor=reporter_a)


def test_lists_and_groups_refuse_bad_input(
    editor: User, reporter_a: User, outsider: User, series: Series, leaders: list[User]
) -> None:
    with pytest.raises(ValidationError, match="没有阅读简报的权限"):
        services.do_save_group(actor=editor, name="领导", members=[outsider])
    with pytest.raises(PermissionDenied):
        services.do_save_group(actor=reporter_a, name="领导", members=leaders)
    group = _group(editor, leaders)
    with pytest.raises(ValidationError, match="已有名为"):
        services.do_save_group(actor=editor, name="区县处级领导", members=[])
    add = services.do_add_series_recipient
    add(actor=editor, series=series, line=Line.SEND, kind="group", group=group)
    with pytest.raises(ValidationError, match="已在这一行"):
        add(actor=editor, series=series, line=Line.SEND, kind="group", group=group)
    with pytest.raises(ValidationError):
        add(actor=editor, series=series, line=Line.SEND, kind="user", user=outsider)
    with pytest.raises(ValidationError):
        add(actor=editor, series=series, line="nowhere", kind="role", role="leader")
    with pytest.raises(ValidationError, match="仍在"):
        services.do_delete_group(actor=editor, group=group)
