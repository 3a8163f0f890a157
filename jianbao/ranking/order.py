"""The tie rule of a ranking, decided once so the page, the XLSX and the 通报 always agree.

Units are ordered by
1. points, highest first;
2. adoptions at the highest level: more 中央 adoptions first, then more 省级, then 市级, then 区级;
3. adopted items in all, more first;
and units equal on all three share a rank number (「并列」: 1, 2, 2, 4), listed in the unit
order of the unit list, then by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

TIE_RULE = (
    "排名规则：按得分从高到低；得分相同的，依次比较中央、省级、市级、区级采用条数（多者在前）；"
    "仍相同的，比较采用总条数；以上均相同的并列同一名次，按单位排序显示。"
)
LEVELS = ("central", "province", "city", "district")


@dataclass(frozen=True)
class Standing:
    """One unit's figures for a period."""

    unit_id: int
    name: str
    points: Decimal
    by_level: dict[str, int]
    order: int = 0

    @property
    def adopted(self) -> int:
        """Adoptions at every level."""
        return sum(self.by_level.values())

    def merit(self) -> tuple[Decimal, tuple[int, ...], int]:
        """What the ranking compares: points, adoptions by level from the top, all adoptions."""
        return (self.points, tuple(self.by_level.get(level, 0) for level in LEVELS), self.adopted)


@dataclass(frozen=True)
class RankedLine:
    """A standing with its rank number; `tied` when another unit shares the number."""

    rank: int
    standing: Standing
    tied: bool = False


def rank(standings: Iterable[Standing]) -> list[RankedLine]:
    """Order the standings by the tie rule and number them (equal merit, equal number)."""
    keyed = []
    for s in standings:
        # `merit()` negated and flattened (the same order, no nested tuples): a province
        # ranks 3,000 units on every ranking and statistics page.
        get = s.by_level.get
        merit = (-s.points, *(-get(level, 0) for level in LEVELS), -sum(s.by_level.values()))
        keyed.append((merit, s.order, s.name, s.unit_id, s))
    keyed.sort(key=lambda k: k[:4])
    numbers: list[int] = []
    for position, key in enumerate(keyed):
        same = position > 0 and keyed[position - 1][0] == key[0]
        numbers.append(numbers[-1] if same else position + 1)
    counts: dict[int, int] = {}
    for number in numbers:
        counts[number] = counts.get(number, 0) + 1
    return [
        RankedLine(number, key[4], counts[number] > 1)
        for number, key in zip(numbers, keyed, strict=True)
    ]
