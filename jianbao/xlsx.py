"""The one module that imports openpyxl: plain-value workbooks for exports (通报, ledgers, lists).

Every export in Jianbao is a list of sheets with Chinese headers and values only (no formulas),
so that an office can open it in WPS or Excel and the figures cannot change under them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | Decimal | date | datetime | None

# Excel refuses sheet titles longer than 31 characters or containing any of these.
_FORBIDDEN_IN_TITLE = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


@dataclass
class Sheet:
    """One worksheet: a title, a header row, data rows and optional column widths (characters)."""

    title: str
    headers: list[str]
    rows: Sequence[Sequence[Cell]]
    widths: list[int] | None = field(default=None)


def _plain(value: Cell) -> Cell:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # openpyxl cannot store aware datetimes
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value  # never let a cell become a formula (CSV/XLSX injection)
    return value


def _default_width(header: str, rows: Sequence[Sequence[Cell]], column: int) -> int:
    longest = max((len(str(row[column])) for row in rows[:200] if column < len(row)), default=0)
    # CJK characters are about two Latin columns wide.
    return min(60, max(6, 2 * max(len(header), longest) + 2))


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Build an .xlsx file from the sheets and return its bytes."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for sheet in sheets:
        title = (sheet.title.translate(_FORBIDDEN_IN_TITLE) or "Sheet")[:31]
        while title in used:
            title = title[:28] + f"_{len(used)}"
        used.add(title)
        worksheet = book.create_sheet(title)
        worksheet.append(sheet.headers)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for row in sheet.rows:
            worksheet.append([_plain(value) for value in row])
        widths = sheet.widths or [
            _default_width(header, sheet.rows, i) for i, header in enumerate(sheet.headers)
        ]
        for i, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(i)].width = width
        worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
