"""Rule sets, facts and ledgers as JSON (the CLI's files and the stored rule versions).

Figures are written as strings ("2.5") so no float ever rounds a point; numbers are accepted too.
Every problem is a `RulesError` with a one-line Chinese message naming the place
(「outlets 第3行：未知的级别 town」).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from jianbao.scoring.model import (
    ANY,
    FORMS,
    LEADER_LEVELS,
    LEVELS,
    MULTI_OUTLET,
    OUTCOMES,
    QUOTA_PERIODS,
    SHARED_CREDIT,
    AdoptionFact,
    CorrectionFact,
    Facts,
    ForwardRule,
    InstructionFact,
    InstructionRule,
    LedgerLine,
    OutcomeFact,
    OutletRow,
    Penalties,
    QuotaRule,
    RuleSet,
    SubmissionFact,
    UnitFact,
)

MAX_POINTS = Decimal("100000")


class RulesError(ValueError):
    """Rules or facts that cannot be used; the message is one Chinese line."""


def _figure(value: Any, where: str, *, allow_negative: bool = False) -> Decimal:
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise RulesError(f"{where}：分值必须是数字")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise RulesError(f"{where}：「{value}」不是数字") from error
    if not number.is_finite() or abs(number) > MAX_POINTS:
        raise RulesError(f"{where}：分值超出范围")
    if number < 0 and not allow_negative:
        raise RulesError(f"{where}：分值不能为负数")
    if number != number.quantize(Decimal("0.01")):
        raise RulesError(f"{where}：分值最多两位小数")
    return number


def _choice(value: Any, choices: dict[str, str], where: str, *, any_ok: bool = False) -> str:
    if any_ok and value == ANY:
        return ANY
    if value not in choices:
        allowed = "、".join(f"{code}（{label}）" for code, label in choices.items())
        raise RulesError(f"{where}：未知的取值「{value}」，可选 {allowed}")
    return str(value)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100000:
        raise RulesError(f"{where}：必须是 0 到 100000 的整数")
    return value


def _text(value: Any, where: str, *, limit: int = 100, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RulesError(f"{where}：必须是文字")
    value = value.strip()
    if required and not value:
        raise RulesError(f"{where}：不能为空")
    if len(value) > limit:
        raise RulesError(f"{where}：不能超过 {limit} 个字")
    return value


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise RulesError(f"{where}：「{value}」不是日期（如 2024-06-03）") from error


def _rows(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = data.get(key) or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise RulesError(f"{key}：必须是对象列表")
    return rows


def rules_from_json(data: Any) -> RuleSet:
    """A validated rule set from its JSON form."""
    if not isinstance(data, dict):
        raise RulesError("规则必须是一个 JSON 对象")
    outlets = tuple(
        _outlet(row, f"outlets 第{n}行") for n, row in enumerate(_rows(data, "outlets"), 1)
    )
    seen: set[tuple[str, str, str]] = set()
    for n, row in enumerate(outlets, 1):
        key = (row.outlet.strip("《》"), row.level, row.form)
        if key in seen:
            raise RulesError(f"outlets 第{n}行：与前面的行重复（同一载体、级别和形式）")
        seen.add(key)
    forwarded = tuple(
        ForwardRule(
            level=_choice(row.get("level"), LEVELS, f"forwarded 第{n}行 level"),
            form=_choice(row.get("form", ANY), FORMS, f"forwarded 第{n}行 form", any_ok=True),
            multiplier=_positive(row.get("multiplier"), f"forwarded 第{n}行 multiplier"),
        )
        for n, row in enumerate(_rows(data, "forwarded"), 1)
    )
    instructions = tuple(
        InstructionRule(
            level=_choice(row.get("level"), LEADER_LEVELS, f"instructions 第{n}行 level"),
            first=_figure(row.get("first"), f"instructions 第{n}行 first"),
            later=_figure(row.get("later", row.get("first")), f"instructions 第{n}行 later"),
        )
        for n, row in enumerate(_rows(data, "instructions"), 1)
    )
    if len({r.level for r in instructions}) != len(instructions):
        raise RulesError("instructions：同一领导级别只能有一行")
    if len({(r.level, r.form) for r in forwarded}) != len(forwarded):
        raise RulesError("forwarded：同一级别和形式只能有一行")
    quotas = tuple(_quota(row, f"quotas 第{n}行") for n, row in enumerate(_rows(data, "quotas"), 1))
    return RuleSet(
        name=_text(data.get("name"), "name"),
        outlets=outlets,
        shared_credit=_choice(data.get("shared_credit", "split"), SHARED_CREDIT, "shared_credit"),
        multi_outlet=_choice(data.get("multi_outlet", "sum"), MULTI_OUTLET, "multi_outlet"),
        forwarded=forwarded,
        instructions=instructions,
        quotas=quotas,
        penalties=_penalties(data.get("penalties") or {}),
        commissioned_bonus=_figure(data.get("commissioned_bonus", 0), "commissioned_bonus"),
    )


def _positive(value: Any, where: str) -> Decimal:
    number = _figure(value, where)
    if number <= 0:
        raise RulesError(f"{where}：倍数必须大于 0")
    return number


def _outlet(row: dict[str, Any], where: str) -> OutletRow:
    outlet = _text(row.get("outlet"), f"{where} outlet", limit=100)
    return OutletRow(
        outlet=outlet if outlet == ANY else outlet.strip("《》"),
        level=_choice(row.get("level"), LEVELS, f"{where} level"),
        form=_choice(row.get("form", ANY), FORMS, f"{where} form", any_ok=True),
        points=_figure(row.get("points"), f"{where} points"),
    )


def _quota(row: dict[str, Any], where: str) -> QuotaRule:
    cap = row.get("yearly_cap")
    kinds = row.get("kinds") or []
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise RulesError(f"{where} kinds：必须是文字列表")
    return QuotaRule(
        unit_class=_text(row.get("unit_class", ANY), f"{where} unit_class", limit=50),
        period=_choice(row.get("period"), QUOTA_PERIODS, f"{where} period"),
        minimum=_int(row.get("minimum"), f"{where} minimum"),
        base=_figure(row.get("base", 0), f"{where} base"),
        per_item_above=_figure(row.get("per_item_above", 0), f"{where} per_item_above"),
        shortfall=_figure(row.get("shortfall", 0), f"{where} shortfall"),
        yearly_cap=None if cap in (None, "") else _figure(cap, f"{where} yearly_cap"),
        kinds=tuple(kinds),
        label=_text(row.get("label", ""), f"{where} label", required=False),
    )


def _penalties(data: Any) -> Penalties:
    if not isinstance(data, dict):
        raise RulesError("penalties：必须是对象")
    unknown = set(data) - set(Penalties.__dataclass_fields__)
    if unknown:
        raise RulesError(f"penalties：未知的项目 {'、'.join(sorted(unknown))}")
    return Penalties(**{k: _figure(v, f"penalties {k}") for k, v in data.items()})


def _fig(value: Decimal) -> str:
    return f"{value:f}"


def rules_to_json(rules: RuleSet) -> dict[str, Any]:
    """The JSON form of a rule set (what `rules_from_json` reads back)."""
    return {
        "name": rules.name,
        "outlets": [
            {"outlet": r.outlet, "level": r.level, "form": r.form, "points": _fig(r.points)}
            for r in rules.outlets
        ],
        "shared_credit": rules.shared_credit,
        "multi_outlet": rules.multi_outlet,
        "forwarded": [
            {"level": r.level, "form": r.form, "multiplier": _fig(r.multiplier)}
            for r in rules.forwarded
        ],
        "instructions": [
            {"level": r.level, "first": _fig(r.first), "later": _fig(r.later)}
            for r in rules.instructions
        ],
        "quotas": [
            {
                "unit_class": q.unit_class,
                "period": q.period,
                "minimum": q.minimum,
                "base": _fig(q.base),
                "per_item_above": _fig(q.per_item_above),
                "shortfall": _fig(q.shortfall),
                "yearly_cap": None if q.yearly_cap is None else _fig(q.yearly_cap),
                "kinds": list(q.kinds),
                "label": q.label,
            }
            for q in rules.quotas
        ],
        "penalties": {
            name: _fig(getattr(rules.penalties, name)) for name in Penalties.__dataclass_fields__
        },
        "commissioned_bonus": _fig(rules.commissioned_bonus),
    }


def _units(value: Any, where: str) -> tuple[int, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not value:
        raise RulesError(f"{where}：units 必须是单位编号列表")
    return tuple(_int_id(v, where) for v in value)


def _int_id(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(f"{where}：单位编号必须是整数")
    return value


def facts_from_json(data: Any) -> Facts:
    """Facts from their JSON form (see README 「计分事实 JSON」)."""
    if not isinstance(data, dict):
        raise RulesError("事实文件必须是一个 JSON 对象")

    def each(key: str) -> Iterable[tuple[str, dict[str, Any]]]:
        for n, row in enumerate(_rows(data, key), 1):
            yield f"{key} 第{n}行", row

    try:
        return Facts(
            units=tuple(
                UnitFact(id=_int_id(r.get("id"), w), name=str(r.get("name", "")),
                         unit_class=str(r.get("class", "")))
                for w, r in each("units")
            ),
            adoptions=tuple(
                AdoptionFact(
                    id=str(r.get("id", w)), item=str(r.get("item", r.get("id", w))),
                    units=_units(r.get("units"), w), outlet=_text(r.get("outlet"), f"{w} outlet"),
                    level=_choice(r.get("level"), LEVELS, f"{w} level"),
                    form=_choice(r.get("form", "single"), FORMS, f"{w} form"),
                    date=_date(r.get("date"), f"{w} date"),
                    forwarded=bool(r.get("forwarded", False)),
                    commissioned=bool(r.get("commissioned", False)),
                    outlet_issue=str(r.get("outlet_issue", "")),
                )
                for w, r in each("adoptions")
            ),
            instructions=tuple(
                InstructionFact(
                    id=str(r.get("id", w)), item=str(r.get("item", r.get("id", w))),
                    units=_units(r.get("units"), w),
                    level=_choice(r.get("level"), LEADER_LEVELS, f"{w} level"),
                    date=_date(r.get("date"), f"{w} date"), leader=str(r.get("leader", "")),
                    first=bool(r.get("first", True)),
                )
                for w, r in each("instructions")
            ),
            outcomes=tuple(
                OutcomeFact(
                    id=str(r.get("id", w)), kind=key.rstrip("s"),
                    unit=_int_id(r.get("unit"), w),
                    outcome=_choice(r.get("outcome"), OUTCOMES, f"{w} outcome"),
                    date=_date(r.get("date"), f"{w} date"), title=str(r.get("title", "")),
                )
                for key in ("commissions", "feedback")
                for w, r in each(key)
            ),
            submissions=tuple(
                SubmissionFact(id=str(r.get("id", w)), unit=_int_id(r.get("unit"), w),
                               date=_date(r.get("date"), f"{w} date"),
                               kind=str(r.get("kind", "item")))
                for w, r in each("submissions")
            ),
            corrections=tuple(
                CorrectionFact(id=str(r.get("id", w)), unit=_int_id(r.get("unit"), w),
                               date=_date(r.get("date"), f"{w} date"),
                               points=_figure(r.get("points"), f"{w} points", allow_negative=True),
                               reason=str(r.get("reason", "")))
                for w, r in each("corrections")
            ),
        )  # fmt: skip
    except (TypeError, AttributeError) as error:
        raise RulesError(f"事实文件格式不对：{error}") from error


def facts_to_json(facts: Facts) -> dict[str, Any]:
    """The JSON form of facts (what `facts_from_json` reads back)."""
    return {
        "units": [{"id": u.id, "name": u.name, "class": u.unit_class} for u in facts.units],
        "adoptions": [
            {"id": a.id, "item": a.item, "units": list(a.units), "outlet": a.outlet,
             "level": a.level, "form": a.form, "date": a.date.isoformat(),
             "forwarded": a.forwarded, "commissioned": a.commissioned,
             "outlet_issue": a.outlet_issue}
            for a in facts.adoptions
        ],
        "instructions": [
            {"id": i.id, "item": i.item, "units": list(i.units), "level": i.level,
             "date": i.date.isoformat(), "leader": i.leader, "first": i.first}
            for i in facts.instructions
        ],
        "commissions": [_outcome(o) for o in facts.outcomes if o.kind == "commission"],
        "feedback": [_outcome(o) for o in facts.outcomes if o.kind == "feedback"],
        "submissions": [
            {"id": s.id, "unit": s.unit, "date": s.date.isoformat(), "kind": s.kind}
            for s in facts.submissions
        ],
        "corrections": [
            {"id": c.id, "unit": c.unit, "date": c.date.isoformat(), "points": _fig(c.points),
             "reason": c.reason}
            for c in facts.corrections
        ],
    }  # fmt: skip


def _outcome(o: OutcomeFact) -> dict[str, Any]:
    return {"id": o.id, "unit": o.unit, "outcome": o.outcome, "date": o.date.isoformat(),
            "title": o.title}  # fmt: skip


def line_to_json(line: LedgerLine) -> dict[str, Any]:
    """One ledger line as JSON."""
    return {
        "date": line.date.isoformat(),
        "unit_id": line.unit_id,
        "unit_class": line.unit_class,
        "kind": line.kind,
        "points": _fig(line.points),
        "period_start": line.period_start.isoformat(),
        "period_end": line.period_end.isoformat(),
        "rule": line.rule_ref,
        "fact": f"{line.fact_type}:{line.fact_id}",
        "explanation": line.explanation,
        "share_note": line.share_note,
    }
