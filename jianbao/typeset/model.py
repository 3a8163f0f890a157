"""The bulletin document model: one issue as plain data, to and from the bulletin JSON."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

EntryKind = Literal["item", "brief", "note"]
ENTRY_KINDS: tuple[str, ...] = ("item", "brief", "note")


class BulletinError(ValueError):
    """The bulletin data is incomplete or malformed (the message is Chinese, for the user)."""


# Messages name a field the way editors do, with the JSON key for whoever wrote the file.
_LABELS = {
    "series": "刊名",
    "organ": "编印单位",
    "date": "日期",
    "year": "年份",
    "number": "期号",
    "total_number": "总期号",
    "title": "标题",
    "body": "正文",
    "section": "栏目",
    "source_units": "来源单位",
    "source_raw": "来源",
    "marks": "标识",
    "editor_note": "编者按",
    "editors": "责任编辑",
    "correction_notice": "更正说明",
}


def _label(key: str) -> str:
    """The field as named in messages: 「标题（title）」."""
    return f"{_LABELS[key]}（{key}）" if key in _LABELS else f"“{key}”"


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    """A text field; None when absent and optional."""
    value = data.get(key)
    if value is None:
        if required:
            raise BulletinError(f"{where}缺少{_label(key)}")
        return None
    if not isinstance(value, str):
        raise BulletinError(f"{where}的{_label(key)}应为文字，实际是 {type(value).__name__}")
    if required and not value.strip():
        raise BulletinError(f"{where}的{_label(key)}不能为空")
    return value


def _integer(data: Mapping[str, Any], key: str, *, required: bool = True) -> int | None:
    """A positive whole number field."""
    value = data.get(key)
    if value is None and not required:
        return None
    # bool is an int subclass; True as an issue number is a data error, not 1.
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise BulletinError(f"简报的{_label(key)}应为正整数，实际是 {value!r}")
    return value


def _strings(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    """A list of texts, blank ones dropped."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BulletinError(f"{where}的{_label(key)}应为文字列表")
    return [item for item in value if item.strip()]


@dataclass(frozen=True)
class Entry:
    """One item (信息), brief (简讯) or unheaded note in an issue."""

    kind: EntryKind
    body: str
    title: str | None = None
    section: str | None = None
    source_units: tuple[str, ...] = ()
    source_raw: str | None = None
    # An optional table printed after the body (a 通报's ranking): header row first, text cells.
    table: tuple[tuple[str, ...], ...] = ()

    @property
    def paragraphs(self) -> list[str]:
        """The body split into its non-empty paragraphs."""
        return [line.strip() for line in self.body.split("\n") if line.strip()]

    @property
    def source_text(self) -> str:
        """The source as printed: 「（区委组织部、区人社局）」, or empty when there is none."""
        if self.source_raw and self.source_raw.strip():
            return self.source_raw.strip()
        if self.source_units:
            return "（" + "、".join(self.source_units) + "）"
        return ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any], position: int) -> Entry:
        """Read one entry; `position` (1-based) only names the entry in error messages."""
        where = f"第{position}条"
        if not isinstance(data, Mapping):
            raise BulletinError(f"{where}应为对象（JSON object）")
        kind = data.get("kind")
        if kind not in ENTRY_KINDS:
            raise BulletinError(f"{where}的类型“{kind}”无效，应为 item、brief 或 note")
        title = _text(data, "title", where, required=kind == "item")
        body = _text(data, "body", where, required=kind != "item") or ""
        return cls(
            kind=cast(EntryKind, kind),
            body=body,
            title=title.strip() if title else None,
            section=(_text(data, "section", where, required=False) or "").strip() or None,
            source_units=tuple(_strings(data, "source_units", where)),
            source_raw=_text(data, "source_raw", where, required=False),
            table=_table(data.get("table"), where),
        )

    def to_json(self) -> dict[str, Any]:
        """The entry as bulletin JSON; `table` appears only when the entry has one."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "section": self.section,
            "title": self.title,
            "body": self.body,
            "source_units": list(self.source_units),
            "source_raw": self.source_raw,
        }
        if self.table:
            data["table"] = [list(row) for row in self.table]
        return data


def _table(value: object, where: str) -> tuple[tuple[str, ...], ...]:
    """A table as rows of text cells, every row as wide as the header."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(
        isinstance(row, list) and all(isinstance(cell, str) for cell in row) for row in value
    ):
        raise BulletinError(f"{where}的表格（table）应为文字单元格组成的行列表")
    if value and any(len(row) != len(value[0]) or not row for row in value):
        raise BulletinError(f"{where}的表格（table）每行的列数应与表头相同")
    return tuple(tuple(row) for row in value)


