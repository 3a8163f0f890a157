"""Generates the 工作台 benchmark's database: the inbox benchmark's submissions, plus claims,
issues in the making and 10,000 unread notifications for the editor (not used by the app)."""

from __future__ import annotations

import datetime
import random
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from bench.inbox_data import generate as generate_submissions
from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.workflow import IssueState
from jianbao.notifications.models import Notification, NotificationKind
from jianbao.submissions.models import Submission
from jianbao.submissions.workflow import State


def _issues(editor: User) -> None:
    series = Series.objects.create(title="上街信息", organ="中共上街区委办公室")
    now = timezone.now()
    states = [IssueState.PUBLISHED] * 40 + [IssueState.PROOF, IssueState.DRAFT]
    Issue.objects.bulk_create(
        Issue(
            series=series,
            year=2024,
            number=n,
            issue_date=datetime.date(2024, 1, 1) + timedelta(days=7 * n),
            state=state,
            created_by=editor,
            updated_by=editor,
            updated_at=now,
        )
        for n, state in enumerate(states, start=1)
    )


def generate(count: int, notifications: int, seed: int = 11) -> None:
    """Submissions as in the inbox benchmark, then the editor's claims, issues, notifications."""
    generate_submissions(count)
    rng = random.Random(seed)
    editor = User.objects.get(username="editor")
    in_review = list(
        Submission.objects.filter(state=State.IN_REVIEW).values_list("pk", flat=True)[:400]
    )
    Submission.objects.filter(pk__in=in_review).update(claimed_by=editor, claimed_at=timezone.now())
    _issues(editor)
    now, kinds = timezone.now(), NotificationKind.values
    batch = [
        Notification(
            recipient=editor,
            kind=rng.choice(kinds),
            title=f"第{i}条消息：信息「关于推进重点工作的信息」有新进展",
            url=f"/submissions/{i + 1}/",
            created_at=now - timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
        )
        for i in range(notifications)
    ]
    Notification.objects.bulk_create(batch, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
