"""The pure scoring engine (no Django): rules + facts in, an explained ledger out.

    from jianbao.scoring import compute, rules_from_json, facts_from_json, parse_period
    lines = compute(rules_from_json(r), facts_from_json(f), parse_period("2024-06"))

- `model`: `RuleSet` (outlet × level × form table, shared credit split/each, multi-outlet
  sum/highest, forwarded multipliers, instruction bonuses first/later, quotas per unit class and
  week/month/quarter/year, penalties), the facts (`AdoptionFact`, `InstructionFact`,
  `OutcomeFact`, `SubmissionFact`, `CorrectionFact`, `UnitFact`), `Period`, `LedgerLine`.
- `engine.compute(rules, facts, period) -> list[LedgerLine]`: deterministic, sorted.
- `json_io`: both JSON formats (rules, facts) with Chinese validation messages (`RulesError`).
- `periods`: 「2024-06」, 「2024-Q2」, 「2024」, ranges; the quota period of a day.
- `presets`: the transcribed figures of the published rule sets R1–R5.
"""

from jianbao.scoring.engine import compute, split_evenly, totals
from jianbao.scoring.json_io import (
    RulesError,
    facts_from_json,
    facts_to_json,
    line_to_json,
    rules_from_json,
    rules_to_json,
)
from jianbao.scoring.model import Facts, LedgerLine, Period, RuleSet
from jianbao.scoring.periods import PeriodError, parse_period, period_label

__all__ = [
    "Facts",
    "LedgerLine",
    "Period",
    "PeriodError",
    "RuleSet",
    "RulesError",
    "compute",
    "facts_from_json",
    "facts_to_json",
    "line_to_json",
    "parse_period",
    "period_label",
    "rules_from_json",
    "rules_to_json",
    "split_evenly",
    "totals",
]