@dataclass(frozen=True)
class Footer:
    """The 报尾: distribution lines, editors and print count."""

    report_to: str | None = None
    send_to: str | None = None
    distribute_to: str | None = None
    extra_to: str | None = None
    editors: tuple[str, ...] = ()
    copies: int | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Footer:
        """Read the footer object (absent means an empty footer)."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise BulletinError("报尾（footer）应为对象（JSON object）")
        where = "报尾"
        copies = data.get("copies")
        if copies is not None and (
            not isinstance(copies, int) or isinstance(copies, bool) or copies <= 0
        ):
            raise BulletinError(f"报尾的印数“copies”应为正整数，实际是 {copies!r}")
        return cls(
            report_to=_text(data, "report_to", where, required=False),
            send_to=_text(data, "send_to", where, required=False),
            distribute_to=_text(data, "distribute_to", where, required=False),
            extra_to=_text(data, "extra_to", where, required=False),
            editors=tuple(_strings(data, "editors", where)),
            copies=copies,
        )

    def to_json(self) -> dict[str, Any]:
        """The footer as bulletin JSON."""
        return {
            "report_to": self.report_to,
            "send_to": self.send_to,
            "distribute_to": self.distribute_to,
            "extra_to": self.extra_to,
            "editors": list(self.editors),
            "copies": self.copies,
        }


@dataclass(frozen=True)
class Bulletin:
    """One issue of a series, ready to typeset."""

    series: str
    year: int
    number: int
    organ: str
    date: datetime.date
    entries: tuple[Entry, ...]
    footer: Footer = field(default_factory=Footer)
    total_number: int | None = None
    marks: tuple[str, ...] = ()
    editor_note: str | None = None
    correction_notice: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Bulletin:
        """Build from the bulletin JSON (DESIGN.md section 6); extra keys ("warnings") pass."""
        if not isinstance(data, Mapping):
            raise BulletinError("简报数据应为 JSON 对象")
        raw_entries = data.get("entries")
        if not isinstance(raw_entries, list) or not raw_entries:
            raise BulletinError("简报没有任何条目（entries 为空或缺失）")
        return cls(
            series=cast(str, _text(data, "series", "简报")).strip(),
            year=cast(int, _integer(data, "year")),
            number=cast(int, _integer(data, "number")),
            total_number=_integer(data, "total_number", required=False),
            organ=cast(str, _text(data, "organ", "简报")).strip(),
            date=_date(data.get("date")),
            marks=tuple(_strings(data, "marks", "简报")),
            editor_note=_text(data, "editor_note", "简报", required=False) or None,
            entries=tuple(Entry.from_json(item, i) for i, item in enumerate(raw_entries, 1)),
            footer=Footer.from_json(data.get("footer")),
            correction_notice=_text(data, "correction_notice", "简报", required=False) or None,
        )

    def to_json(self) -> dict[str, Any]:
        """The issue as bulletin JSON; `correction_notice` appears only when set."""
        data: dict[str, Any] = {
            "series": self.series,
            "year": self.year,
            "number": self.number,
            "total_number": self.total_number,
            "organ": self.organ,
            "date": self.date.isoformat(),
            "marks": list(self.marks),
            "editor_note": self.editor_note,
            "entries": [entry.to_json() for entry in self.entries],
            "footer": self.footer.to_json(),
        }
        if self.correction_notice is not None:
            data["correction_notice"] = self.correction_notice
        return data

    @property
    def slug(self) -> str:
        """The base of output file names: 「上街信息-2024-35」."""
        return f"{self.series}-{self.year}-{self.number}"


def _date(value: object) -> datetime.date:
    """An ISO date 「2024-06-17」."""
    if not isinstance(value, str):
        raise BulletinError(f"简报的日期“date”应为 YYYY-MM-DD 格式的文字，实际是 {value!r}")
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError as error:
        raise BulletinError(f"简报的日期“{value}”无效，应为 YYYY-MM-DD") from error
