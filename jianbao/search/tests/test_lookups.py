"""`__holds` and `__any_of`, the search's lookups, on whichever database the suite runs."""

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


@pytest.mark.django_db
def test_holds_finds_the_string_as_written_with_no_wildcards() -> None:
    Unit.objects.bulk_create(
        [
            Unit(name=name, order=n)
            for n, name in enumerate(["区总工会", "占比50%的单位", "区_工会"])
        ]
    )

    def holding(text: str) -> list[str]:
        return sorted(Unit.objects.filter(name__holds=text).values_list("name", flat=True))

    assert holding("工会") == ["区_工会", "区总工会"]
    assert holding("总工") == ["区总工会"]
    assert holding("50%") == ["占比50%的单位"]
    assert holding("区_") == ["区_工会"]  # "_" is not a wildcard
    assert holding("%") == ["占比50%的单位"]
    assert Unit.objects.exclude(name__holds="工会").count() == Unit.objects.count() - 2
