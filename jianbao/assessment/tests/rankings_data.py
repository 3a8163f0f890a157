"""Test data for rankings, the 通报 and statistics: ledger lines and adoptions written directly
(the engine that derives them is tested in `test_services.py` and `jianbao/scoring`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from jianbao.accounts.models import Unit, UnitKind
from jianbao.accounts.services import do_create_unit
from jianbao.assessment.models import LedgerEvent, LedgerKind
from jianbao.bulletins.models import Adoption


def unit(name: str, kind: str = UnitKind.DISTRICT_OFFICE, order: int = 100) -> Unit:
    return do_create_unit(name=name, kind=kind, order=order)


def points(target: Unit, day: datetime.date, value: str, kind: str = LedgerKind.ADOPTION) -> None:
    LedgerEvent.objects.create(
        unit=target,
        date=day,
        period_start=day,
        period_end=day,
        kind=kind,
        points=Decimal(value),
        explanation=f"测试 {value}分",
        fact_type="test",
        fact_id="1",
        computed_at=timezone.now(),
    )


def adoption(
    target: Unit,
    day: datetime.date,
    level: str = "district",
    outlet: str = "上街信息",
    **kw: object,
) -> Adoption:
    return Adoption.objects.create(
        unit=target, outlet=outlet, level=level, form="single", date=day,
        created_at=timezone.now(), **kw,
    )  # fmt: skip
