"""Reads of import batches and items, and what still blocks an item from becoming an issue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from jianbao.accounts.models import Unit, User
from jianbao.accounts.selectors import resolve_unit
from jianbao.archive.models import ImportBatch, ImportItem, ItemState
from jianbao.archive.policy import require_importer
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.workflow import IssueState


@dataclass(frozen=True)
class Problem:
    """Something that keeps an item from being imported, in Chinese for the editor."""

    code: str  # missing | invalid | series | unit | duplicate
    field: str
    message: str
    name: str = ""  # the unknown series or unit name


class UnitResolver:
    """Name → unit through names, short names and aliases, memoised for one operation only."""

    def __init__(self) -> None:
        self._known: dict[str, Unit | None] = {}

    def __call__(self, name: str) -> Unit | None:
        if name not in self._known:
            self._known[name] = resolve_unit(name)
        return self._known[name]


def batches_visible_to(user: User) -> QuerySet[ImportBatch]:
    """Every batch, for the bulletin office; refused for anyone else."""
    require_importer(user)
    return ImportBatch.objects.select_related("created_by")


def get_batch(user: User, pk: int) -> ImportBatch:
    """One batch or 404."""
    batch = batches_visible_to(user).filter(pk=pk).first()
    if batch is None:
        raise Http404("导入批次不存在。")
    return batch


def get_item(user: User, pk: int) -> ImportItem:
    """One item or 404."""
    require_importer(user)
    item = ImportItem.objects.select_related("batch", "issue__series").filter(pk=pk).first()
    if item is None:
        raise Http404("导入文件不存在。")
    return item


def state_counts(batch: ImportBatch) -> dict[str, int]:
    """How many items of the batch are in each state (every state present, zero or not)."""
    rows = batch.items.values("state").annotate(n=Count("pk"))
    counts = {state.value: 0 for state in ItemState}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def source_names(parsed: dict[str, Any]) -> list[str]:
    """Every source unit name of the parsed entries, in order of appearance, once each."""
    names = (name for entry in parsed.get("entries") or [] for name in entry["source_units"])
    return list(dict.fromkeys(name for name in names if name))


def unknown_unit_names(item: ImportItem, resolver: UnitResolver | None = None) -> list[str]:
    """Source names that match no unit and were not left unattributed."""
    resolver = resolver or UnitResolver()
    left = set(item.unattributed)
    return [n for n in source_names(item.parsed) if n not in left and resolver(n) is None]


def existing_issue(series: str, year: int, number: int) -> Issue | None:
    """The live issue already holding this series, year and number (archive or not)."""
    return (
        Issue.objects.filter(series__title=series, year=year, number=number, edition=1)
        .exclude(state=IssueState.VOIDED)
        .first()
    )


def _masthead_problems(parsed: dict[str, Any]) -> list[Problem]:
    problems = []
    if not parsed.get("series"):
        problems.append(Problem("missing", "series", "缺少刊名"))
    elif not Series.objects.filter(title=parsed["series"]).exists():
        message = f"刊物《{parsed['series']}》尚未建立：请改为已有刊物，或明确新建"
        problems.append(Problem("series", "series", message, parsed["series"]))
    for field, label in (("year", "年份"), ("number", "期号")):
        value = parsed.get(field)
        if not isinstance(value, int) or value <= 0:
            problems.append(Problem("missing", field, f"缺少{label}"))
    if len(parsed.get("organ") or "") > 100:
        problems.append(Problem("invalid", "organ", "编发机关超过 100 字，可能识别有误"))
    try:
        datetime.date.fromisoformat(str(parsed.get("date")))
    except ValueError:
        problems.append(Problem("missing", "date", "缺少日期或日期无效"))
    return problems


# Column sizes of bulletins.Entry: a longer value is a misreading (a paragraph as a headline).
LIMITS = (("title", 200, "标题"), ("section", 50, "栏目"), ("source_raw", 200, "署名"))


def _entry_problems(parsed: dict[str, Any]) -> list[Problem]:
    entries = parsed.get("entries") or []
    if not entries:
        return [Problem("missing", "entries", "没有任何条目")]
    problems = []
    for index, entry in enumerate(entries):
        where, label = f"entries[{index}]", f"第{index + 1}条"
        if entry["kind"] == "item" and not (entry.get("title") or "").strip():
            problems.append(Problem("missing", f"{where}.title", f"{label}缺少标题"))
        if not (entry.get("body") or "").strip():
            problems.append(Problem("missing", f"{where}.body", f"{label}缺少正文"))
        for field, limit, what in LIMITS:
            if len(entry.get(field) or "") > limit:
                message = f"{label}的{what}超过 {limit} 字，可能识别有误"
                problems.append(Problem("invalid", f"{where}.{field}", message))
    return problems


def item_problems(item: ImportItem, resolver: UnitResolver | None = None) -> list[Problem]:
    """Everything that blocks confirming the item now (computed, so a new alias counts at once)."""
    parsed = item.parsed
    problems = _masthead_problems(parsed) + _entry_problems(parsed)
    for name in unknown_unit_names(item, resolver):
        message = f"来源单位「{name}」未对应到单位表：请对应到已有单位、新建单位或不计入单位"
        problems.append(Problem("unit", "source_units", message, name))
    if not any(p.field in ("series", "year", "number") for p in problems):
        issue = existing_issue(parsed["series"], parsed["year"], parsed["number"])
        if issue is not None:
            message = f"《{parsed['series']}》{parsed['year']}年第{parsed['number']}期已在库中"
            problems.append(Problem("duplicate", "number", message))
    return problems
