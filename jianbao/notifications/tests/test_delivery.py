"""Delivery against a local SMTP sink and a local webhook receiver: sent in the background,
retried with back-off, held back by quiet hours, never failing the action that caused it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jianbao.accounts.models import AuditEvent, User
from jianbao.notifications.delivery import deliver, retry_delay, sweep_deliveries
from jianbao.notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    NotificationKind,
    OfficeWebhook,
)
from jianbao.notifications.payloads import webhook_error, webhook_payload
from jianbao.notifications.quiet_hours import in_quiet_hours, release_time
from jianbao.notifications.services import do_notify, do_save_preferences
from jianbao.notifications.tests.receivers import smtp_sink, webhook_receiver
from jianbao.submissions.services import do_transition
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def _queue_in_database(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.JIANBAO_EMAIL_HOST = ""
    settings.JIANBAO_NOTIFY_TIMEOUT_SECONDS = 2


def _webhook(url: str, flavour: str = "wecom", kinds: list[str] | None = None) -> OfficeWebhook:
    now = timezone.now()
    return OfficeWebhook.objects.create(
        name="信息科工作群",
        url=url,
        flavour=flavour,
        enabled=True,
        kinds=kinds or [NotificationKind.SUBMISSION_RETURNED],
        created_at=now,
        updated_at=now,
    )


def _queued_ids() -> list[int]:
    return [row.args_kwargs["args"][0] for row in DBTaskResult.objects.order_by("pk")]


def test_without_settings_nothing_is_queued(reporter_a: User, editor: User) -> None:
    make_submission(author=reporter_a, state=State.RETURNED, editor=editor)
    assert Delivery.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_email_goes_through_a_real_smtp_server(
    settings: Any, reporter_a: User, editor: User, django_capture_on_commit_callbacks: Capture
) -> None:
    reporter_a.email = "xcb@example.gov.cn"
    reporter_a.save()
    with smtp_sink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.JIANBAO_EMAIL_HOST = settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.JIANBAO_SITE_URL = "https://jianbao.example.gov.cn"
        item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor)
        with django_capture_on_commit_callbacks(execute=True):
            do_transition(submission=item, action="return", actor=editor, reason="请补充数据")
        delivery = Delivery.objects.get()
        assert (delivery.channel, delivery.address) == (Channel.EMAIL, "xcb@example.gov.cn")
        assert _queued_ids() == [delivery.pk]  # the worker's job, after the commit
        assert deliver(delivery.pk) == DeliveryState.SENT
    assert len(sink.messages) == 1
    assert "xcb@example.gov.cn" in sink.messages[0]["to"][0]
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 1
    assert deliver(delivery.pk) == "skipped"  # sent once only


def test_email_content_through_django_mail(settings: Any, reporter_a: User, editor: User) -> None:
    settings.JIANBAO_EMAIL_HOST = "smtp.example.gov.cn"  # tests use Django's locmem backend
    settings.JIANBAO_SITE_URL = "https://jianbao.example.gov.cn"
    reporter_a.email = "xcb@example.gov.cn"
    reporter_a.save()
    item = make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)
    deliver(Delivery.objects.get().pk)
    message = mail.outbox[0]
    assert message.subject.startswith("【简报】您的信息")
    assert f"https://jianbao.example.gov.cn/submissions/{item.pk}/" in message.body


@pytest.mark.parametrize(
    ("flavour", "check"),
    [
        (
            "wecom",
            lambda p: p["msgtype"] == "markdown" and "被退回修改" in p["markdown"]["content"],
        ),
        (
            "dingtalk",
            lambda p: p["msgtype"] == "markdown" and "被退回修改" in p["markdown"]["text"],
        ),
        ("feishu", lambda p: p["msg_type"] == "text" and "被退回修改" in p["content"]["text"]),
    ],
)
def test_webhook_posts_the_robot_json_of_each_flavour(
    flavour: str,
    check: Callable[[dict[str, Any]], bool],
    reporter_a: User,
    editor: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with webhook_receiver() as receiver:
        _webhook(receiver.url, flavour)
        item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor)
        with django_capture_on_commit_callbacks(execute=True):
            do_transition(submission=item, action="return", actor=editor, reason="请补充")
        delivery = Delivery.objects.get(channel=Channel.WEBHOOK)
        assert deliver(delivery.pk) == DeliveryState.SENT
    assert len(receiver.received) == 1
    assert check(receiver.received[0])


def test_a_failing_receiver_does_not_fail_the_action_and_is_retried(
    settings: Any, reporter_a: User, editor: User, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.JIANBAO_NOTIFY_MAX_ATTEMPTS = 3
    with webhook_receiver() as receiver:
        receiver.status = 500
        _webhook(receiver.url)
        item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor)
        with django_capture_on_commit_callbacks(execute=True):
            item = do_transition(submission=item, action="return", actor=editor, reason="补充")
        assert item.state == State.RETURNED  # the save stands whatever the robot does
        delivery = Delivery.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            before = timezone.now()
            assert deliver(delivery.pk) == DeliveryState.PENDING
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and "HTTP 500" in delivery.last_error
        assert delivery.next_attempt_at >= before + retry_delay(1)
        assert len(_queued_ids()) == 2  # the first run, and the retry, deferred
        assert deliver(delivery.pk) == "skipped"  # not due yet
        # Later, the robot recovers: the retry goes through.
        receiver.status = 200
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert deliver(delivery.pk) == DeliveryState.SENT
    assert len(receiver.received) == 2
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.last_error == ""


def test_a_robot_that_refuses_gives_up_after_the_last_attempt(
    settings: Any, reporter_a: User
) -> None:
    settings.JIANBAO_NOTIFY_MAX_ATTEMPTS = 2
    with webhook_receiver() as receiver:
        receiver.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
        _webhook(receiver.url, kinds=[NotificationKind.ISSUE_PUBLISHED])
        do_notify(recipients=[reporter_a], kind=NotificationKind.ISSUE_PUBLISHED, title="第35期")
        delivery = Delivery.objects.get()
        for expected in (DeliveryState.PENDING, DeliveryState.FAILED):
            Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
            assert deliver(delivery.pk) == expected
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and "93000" in delivery.last_error
    assert AuditEvent.objects.filter(action="notification.delivery_failed").exists()


def test_an_unreachable_robot_times_out_quickly(reporter_a: User) -> None:
    _webhook("http://127.0.0.1:9/nothing-listens", kinds=[NotificationKind.ISSUE_PUBLISHED])
    do_notify(recipients=[reporter_a], kind=NotificationKind.ISSUE_PUBLISHED, title="第35期")
    assert deliver(Delivery.objects.get().pk) == DeliveryState.PENDING
    assert "无法连接" in Delivery.objects.get().last_error


def test_quiet_hours_hold_email_until_they_end(settings: Any, reporter_a: User) -> None:
    settings.JIANBAO_EMAIL_HOST = "smtp.example.gov.cn"
    reporter_a.email = "xcb@example.gov.cn"
    reporter_a.save()
    now = timezone.localtime()
    start = (now - datetime.timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + datetime.timedelta(hours=2)).time().replace(second=0, microsecond=0)
    do_save_preferences(
        user=reporter_a,
        muted_kinds=[],
        email_kinds=[NotificationKind.ISSUE_PUBLISHED],
        quiet_start=start,
        quiet_end=end,
    )
    do_notify(recipients=[reporter_a], kind=NotificationKind.ISSUE_PUBLISHED, title="第35期")
    delivery = Delivery.objects.get()
    wait = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(hours=1, minutes=55) < wait <= datetime.timedelta(hours=2)
    assert deliver(delivery.pk) == "skipped"
    assert mail.outbox == []


def test_email_kinds_are_chosen_per_person(settings: Any, reporter_a: User) -> None:
    settings.JIANBAO_EMAIL_HOST = "smtp.example.gov.cn"
    reporter_a.email = "xcb@example.gov.cn"
    reporter_a.save()
    do_save_preferences(
        user=reporter_a, muted_kinds=[], email_kinds=[], quiet_start=None, quiet_end=None
    )
    made = do_notify(recipients=[reporter_a], kind=NotificationKind.ISSUE_PUBLISHED, title="x")
    assert len(made) == 1 and Delivery.objects.count() == 0


def test_sweep_requeues_lost_deliveries_and_frees_dead_claims(reporter_a: User) -> None:
    _webhook("http://127.0.0.1:9/x", kinds=[NotificationKind.ISSUE_PUBLISHED])
    do_notify(recipients=[reporter_a], kind=NotificationKind.ISSUE_PUBLISHED, title="x")
    delivery = Delivery.objects.get()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, next_attempt_at=long_ago
    )
    DBTaskResult.objects.all().delete()
    assert sweep_deliveries() == 1
    assert Delivery.objects.get().state == DeliveryState.PENDING
    assert _queued_ids() == [delivery.pk]


def test_quiet_hours_arithmetic() -> None:
    t = datetime.time
    assert in_quiet_hours(t(23, 30), t(22, 0), t(7, 0))
    assert in_quiet_hours(t(6, 59), t(22, 0), t(7, 0))
    assert not in_quiet_hours(t(7, 0), t(22, 0), t(7, 0))
    assert in_quiet_hours(t(12, 30), t(12, 0), t(14, 0))
    assert not in_quiet_hours(t(12, 30), None, None)
    tz = datetime.timezone(datetime.timedelta(hours=8))
    late = datetime.datetime(2024, 9, 30, 23, 0, tzinfo=tz)
    assert release_time(late, t(22, 0), t(7, 0)) == datetime.datetime(2024, 10, 1, 7, 0, tzinfo=tz)
    early = datetime.datetime(2024, 10, 1, 5, 0, tzinfo=tz)
    assert release_time(early, t(22, 0), t(7, 0)) == datetime.datetime(2024, 10, 1, 7, 0, tzinfo=tz)
    noon = datetime.datetime(2024, 10, 1, 10, 0, tzinfo=tz)
    assert release_time(noon, t(22, 0), t(7, 0)) == noon


def test_robot_answers_are_read_per_flavour() -> None:
    assert webhook_error("wecom", b'{"errcode":0,"errmsg":"ok"}') is None
    assert webhook_error("feishu", b'{"code":19021,"msg":"sign match fail"}') == (
        "code=19021 sign match fail"
    )
    assert webhook_error("dingtalk", b"not json") is None
    payload = webhook_payload("dingtalk", title="标题", body="内容", link="https://x/1")
    assert payload["markdown"]["title"] == "标题"
    assert "[查看详情](https://x/1)" in payload["markdown"]["text"]
