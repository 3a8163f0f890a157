"""Demo scoring (考核): a rule set modelled on R5/R4 and a year of realistic facts for 上街区.

The year before the day the demo is built: every reporting unit reports 1–6 items a month (so
some miss their monthly quota), about a third go into 《上街信息》, some reach 《郑州信息》 (市)
and 《河南信息》/《河南政务信息》 (省, some forwarded by the office), a few merged items share
credit, leaders write instructions; then the ledger is computed from 2024 on (so the reference
issue's adoptions count too). Historical rows are bulk-inserted (a seeded random, so every build
is the same); the ledger itself comes from the same recompute service as real use.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.assessment.models import Instruction, LedgerEvent
from jianbao.assessment.services import (
    do_recompute,
    do_save_rule_set_version,
    do_submit_objection,
)
from jianbao.bulletins.models import Adoption
from jianbao.scoring.periods import month_period
from jianbao.submissions.models import Kind, Revision, Submission
from jianbao.submissions.services import rebuild_state_counts
from jianbao.submissions.workflow import State

DEMO_RULES: dict[str, Any] = {
    "name": "上街区信息工作考核办法（试行）",
    "outlets": [
        {"outlet": "上街信息", "level": "district", "form": "single", "points": "5"},
        {"outlet": "上街信息", "level": "district", "form": "merged", "points": "3"},
        {"outlet": "上街信息", "level": "district", "form": "brief", "points": "2"},
        {"outlet": "上街信息", "level": "district", "form": "article", "points": "8"},
        {"outlet": "*", "level": "city", "form": "*", "points": "10"},
        {"outlet": "*", "level": "province", "form": "*", "points": "20"},
        {"outlet": "国务院办公厅", "level": "central", "form": "*", "points": "30"},
        {"outlet": "中共中央办公厅", "level": "central", "form": "*", "points": "50"},
    ],
    "shared_credit": "each",
    "multi_outlet": "sum",
    "forwarded": [
        {"level": "province", "form": "*", "multiplier": "2"},
        {"level": "central", "form": "*", "multiplier": "5"},
    ],
    "instructions": [
        {"level": "district", "first": "5", "later": "3"},
        {"level": "city", "first": "10", "later": "5"},
        {"level": "province", "first": "20", "later": "10"},
    ],
    "quotas": [
        {"unit_class": "区直单位", "period": "month", "minimum": 2, "base": "2", "shortfall": "1"},
        {"unit_class": "街道", "period": "month", "minimum": 3, "base": "3", "shortfall": "1"},
        {"unit_class": "镇", "period": "month", "minimum": 3, "base": "3", "shortfall": "1"},
        {"unit_class": "*", "period": "year", "minimum": 30, "base": "10"},
    ],
    "penalties": {"commission_missed": "5", "commission_late": "2"},
}

TOPICS = [
    "扎实推进优化营商环境",
    "深入开展安全生产大检查",
    "创新基层社会治理模式",
    "全力做好防汛准备",
    "持续推进文明城市创建",
    "扎实开展“我为群众办实事”",
    "多措并举稳就业促增收",
    "加强未成年人保护",
    "推进老旧小区改造",
    "抓好秋粮收储工作",
    "开展普法宣传进社区",
    "推动重点项目建设提速",
]
CITY_OUTLETS = ["郑州信息", "郑州政务信息"]
PROVINCE_OUTLETS = ["河南信息", "河南政务信息"]
LEADERS = [
    ("district", "区委书记"),
    ("district", "区长"),
    ("city", "市委副书记"),
    ("city", "副市长"),
    ("province", "副省长"),
]


def _moment(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(9 + rng.randint(0, 8), rng.randint(0, 59)))
    )


def _history(
    units: list[Unit], authors: dict[int, User], rng: random.Random, today: date
) -> list[Submission]:
    """A year of reported items, most of them adopted or printed."""
    first = month_period(today.year - 1, today.month).start
    rows: list[Submission] = []
    day = first
    while day <= today:
        month = month_period(day.year, day.month)
        for unit in units:
            for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5, 6])):
                when = month.start + timedelta(
                    days=rng.randint(0, (min(month.end, today) - month.start).days)
                )
                moment = _moment(when, rng)
                state = rng.choice(
                    [State.PUBLISHED, State.PUBLISHED, State.ADOPTED, State.ARCHIVED]
                )
                kind = Kind.BRIEF if rng.random() < 0.2 else Kind.ITEM
                rows.append(
                    Submission(
                        unit=unit,
                        author=authors[unit.pk],
                        kind=kind,
                        state=state,
                        title=f"{unit.short_name or unit.name}{rng.choice(TOPICS)}",
                        body="一是压实责任。二是细化措施。三是强化督导，取得阶段性成效。",
                        created_at=moment,
                        updated_at=moment,
                        submitted_at=moment,
                    )
                )
        day = month.end + timedelta(days=1)
    created = Submission.objects.bulk_create(rows, batch_size=500)
    Revision.objects.bulk_create(
        [
            Revision(
                submission=s,
                number=1,
                title=s.title,
                body=s.body,
                author=s.author,
                created_at=s.submitted_at or s.updated_at,
            )
            for s in created
        ],
        batch_size=500,
    )
    return created


def _adoptions(items: list[Submission], editor: User, rng: random.Random, today: date) -> None:
    rows: list[Adoption] = []
    now = timezone.now()

    def add(item: Submission, unit_id: int, **kw: Any) -> None:
        rows.append(
            Adoption(submission=item, unit_id=unit_id, recorded_by=editor, created_at=now, **kw)
        )

    printed = [s for s in items if s.state in (State.PUBLISHED, State.ADOPTED)]
    for item in printed:
        assert item.submitted_at is not None
        day = min(today, timezone.localdate(item.submitted_at) + timedelta(days=rng.randint(2, 12)))
        form = "brief" if item.kind == Kind.BRIEF else rng.choice(["single", "single", "article"])
        if rng.random() < 0.45:
            add(
                item,
                item.unit_id,
                outlet="上街信息",
                level="district",
                form=form,
                date=day,
                outlet_issue=f"{day.year}年第{day.month * 3}期",
            )
        if rng.random() < 0.12:
            later = min(today, day + timedelta(days=rng.randint(5, 20)))
            add(
                item,
                item.unit_id,
                outlet=rng.choice(CITY_OUTLETS),
                level="city",
                form="single",
                date=later,
                outlet_issue=f"{later.year}年第{later.month * 2}期",
                forwarded=True,
            )
        if rng.random() < 0.03:
            later = min(today, day + timedelta(days=rng.randint(10, 30)))
            add(
                item,
                item.unit_id,
                outlet=rng.choice(PROVINCE_OUTLETS),
                level="province",
                form="single",
                date=later,
                outlet_issue=f"{later.year}年第{later.month}期",
                forwarded=rng.random() < 0.6,
            )
    # Merged items: 《上街信息》 综合 of three units' items, each unit credited.
    for item in rng.sample(printed, k=min(12, len(printed))):
        assert item.submitted_at is not None
        partners = rng.sample([s for s in printed if s.unit_id != item.unit_id], k=2)
        day = min(today, timezone.localdate(item.submitted_at) + timedelta(days=5))
        for unit_id in {item.unit_id, *(p.unit_id for p in partners)}:
            add(
                item,
                unit_id,
                outlet="上街信息",
                level="district",
                form="merged",
                date=day,
                outlet_issue=f"{day.year}年综合第{day.month}期",
            )
    Adoption.objects.bulk_create(rows, batch_size=500)


def _instructions(items: list[Submission], editor: User, rng: random.Random, today: date) -> None:
    printed = [s for s in items if s.state == State.PUBLISHED]
    rows = []
    for item in rng.sample(printed, k=min(24, len(printed))):
        assert item.submitted_at is not None
        level, title = rng.choice(LEADERS)
        day = min(today, timezone.localdate(item.submitted_at) + timedelta(days=rng.randint(3, 15)))
        rows.append(
            Instruction(
                submission=item,
                leader_name=title,
                leader_level=level,
                date=day,
                text="请认真总结经验，在全区推广。",
                recorded_by=editor,
                recorded_at=timezone.now(),
            )
        )
    Instruction.objects.bulk_create(rows)


def build_scoring_demo(users: dict[str, User], units: dict[str, Unit]) -> None:
    """The demo rule set, a year of facts and the computed ledger."""
    rng = random.Random(17)
    today = timezone.localdate()
    chief, editor = users["qianfa"], users["wangsiyu"]
    first = month_period(today.year - 1, today.month).start
    # Version 1 scores the printed reference issue (2024) without quotas; version 2 adds the
    # quotas from the first month of the demo's year of reports.
    early = {**DEMO_RULES, "quotas": [], "name": "上街区信息工作考核办法（2024版）"}
    do_save_rule_set_version(
        actor=chief,
        name=early["name"],
        effective_from=date(2024, 1, 1),
        rules=early,
        note="采用与批示计分（演示数据）",
    )
    do_save_rule_set_version(
        actor=chief,
        name=DEMO_RULES["name"],
        effective_from=first,
        rules=DEMO_RULES,
        note="参照 R5/R4，增加报送定额（演示数据）",
    )
    reporting = [u for name, u in units.items() if name != "区委办公室"]
    fallback = users["xcb"]
    authors = {
        u.pk: next((x for x in users.values() if x.unit_id == u.pk and x.is_reporter), fallback)
        for u in reporting
    }
    items = _history(reporting, authors, rng, today)
    _adoptions(items, editor, rng, today)
    _instructions(items, editor, rng, today)
    rebuild_state_counts()
    do_recompute(actor=chief, start=date(2024, 1, 1), end=today, via="demo")
    disputed = (
        LedgerEvent.objects.filter(unit=units["区委宣传部"], kind="adoption")
        .order_by("-date")
        .first()
    )
    if disputed is not None:
        do_submit_objection(
            actor=users["xcb"],
            event=disputed,
            reason="该条同时被《郑州信息》采用（2024年第12期），请核实补记市级采用分。",
        )
