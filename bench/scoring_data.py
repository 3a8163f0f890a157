"""Generates a year of scoring facts for the scoring benchmark (not used by the app): 3,000 units
in three classes, 200,000 submissions and 60,000 adoptions in 2025, under the R5 rule set."""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

import django
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

django.setup()

from jianbao.accounts.models import Role, Unit, UnitKind, User  # noqa: E402
from jianbao.accounts.services import do_create_unit, do_create_user  # noqa: E402
from jianbao.assessment.services import do_recompute, do_save_rule_set_version  # noqa: E402
from jianbao.bulletins.models import Adoption  # noqa: E402
from jianbao.scoring.presets import R5  # noqa: E402
from jianbao.submissions.models import Kind, Submission  # noqa: E402
from jianbao.submissions.workflow import State  # noqa: E402

YEAR = 2025
PASSWORD = "Bench-Scoring-2025!"
KINDS = [(UnitKind.DISTRICT_OFFICE, 1200), (UnitKind.SUBDISTRICT, 1000), (UnitKind.TOWN, 800)]
# Outlets as the R5 rules name them, by level, with how often each level adopts.
OUTLETS = {
    "district": (["重要信息", "政务信息", "要情", "信息快报"], 70),
    "city": (["郑州信息", "郑州政务"], 21),
    "province": (["河南信息", "河南政务"], 8),
    "central": (["国务院办公厅", "中共中央办公厅"], 1),
}
FORMS = (["single", "brief", "research", "merged"], [75, 15, 5, 5])


def _units() -> list[Unit]:
    units = [
        Unit(name=f"{kind.label}{i:04d}", kind=kind, order=i) for kind, n in KINDS for i in range(n)
    ]
    Unit.objects.bulk_create(units, batch_size=1000)
    return list(Unit.objects.order_by("pk"))


def _people(units: list[Unit]) -> User:
    office = do_create_unit(name="区委办公室", kind=UnitKind.OTHER)
    do_create_user(username="editor", password=PASSWORD, unit=office, roles=[Role.EDITOR])
    do_create_user(username="leader", password=PASSWORD, roles=[Role.LEADER])
    return do_create_user(
        username="reporter", password=PASSWORD, unit=units[0], roles=[Role.REPORTER]
    )


def _moment(rng: random.Random) -> datetime:
    start = datetime(YEAR, 1, 1, tzinfo=UTC)
    return start + timedelta(minutes=rng.randint(0, 364 * 24 * 60))


def _submissions(rng: random.Random, units: list[Unit], author: User, count: int) -> None:
    states = [State.PUBLISHED, State.ADOPTED, State.ARCHIVED, State.SUBMITTED, State.RETURNED]
    weights = [30, 10, 40, 15, 5]
    batch: list[Submission] = []
    for i in range(count):
        when = _moment(rng)
        batch.append(
            Submission(
                unit=rng.choice(units), author=author, kind=Kind.ITEM,
                title=f"第{i}条 关于推进重点工作的信息", body="一是强化部署。二是狠抓落实。",
                state=rng.choices(states, weights)[0], updated_at=when, updated_by=author,
                submitted_at=when,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch.clear()
    Submission.objects.bulk_create(batch)


def _adoptions(rng: random.Random, count: int) -> None:
    adopted = list(
        Submission.objects.filter(state__in=[State.ADOPTED, State.PUBLISHED]).values_list(
            "pk", "unit_id", "submitted_at"
        )
    )
    levels = list(OUTLETS)
    weights = [OUTLETS[level][1] for level in levels]
    now = timezone.now()
    batch: list[Adoption] = []
    for n in range(count):
        # Five in six adoptions are of different items; the rest a second outlet for one of them.
        pk, unit_id, submitted = adopted[n % len(adopted)] if n % 6 else rng.choice(adopted)
        level = rng.choices(levels, weights)[0]
        assert submitted is not None
        day = min(submitted.date() + timedelta(days=rng.randint(1, 20)), date(YEAR, 12, 31))
        batch.append(
            Adoption(
                submission_id=pk, unit_id=unit_id, outlet=rng.choice(OUTLETS[level][0]),
                level=level, form=rng.choices(*FORMS)[0], date=day,
                forwarded=level != "district" and rng.random() < 0.5, created_at=now,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            Adoption.objects.bulk_create(batch)
            batch.clear()
    Adoption.objects.bulk_create(batch)


def generate(
    submissions: int = 200_000, adoptions: int = 60_000, seed: int = 17, runs: int = 2
) -> None:
    """Migrate, generate the facts, then time the recompute of the year (printed)."""
    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    units = _units()
    author = _people(units)
    do_save_rule_set_version(
        actor=None, name="R5 信息工作目标考核评比", effective_from=date(YEAR, 1, 1), rules=R5
    )
    _submissions(rng, units, author, submissions)
    _adoptions(rng, adoptions)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"facts: {Unit.objects.count():,} units, {Submission.objects.count():,} submissions, "
          f"{Adoption.objects.count():,} adoptions")  # fmt: skip
    for attempt in ("first", "again")[:runs]:
        started = time.perf_counter()
        run = do_recompute(actor=None, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31), via="cli")
        elapsed = time.perf_counter() - started
        print(f"recompute {YEAR} ({attempt}): {elapsed:.2f} s, {run.events_count:,} ledger lines")
    with connection.cursor() as cursor:
        # A live PostgreSQL has been autovacuumed: the visibility map lets the covering indexes
        # answer index-only; a fresh bulk load would otherwise read every heap page.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
