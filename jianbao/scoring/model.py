"""The engine's vocabulary: rule sets, facts, periods and ledger lines (plain frozen dataclasses).

Codes used throughout (the Django side stores the same codes):
- adoption level: district 区级, city 市级, province 省级, central 中央
- adoption form: single 单条, article 单篇, merged 综合, brief 简讯, special 专报, research 调研
- leader level: district 区, city 市, province 省, central 中央, state_council 国务院
- quota period: week (ISO, Monday–Sunday), month, quarter, year
- outcome (commissions, feedback): missed 未报, late 逾期
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

ANY = "*"

LEVELS = {"district": "区级", "city": "市级", "province": "省级", "central": "中央"}
FORMS = {
    "single": "单条",
    "article": "单篇",
    "merged": "综合",
    "brief": "简讯",
    "special": "专报",
    "research": "调研",
}
LEADER_LEVELS = {
    "district": "区领导",
    "city": "市领导",
    "province": "省领导",
    "central": "中央领导",
    "state_council": "国务院领导",
}
QUOTA_PERIODS = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}
SHARED_CREDIT = {"split": "均分", "each": "每个单位各得"}
MULTI_OUTLET = {"sum": "累加", "highest": "只计最高"}
OUTCOMES = {"missed": "未报", "late": "逾期"}

KINDS = {
    "adoption": "采用",
    "instruction": "批示",
    "quota_met": "完成定额",
    "quota_above": "超额",
    "quota_shortfall": "未完成定额",
    "commission_missed": "约稿未报",
    "commission_late": "约稿逾期",
    "feedback_missed": "反馈未报",
    "feedback_late": "反馈逾期",
    "correction": "更正",
}


@dataclass(frozen=True, slots=True)
class OutletRow:
    """Points for an adoption by an outlet (or any outlet, "*") at a level in a form (or "*")."""

    outlet: str
    level: str
    form: str
    points: Decimal


@dataclass(frozen=True, slots=True)
class ForwardRule:
    """A multiplier for items the office forwarded (转报) that an outlet at a level adopted."""

    level: str
    multiplier: Decimal
    form: str = ANY


@dataclass(frozen=True, slots=True)
class InstructionRule:
    """Bonus for a leader's instruction by level; `later` for a further one on the same item."""

    level: str
    first: Decimal
    later: Decimal


@dataclass(frozen=True, slots=True)
class QuotaRule:
    """A minimum count of submissions per unit class and period, with base points and penalties.

    `kinds` limits which submission kinds count (empty: all); `yearly_cap` caps the base points
    of one unit in one calendar year (R1: 10 a month, 120 a year at most).
    """

    unit_class: str
    period: str
    minimum: int
    base: Decimal
    per_item_above: Decimal = Decimal("0")
    shortfall: Decimal = Decimal("0")
    yearly_cap: Decimal | None = None
    kinds: tuple[str, ...] = ()
    label: str = ""


@dataclass(frozen=True, slots=True)
class Penalties:
    """Points taken off per missed or late commission (约稿) and feedback (反馈) (positive)."""

    commission_missed: Decimal = Decimal("0")
    commission_late: Decimal = Decimal("0")
    feedback_missed: Decimal = Decimal("0")
    feedback_late: Decimal = Decimal("0")


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Every figure of one scoring method (信息工作考核办法)."""

    name: str
    outlets: tuple[OutletRow, ...] = ()
    shared_credit: str = "split"
    multi_outlet: str = "sum"
    forwarded: tuple[ForwardRule, ...] = ()
    instructions: tuple[InstructionRule, ...] = ()
    quotas: tuple[QuotaRule, ...] = ()
    penalties: Penalties = field(default_factory=Penalties)
    commissioned_bonus: Decimal = Decimal("0")


@dataclass(frozen=True, slots=True)
class UnitFact:
    """A unit being scored, with its class (quotas apply per class; ranking is per class)."""

    id: int
    name: str
    unit_class: str = ""


@dataclass(frozen=True, slots=True)
class AdoptionFact:
    """One item adopted by one outlet, credited to one or more units (merged or joint items)."""

    id: str
    item: str
    units: tuple[int, ...]
    outlet: str
    level: str
    form: str
    date: datetime.date
    forwarded: bool = False
    commissioned: bool = False
    outlet_issue: str = ""


@dataclass(frozen=True, slots=True)
class InstructionFact:
    """A leader's instruction on an item credited to units; `first` is False for a later one."""

    id: str
    item: str
    units: tuple[int, ...]
    level: str
    date: datetime.date
    leader: str = ""
    first: bool = True


@dataclass(frozen=True, slots=True)
class OutcomeFact:
    """A missed or late commission answer (kind "commission") or feedback (kind "feedback")."""

    id: str
    kind: str
    unit: int
    outcome: str
    date: datetime.date
    title: str = ""


@dataclass(frozen=True, slots=True)
class SubmissionFact:
    """A submission counted for quotas: the unit that reported it, when, and its kind."""

    id: str
    unit: int
    date: datetime.date
    kind: str = "item"


@dataclass(frozen=True, slots=True)
class CorrectionFact:
    """Points given or taken by the office when it accepted an objection (异议)."""

    id: str
    unit: int
    date: datetime.date
    points: Decimal
    reason: str = ""


@dataclass(frozen=True)
class Facts:
    """Everything the engine scores, for one computation."""

    units: tuple[UnitFact, ...] = ()
    adoptions: tuple[AdoptionFact, ...] = ()
    instructions: tuple[InstructionFact, ...] = ()
    outcomes: tuple[OutcomeFact, ...] = ()
    submissions: tuple[SubmissionFact, ...] = ()
    corrections: tuple[CorrectionFact, ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A date range, both ends included."""

    start: datetime.date
    end: datetime.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end


@dataclass(frozen=True, slots=True, order=True)
class LedgerLine:
    """One explained line of the ledger. Ordered (and sorted) by date, unit, kind, fact."""

    date: datetime.date
    unit_id: int
    kind: str
    fact_type: str
    fact_id: str
    points: Decimal
    period_start: datetime.date
    period_end: datetime.date
    rule_ref: str
    explanation: str
    share_note: str = ""
    unit_class: str = ""
