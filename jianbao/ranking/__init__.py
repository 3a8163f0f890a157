"""Pure ranking logic for the 通报: periods (month, quarter, year, any range) and the tie rule.

Nothing in this package may import Django.
"""

from jianbao.ranking.order import TIE_RULE, RankedLine, Standing, rank
from jianbao.ranking.periods import Period, PeriodError, parse_period

__all__ = [
    "TIE_RULE",
    "Period",
    "PeriodError",
    "RankedLine",
    "Standing",
    "parse_period",
    "rank",
]
