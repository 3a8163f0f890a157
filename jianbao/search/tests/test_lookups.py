"""`__any_of`, the one-parameter membership test, on whichever database the suite runs."""

from __future__ import annotations

import pytest

from jianbao.accounts.models import Unit


@pytest.mark.django_db
def test_any_of_matches_exactly_the_listed_ids() -> None:
    units = Unit.objects.bulk_create([Unit(name=f"单位{n}", order=n) for n in range(5)])
    wanted = [units[1].pk, units[3].pk, 10**9]
    found = Unit.objects.filter(pk__any_of=wanted).values_list("name", flat=True)
    assert sorted(found) == ["单位1", "单位3"]
    assert not Unit.objects.filter(pk__any_of=[]).exists()
    assert Unit.objects.exclude(pk__any_of=wanted).count() == Unit.objects.count() - 2
