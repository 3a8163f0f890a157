"""The 通报 as an issue of a series, for the official typesetter (DOCX and PDF)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jianbao.ranking import TIE_RULE
from jianbao.typeset import Bulletin, Entry, Footer, render_docx, render_pdf

TABLE_HEADER = ("名次", "单位", "得分", "采用条数", "其中市级以上")
CHINESE_ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Masthead:
    """What the 通报 prints above and below its text."""

    series: str
    organ: str
    year: int
    number: int
    date: datetime.date
    title: str
    introduction: str
    distribute_to: str = ""
    editors: tuple[str, ...] = ()
    correction_notice: str | None = None


def default_title(period_label: str) -> str:
    """「2024年6月政务信息工作情况通报」."""
    return f"{period_label}政务信息工作情况通报"


def default_introduction(period_label: str) -> str:
    """The editable opening paragraph."""
    return (
        f"现将{period_label}各单位政务信息报送采用及计分情况通报如下。"
        "请各单位对照排名查找差距，进一步提高信息报送的数量和质量。"
    )


def _table(cls: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    rows = [TABLE_HEADER]
    for line in cls["lines"]:
        levels = line["by_level"]
        upper = sum(levels.get(level, 0) for level in ("central", "province", "city"))
        rank = f"{line['rank']}" + ("（并列）" if line["tied"] else "")
        rows.append((rank, line["unit"], line["points"], str(line["adopted"]), str(upper)))
    return tuple(rows)


def report_bulletin(masthead: Masthead, snapshot: Sequence[dict[str, Any]]) -> Bulletin:
    """The typesetter's model: title and introduction, a ranking table per class, units not
    adopted, the tie rule."""
    entries = [Entry(kind="item", title=masthead.title, body=masthead.introduction.strip())]
    for index, cls in enumerate(snapshot):
        ordinal = CHINESE_ORDINALS[index] if index < len(CHINESE_ORDINALS) else str(index + 1)
        entries.append(
            Entry(
                kind="item", title=f"{ordinal}、{cls['class']}得分排名", body="", table=_table(cls)
            )
        )
    missing = [(cls["class"], cls["without_adoption"]) for cls in snapshot]
    named = [f"{name}：{'、'.join(units)}" for name, units in missing if units]
    if named:
        entries.append(Entry(kind="note", body="未被采用信息的单位——" + "；".join(named) + "。"))
    else:
        entries.append(Entry(kind="note", body="本期各单位均有信息被采用。"))
    entries.append(Entry(kind="note", body=TIE_RULE))
    return Bulletin(
        series=masthead.series,
        year=masthead.year,
        number=masthead.number,
        organ=masthead.organ,
        date=masthead.date,
        entries=tuple(entries),
        footer=Footer(distribute_to=masthead.distribute_to or None, editors=masthead.editors),
        correction_notice=masthead.correction_notice,
        editor_note=None,
    )


def render_report(masthead: Masthead, snapshot: Sequence[dict[str, Any]], fmt: str) -> bytes:
    """DOCX or PDF bytes of the 通报 (TypesetError when fonts are missing)."""
    bulletin = report_bulletin(masthead, snapshot)
    if fmt == "docx":
        return render_docx(bulletin)
    if fmt == "pdf":
        return render_pdf(bulletin)
    raise ValueError(f"unknown format {fmt}")
