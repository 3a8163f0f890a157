"""Ranking and statistics figures kept per period: served again while nothing changed, never
stale when ledger lines, adoptions, units, classes or submissions change, also when written
directly (as tests, objection corrections and scripts do)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jianbao.accounts.models import Unit, User
from jianbao.assessment import figures_cache
from jianbao.assessment.models import LedgerEvent, UnitClass, UnitClassMembership
from jianbao.assessment.rankings import class_rankings
from jianbao.assessment.statistics import statistics_for
from jianbao.assessment.tests.rankings_data import adoption, points, unit
from jianbao.ranking import Period
from jianbao.submissions.models import Submission
from jianbao.submissions.services import do_transition
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import Action, State

pytestmark = pytest.mark.django_db
JUNE = Period.month(2024, 6)


@pytest.fixture(autouse=True)
def storing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Store figures although the test runs in a transaction (it never rolls back midway)."""
    figures_cache.clear()
    monkeypatch.setattr(figures_cache, "may_store", lambda: True)
    yield
    figures_cache.clear()


def figures(period: Period = JUNE) -> dict[str, tuple[str, Decimal, dict[str, int], int]]:
    """Unit name → (class, points, adoptions by level, rank)."""
    return {
        line.standing.name: (
            ranking.class_name,
            line.standing.points,
            dict(line.standing.by_level),
            line.rank,
        )
        for ranking in class_rankings(period=period)
        for line in ranking.lines
    }


def aggregate_queries(call: object) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert callable(call)
        call()
    return sum("GROUP BY" in q["sql"] for q in queries.captured_queries)


def test_a_ranking_is_served_again_until_the_ledger_or_adoptions_change() -> None:
    sifa = unit("区司法局", order=1)
    caizheng = unit("区财政局", order=2)
    points(sifa, date(2024, 6, 3), "5")
    assert figures()["区司法局"][1:] == (Decimal("5"), {}, 1)
    assert aggregate_queries(figures) == 0  # served from the store
    points(caizheng, date(2024, 6, 4), "8")  # written directly, as a test or a script does
    assert figures()["区财政局"][1:] == (Decimal("8"), {}, 1)
    assert figures()["区司法局"][3] == 2
    LedgerEvent.objects.filter(unit=caizheng).delete()
    assert figures()["区财政局"][1] == Decimal("0")
    adoption(sifa, date(2024, 6, 5), level="city", outlet="郑州信息")
    assert figures()["区司法局"][2] == {"city": 1}
    assert aggregate_queries(figures) == 0


def test_units_and_classes_edited_in_place_are_seen() -> None:
    sifa = unit("区司法局", order=1)
    points(sifa, date(2024, 6, 3), "5")
    before = figures()["区司法局"][0]
    Unit.objects.filter(pk=sifa.pk).update(short_name="司法局")
    assert "司法局" in figures()
    first = UnitClass.objects.create(name="一类单位", order=1)
    second = UnitClass.objects.create(name="二类单位", order=2)
    UnitClassMembership.objects.create(unit=sifa, unit_class=first)
    assert figures()["司法局"][0] == "一类单位" != before
    UnitClassMembership.objects.filter(unit=sifa).update(unit_class=second)
    assert figures()["司法局"][0] == "二类单位"
    UnitClass.objects.filter(pk=second.pk).update(name="乙类单位")
    assert figures()["司法局"][0] == "乙类单位"
    Unit.objects.filter(pk=sifa.pk).update(active=False)
    assert "司法局" not in figures()


def test_statistics_follow_state_changes_titles_and_the_time(
    reporter_a: User, editor: User
) -> None:
    today = timezone.localdate()
    month = Period.month(today.year, today.month)
    item = make_submission(author=reporter_a, state=State.SUBMITTED, title="第一稿")
    adoption(reporter_a.unit, today, submission=item)  # type: ignore[arg-type]
    first = statistics_for(user=editor, period=month)
    assert (first.totals["submitted"], first.totals["adopted_items"]) == (1, 0)
    assert first.top_items[0]["title"] == "第一稿"
    again = statistics_for(user=editor, period=month)
    assert again.totals == first.totals
    for action in (Action.CLAIM, Action.ADOPT):  # a state change writes a Decision row
        item = do_transition(submission=item, action=action, actor=editor, reason="")
    adopted = statistics_for(user=editor, period=month)
    assert adopted.totals["adopted_items"] == 1
    Submission.objects.filter(pk=item.pk).update(title="改后的标题")  # edited in place
    assert statistics_for(user=editor, period=month).top_items[0]["title"] == "改后的标题"
