"""Generates a large submission table for the inbox benchmark (not used by the app)."""

from __future__ import annotations

import random
from datetime import timedelta

import django
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

django.setup()

from jianbao.accounts.models import Role, Unit, User  # noqa: E402
from jianbao.accounts.services import do_create_unit, do_create_user  # noqa: E402
from jianbao.search.services import rebuild_index  # noqa: E402
from jianbao.submissions.models import Kind, Submission, Urgency  # noqa: E402
from jianbao.submissions.services import rebuild_state_counts  # noqa: E402
from jianbao.submissions.workflow import State  # noqa: E402

SENTENCES = [
    "一是强化工作部署，召开专题会议研究推进。",
    "二是加强政策指导，深入企业面对面解决问题。",
    "三是建立长效机制，全程监督落实到位。",
    "今年以来，累计开展各类活动120余场，惠及群众3000余人次。",
    "截至目前，盘活空置厂房面积4万平方米。",
]
# A word found in few items (about 0.5 %), for the inbox's word filter; 「厂房」 above is in 60 %.
RARE_SENTENCE = "全面推行河长制，巡河护河实现常态化。"
RARE_SHARE = 0.005
# Roughly how a working office's table looks after several years.
STATE_WEIGHTS = {
    State.PUBLISHED: 40,
    State.ARCHIVED: 25,
    State.ADOPTED: 5,
    State.RETURNED: 5,
    State.SUBMITTED: 8,
    State.IN_REVIEW: 4,
    State.DRAFT: 10,
    State.AWAITING_UNIT_APPROVAL: 3,
}


def _units_and_users() -> tuple[list[Unit], User]:
    units = [do_create_unit(name=f"单位{i:03d}") for i in range(60)]
    office = do_create_unit(name="区委办公室")
    do_create_user(username="editor", password="Bench-password1", unit=office, roles=[Role.EDITOR])
    reporter = do_create_user(
        username="reporter", password="Bench-password1", unit=units[0], roles=[Role.REPORTER]
    )
    return units, reporter


def generate(count: int, seed: int = 7) -> None:
    """Migrate, then bulk-insert `count` submissions spread over units, states and five years,
    and index them for search."""
    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    units, author = _units_and_users()
    now = timezone.now()
    states, weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
    batch: list[Submission] = []
    for i in range(count):
        when = now - timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
        state = rng.choices(states, weights)[0]
        urgent = rng.random() < 0.03
        batch.append(
            Submission(
                unit=rng.choice(units),
                author=author,
                kind=Kind.BRIEF if rng.random() < 0.2 else Kind.ITEM,
                urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
                urgency_rank=int(urgent),
                title=f"第{i}条 关于推进重点工作的信息",
                body="".join(rng.sample(SENTENCES, 3))
                + (RARE_SENTENCE if rng.random() < RARE_SHARE else ""),
                state=state,
                updated_at=when,
                updated_by=author,
                submitted_at=None if state in (State.DRAFT, State.AWAITING_UNIT_APPROVAL) else when,
            )
        )
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch.clear()
    Submission.objects.bulk_create(batch)
    rebuild_state_counts()  # bulk_create bypasses the services that keep the counters
    rebuild_index()  # …and the search index, which the inbox's word filter reads
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # a live database has planner statistics; a fresh bulk load not
