"""compute(rules, facts, period) -> the ledger: every point with its rule and its reason.

Deterministic: the same rules and facts always give the same lines in the same order (sorted by
date, unit, kind, fact). What counts in `period`:
- adoptions, instructions, commission/feedback outcomes and corrections dated inside it;
- quota periods (week/month/quarter/year) whose LAST day is inside it, counting the submissions of
  the whole quota period (so the facts may reach back before `period.start`; a yearly quota is
  scored in the computation that contains 31 December).
"Highest only" for an item adopted by several outlets, and a quota's yearly cap, look at the
facts of one computation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from jianbao.scoring.model import (
    ANY,
    FORMS,
    LEADER_LEVELS,
    LEVELS,
    QUOTA_PERIODS,
    AdoptionFact,
    Facts,
    ForwardRule,
    InstructionFact,
    LedgerLine,
    OutletRow,
    Period,
    QuotaRule,
    RuleSet,
)
from jianbao.scoring.periods import quota_period, quota_periods_ending_in

CENT = Decimal("0.01")


def fmt(points: Decimal) -> str:
    """「5」, 「2.5」, 「0.33」: points as people write them."""
    text = f"{points.quantize(CENT):f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def split_evenly(points: Decimal, units: Iterable[int]) -> dict[int, Decimal]:
    """Shares to the cent that add up exactly to `points` (the first units get the odd cents)."""
    ordered = sorted(set(units))
    cents = int((points * 100).to_integral_value(rounding=ROUND_HALF_UP))
    base, extra = divmod(cents, len(ordered))
    return {
        unit: Decimal(base + (1 if index < extra else 0)) / 100
        for index, unit in enumerate(ordered)
    }


def _outlet_name(name: str) -> str:
    return name.strip().strip("《》").strip()


def outlet_row(rules: RuleSet, *, outlet: str, level: str, form: str) -> OutletRow | None:
    """The most specific row: this outlet and form, this outlet any form, any outlet this form,
    any outlet any form (always at the adoption's level)."""
    name = _outlet_name(outlet)
    best: tuple[int, OutletRow] | None = None
    for row in rules.outlets:
        if row.level != level:
            continue
        outlet_match = _outlet_name(row.outlet) == name
        if not outlet_match and row.outlet != ANY:
            continue
        if row.form not in (form, ANY):
            continue
        rank = (0 if outlet_match else 2) + (0 if row.form == form else 1)
        if best is None or rank < best[0]:
            best = (rank, row)
    return best[1] if best else None


def _forward_rule(rules: RuleSet, level: str, form: str) -> ForwardRule | None:
    exact = [r for r in rules.forwarded if r.level == level and r.form == form]
    general = [r for r in rules.forwarded if r.level == level and r.form == ANY]
    found = exact or general
    return found[0] if found else None


def _share_note(count: int, mode: str) -> str:
    if count <= 1:
        return ""
    if mode == "split":
        return f"与{count - 1}个单位合报，均分"
    return f"与{count - 1}个单位合报，各计"


def _credit(points: Decimal, units: tuple[int, ...], mode: str) -> dict[int, Decimal]:
    if len(set(units)) <= 1 or mode != "split":
        return dict.fromkeys(sorted(set(units)), points)
    return split_evenly(points, units)


def _adoption_points(
    rules: RuleSet, fact: AdoptionFact, rows: dict[tuple[str, str, str], OutletRow | None]
) -> tuple[Decimal, str, str]:
    """The item's points, the explanation and the rule reference (`rows`: looked-up rows)."""
    key = (fact.outlet, fact.level, fact.form)
    if key not in rows:
        rows[key] = outlet_row(rules, outlet=fact.outlet, level=fact.level, form=fact.form)
    row = rows[key]
    level, form = LEVELS.get(fact.level, fact.level), FORMS.get(fact.form, fact.form)
    issue = fact.outlet_issue
    where = f"《{_outlet_name(fact.outlet)}》{issue}（{level}）"
    if row is None:
        return Decimal("0"), f"{where}采用 {form}：未列入计分表，不计分", "计分表：无对应条目"
    points = row.points
    text = f"{where}采用 {form} {fmt(points)}分"
    ref = f"计分表：{row.outlet}/{LEVELS.get(row.level, row.level)}/{FORMS.get(row.form, row.form)}"
    forward = _forward_rule(rules, fact.level, fact.form) if fact.forwarded else None
    if forward is not None:
        points = points * forward.multiplier
        text += f" × {fmt(forward.multiplier)}（经转报）= {fmt(points)}分"
        ref += f"；转报倍数 {LEVELS.get(forward.level, forward.level)}×{fmt(forward.multiplier)}"
    if fact.commissioned and rules.commissioned_bonus:
        points += rules.commissioned_bonus
        text += f"，约稿采用加 {fmt(rules.commissioned_bonus)}分"
        ref += "；约稿采用加分"
    return points, text, ref


def _adoption_lines(rules: RuleSet, facts: Facts, period: Period) -> list[LedgerLine]:
    lines: list[LedgerLine] = []
    append = lines.append
    rows: dict[tuple[str, str, str], OutletRow | None] = {}
    # Points, explanation and rule reference depend on these fields only: worked out once each
    # (a province's year has ~60,000 adoptions over a few dozen distinct combinations).
    scored: dict[tuple[object, ...], tuple[Decimal, Decimal, str, str]] = {}
    notes: dict[int, str] = {}
    first, last = period.start, period.end
    shared = rules.shared_credit
    for fact in facts.adoptions:
        day = fact.date
        if not first <= day <= last or not fact.units:
            continue
        key = (
            fact.outlet, fact.level, fact.form, fact.outlet_issue, fact.forwarded,
            fact.commissioned,
        )  # fmt: skip
        found = scored.get(key)
        if found is None:
            points, text, ref = _adoption_points(rules, fact, rows)
            found = scored[key] = (points, points.quantize(CENT), text, ref)
        points, rounded, text, ref = found
        units = fact.units
        if len(units) == 1:
            credited = {units[0]: rounded}
            count = 1
        else:
            count = len(set(units))
            credited = {u: s.quantize(CENT) for u, s in _credit(points, units, shared).items()}
        note = notes.get(count)
        if note is None:
            note = notes[count] = _share_note(count, shared)
        for unit, share in credited.items():
            append(
                LedgerLine(
                    date=day,
                    unit_id=unit,
                    kind="adoption",
                    fact_type="adoption",
                    fact_id=fact.id,
                    points=share,
                    period_start=day,
                    period_end=day,
                    rule_ref=ref,
                    explanation=text,
                    share_note=note,
                )
            )
    if rules.multi_outlet == "highest":
        lines = _highest_only(lines, {f.id: f.item for f in facts.adoptions})
    return lines


def _highest_only(lines: list[LedgerLine], item_of: dict[str, str]) -> list[LedgerLine]:
    """Per item and unit, keep the best adoption's points; the others count 0 (explained)."""
    best: dict[tuple[str, int], LedgerLine] = {}
    for line in lines:
        key = (item_of[line.fact_id], line.unit_id)
        kept = best.get(key)
        if kept is None or (line.points, kept.date, kept.fact_id) > (
            kept.points,
            line.date,
            line.fact_id,
        ):
            best[key] = line
    kept_ids = {id(line) for line in best.values()}
    result = []
    for line in lines:
        if id(line) in kept_ids:
            result.append(line)
            continue
        result.append(
            _replace(
                line,
                points=Decimal("0.00"),
                explanation=line.explanation + "（同一信息多处采用，只计最高，本次不计）",
            )
        )
    return result


def _replace(line: LedgerLine, **changes: object) -> LedgerLine:
    values = {name: getattr(line, name) for name in LedgerLine.__dataclass_fields__}
    values.update(changes)
    return LedgerLine(**values)


def _instruction_lines(rules: RuleSet, facts: Facts, period: Period) -> list[LedgerLine]:
    by_level = {r.level: r for r in rules.instructions}
    lines = []
    for fact in facts.instructions:
        if fact.date not in period or not fact.units:
            continue
        lines.extend(_one_instruction(rules, by_level, fact))
    return lines


def _one_instruction(rules: RuleSet, by_level: dict, fact: InstructionFact) -> list[LedgerLine]:
    rule = by_level.get(fact.level)
    who = f"{LEADER_LEVELS.get(fact.level, fact.level)}{fact.leader}"
    if rule is None:
        points, text, ref = Decimal("0"), f"{who}批示：未列入计分表，不计分", "批示加分：无对应级别"
    else:
        points = rule.first if fact.first else rule.later
        text = f"{who}{'批示' if fact.first else '再次批示'} {fmt(points)}分"
        ref = f"批示加分：{LEADER_LEVELS.get(rule.level)}{'首次' if fact.first else '再次'}"
    note = _share_note(len(set(fact.units)), rules.shared_credit)
    return [
        LedgerLine(
            date=fact.date,
            unit_id=unit,
            kind="instruction",
            fact_type="instruction",
            fact_id=fact.id,
            points=share.quantize(CENT),
            period_start=fact.date,
            period_end=fact.date,
            rule_ref=ref,
            explanation=text,
            share_note=note,
        )
        for unit, share in _credit(points, fact.units, rules.shared_credit).items()
    ]


_OUTCOME_TEXT = {"commission": "约稿", "feedback": "批示反馈"}


def _outcome_lines(rules: RuleSet, facts: Facts, period: Period) -> list[LedgerLine]:
    lines = []
    for fact in facts.outcomes:
        if fact.date not in period or fact.outcome not in ("missed", "late"):
            continue
        kind = f"{fact.kind}_{fact.outcome}"
        penalty: Decimal = getattr(rules.penalties, kind, Decimal("0"))
        if not penalty:
            continue
        what = _OUTCOME_TEXT.get(fact.kind, fact.kind)
        title = f"「{fact.title}」" if fact.title else ""
        state = "未报" if fact.outcome == "missed" else "逾期"
        lines.append(
            LedgerLine(
                date=fact.date,
                unit_id=fact.unit,
                kind=kind,
                fact_type=fact.kind,
                fact_id=fact.id,
                points=(-penalty).quantize(CENT),
                period_start=fact.date,
                period_end=fact.date,
                rule_ref=f"扣分：{what}{state}每次 {fmt(penalty)}分",
                explanation=f"{what}{title}{state} −{fmt(penalty)}分",
            )
        )
    return lines


def _quota_label(rule: QuotaRule) -> str:
    who = "所有单位" if rule.unit_class == ANY else rule.unit_class
    kinds = f"（{'、'.join(rule.kinds)}）" if rule.kinds else ""
    return rule.label or f"{who}每{QUOTA_PERIODS[rule.period]}≥{rule.minimum}条{kinds}"


def _quota_lines(rules: RuleSet, facts: Facts, period: Period) -> list[LedgerLine]:
    lines: list[LedgerLine] = []
    for index, rule in enumerate(rules.quotas):
        windows = quota_periods_ending_in(period, rule.period)
        if not windows:
            continue
        counts = _count_submissions(facts, rule, windows)
        units = [u for u in facts.units if rule.unit_class in (ANY, u.unit_class)]
        base_given: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for window in windows:
            for unit in sorted(units, key=lambda u: u.id):
                count = counts.get((unit.id, window.start), 0)
                lines.extend(
                    _quota_window_lines(
                        rule,
                        index=index,
                        window=window,
                        unit=unit.id,
                        count=count,
                        base_given=base_given,
                    )
                )
    return lines


def _count_submissions(
    facts: Facts, rule: QuotaRule, windows: list[Period]
) -> dict[tuple[int, date], int]:
    first, last = windows[0].start, windows[-1].end
    kinds = rule.kinds
    window_of: dict[date, date] = {}
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for fact in facts.submissions:
        day = fact.date
        if not first <= day <= last or (kinds and fact.kind not in kinds):
            continue
        start = window_of.get(day)
        if start is None:
            start = window_of[day] = quota_period(day, rule.period).start
        counts[(fact.unit, start)] += 1
    return counts


def _quota_window_lines(
    rule: QuotaRule,
    *,
    index: int,
    window: Period,
    unit: int,
    count: int,
    base_given: dict[tuple[int, int], Decimal],
) -> list[LedgerLine]:
    label = _quota_label(rule)
    common = {
        "date": window.end,
        "unit_id": unit,
        "fact_type": "quota",
        "fact_id": f"{index + 1}:{window.start.isoformat()}",
        "period_start": window.start,
        "period_end": window.end,
    }
    where = f"{window.start:%m-%d}～{window.end:%m-%d}" if rule.period == "week" else ""
    if count < rule.minimum:
        if not rule.shortfall:
            return []
        return [
            LedgerLine(
                kind="quota_shortfall",
                points=(-rule.shortfall).quantize(CENT),
                rule_ref=f"定额：{label}，未完成扣 {fmt(rule.shortfall)}分",
                explanation=(
                    f"{where}报送 {count} 条，未完成定额 {rule.minimum} 条 −{fmt(rule.shortfall)}分"
                ),
                **common,  # type: ignore[arg-type]
            )
        ]
    base = rule.base
    if rule.yearly_cap is not None:
        key = (unit, window.end.year)
        base = max(Decimal("0"), min(base, rule.yearly_cap - base_given[key]))
        base_given[key] += base
    lines = []
    if base or not rule.per_item_above:
        capped = "（已达全年上限）" if base < rule.base else ""
        lines.append(
            LedgerLine(
                kind="quota_met",
                points=base.quantize(CENT),
                rule_ref=f"定额：{label}，完成得 {fmt(rule.base)}分",
                explanation=(
                    f"{where}报送 {count} 条，完成定额 {rule.minimum} 条 {fmt(base)}分{capped}"
                ),
                **common,  # type: ignore[arg-type]
            )
        )
    above = count - rule.minimum
    if above > 0 and rule.per_item_above:
        points = rule.per_item_above * above
        lines.append(
            LedgerLine(
                kind="quota_above",
                points=points.quantize(CENT),
                rule_ref=f"定额：{label}，超出每条 {fmt(rule.per_item_above)}分",
                explanation=(
                    f"{where}超出定额 {above} 条 × {fmt(rule.per_item_above)} = {fmt(points)}分"
                ),
                **common,  # type: ignore[arg-type]
            )
        )
    return lines


def _correction_lines(facts: Facts, period: Period) -> list[LedgerLine]:
    return [
        LedgerLine(
            date=fact.date,
            unit_id=fact.unit,
            kind="correction",
            fact_type="objection",
            fact_id=fact.id,
            points=fact.points.quantize(CENT),
            period_start=fact.date,
            period_end=fact.date,
            rule_ref="异议更正",
            explanation=f"异议更正 {'+' if fact.points > 0 else ''}{fmt(fact.points)}分："
            + fact.reason,
        )
        for fact in facts.corrections
        if fact.date in period
    ]


def compute(rules: RuleSet, facts: Facts, period: Period) -> list[LedgerLine]:
    """The ledger of `period` under `rules`, sorted; the same input always gives the same lines."""
    lines = (
        _adoption_lines(rules, facts, period)
        + _instruction_lines(rules, facts, period)
        + _outcome_lines(rules, facts, period)
        + _quota_lines(rules, facts, period)
        + _correction_lines(facts, period)
    )
    classes = {u.id: u.unit_class for u in facts.units}
    for line in lines:
        unit_class = classes.get(line.unit_id, "")
        if unit_class:
            # The lines were made just above and are not shared yet: filling in the class in
            # place is safe, and copying 60,000 frozen lines would cost a second.
            object.__setattr__(line, "unit_class", unit_class)
    return sorted(lines, key=_order)


def _order(line: LedgerLine) -> tuple[object, ...]:
    """The ledger's order: a key per line (comparing whole dataclasses is several times slower)."""
    return (
        line.date,
        line.unit_id,
        line.kind,
        line.fact_type,
        line.fact_id,
        line.points,
        line.period_start,
        line.explanation,
    )


def totals(lines: Iterable[LedgerLine]) -> dict[int, Decimal]:
    """Points per unit."""
    result: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        result[line.unit_id] += line.points
    return dict(result)
