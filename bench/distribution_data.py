"""Builds the distribution benchmark's database and times publishing to N recipients (not used
by the app): a series whose 送 line is a group of 100 leaders (paper copies) and whose 发 line is
the leader role (N people in N/10 units); one signed issue is published through the service and
the queued delivery is run by the real worker in this process, warmed up first as `jianbao
worker` is at start-up (its one-off URLconf import is timed apart). Prints one JSON line."""

from __future__ import annotations

import datetime
import json
import time

import django
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

django.setup()

from jianbao.accounts.models import Role, Unit, User  # noqa: E402
from jianbao.accounts.services import do_create_unit, do_create_user  # noqa: E402
from jianbao.bulletins.services import (  # noqa: E402
    do_create_entry,
    do_create_issue,
    do_create_series,
    do_transition_issue,
)
from jianbao.cli.commands.worker import warm_up  # noqa: E402
from jianbao.distribution.models import Distribution, Line, Receipt  # noqa: E402
from jianbao.distribution.services import do_add_series_recipient, do_save_group  # noqa: E402
from jianbao.operations.task_worker import ResilientWorker  # noqa: E402

PASSWORD = "Bench-password1"


def _people(count: int) -> list[User]:
    units = Unit.objects.bulk_create(
        Unit(name=f"单位{i:04d}", order=i) for i in range(max(1, count // 10))
    )
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        (
            User(
                username=f"leader{i:05d}",
                display_name=f"领导{i:05d}",
                unit=units[i % len(units)],
                is_leader=True,
                password=password,
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    return list(User.objects.filter(is_leader=True).order_by("pk"))


def generate(recipients: int) -> None:
    """Migrate, create the people and the lists, publish one issue, deliver it in the worker."""
    call_command("migrate", verbosity=0)
    office = do_create_unit(name="区委办公室")
    editor = do_create_user(username="editor", password=PASSWORD, unit=office, roles=[Role.EDITOR])
    chief = do_create_user(username="chief", password=PASSWORD, unit=office, roles=[Role.CHIEF])
    leaders = _people(recipients)
    series = do_create_series(
        actor=editor, title="上街信息", organ="中共上街区委办公室", copies=120
    )
    group = do_save_group(actor=editor, name="区县处级领导", members=leaders[:100])
    do_add_series_recipient(
        actor=editor, series=series, line=Line.SEND, kind="group", group=group, paper=True
    )
    do_add_series_recipient(actor=editor, series=series, line=Line.DISTRIBUTE, kind="role",
                            role="leader")  # fmt: skip
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    do_create_entry(issue=issue, actor=editor, kind="item", title="标题", body="正文。")
    issue = do_transition_issue(issue=issue, action="proof", actor=editor)
    issue = do_transition_issue(issue=issue, action="sign", actor=chief)

    warming = time.perf_counter()
    warm_up()  # as `jianbao worker` does at start-up, long before anyone publishes
    started = time.perf_counter()
    do_transition_issue(issue=issue, action="publish", actor=editor)
    published = time.perf_counter()
    ResilientWorker(interval=0.05, batch=True).run()  # runs the queued delivery, then exits
    delivered = time.perf_counter()

    receipts = Receipt.objects.filter(issue=issue)
    count = receipts.count()
    _some_read_and_signed(issue.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(json.dumps({
        "issue": issue.pk,
        "recipient": leaders[-1].username,
        "receipts": count,
        "paper": receipts.filter(copy_number__isnull=False).count(),
        "state": Distribution.objects.get(issue=issue).state,
        "publish_s": published - started,
        "deliver_s": delivered - published,
        "total_s": delivered - started,
        "worker_warm_up_s": started - warming,
    }))  # fmt: skip


def _some_read_and_signed(issue_id: int) -> None:
    """Half the receipts read, a third signed (bench data, written directly)."""
    now = timezone.now()
    ids = list(
        Receipt.objects.filter(issue_id=issue_id).order_by("pk").values_list("pk", flat=True)
    )
    Receipt.objects.filter(pk__in=ids[: len(ids) // 2]).update(first_read_at=now)
    Receipt.objects.filter(pk__in=ids[: len(ids) // 3]).update(acknowledged_at=now)
