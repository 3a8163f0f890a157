"""What the page says, decided once for every renderer: masthead lines, paragraphs, footer lines.

The renderers only decide how it looks; the wording (「第35期」, 「2024年6月17日」, the source in
parentheses at the end of the last paragraph, 「△」 for briefs) is fixed here so DOCX, PDF and HTML
can never disagree.
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Literal

from jianbao.typeset.model import Bulletin, Entry

# Space between the bold headline and the body: a full-width space keeps the character grid.
LEAD_GAP = "\u3000"
BRIEF_MARK = "△"
# Pads a short 报尾 label so its colon stands under the longest label's colon.
FOOTER_PAD = "\u3000"
# A headline ending in one of these needs no gap before the body.
_CLOSING_PUNCTUATION = "。！？；：…"

# The masthead title: 56 pt with 0.1 em tracking, smaller when a long name would not fit one line.
TITLE_MAX_POINTS = 56
TEXT_WIDTH_POINTS = 442  # 156 mm
TITLE_TRACKING_EM = 0.1

ParagraphStyle = Literal["section", "editor-note", "correction", "body", "brief", "table"]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: an optional bold lead followed by plain text."""

    style: ParagraphStyle
    lead: str
    text: str
    # The index of the entry it belongs to (-1 for headings and notes), so renderers can keep
    # an entry's paragraphs together or anchor them.
    entry: int = -1
    # Only for style "table": the rows, header first (lead and text are then empty).
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Masthead:
    """The 版头 text."""

    marks: str
    title: str
    title_points: float
    number_line: str
    organ: str
    date: str


@dataclass(frozen=True)
class FooterLines:
    """The 报尾 text: distribution lines, then editors and print count."""

    distribution: tuple[str, ...]
    editors: str
    copies: str

    @property
    def empty(self) -> bool:
        """True when the issue has no 报尾 at all."""
        return not (self.distribution or self.editors or self.copies)


@dataclass(frozen=True)
class Layout:
    """Everything a renderer prints, in reading order."""

    masthead: Masthead
    paragraphs: tuple[Paragraph, ...]
    footer: FooterLines

    def to_json(self) -> dict[str, Any]:
        """Plain data for the Typst template."""
        data = asdict(self)
        data["footer"]["empty"] = self.footer.empty
        return data


def chinese_date(date: datetime.date) -> str:
    """「2024年6月17日」: Arabic digits, no leading zeros (GB/T 9704)."""
    return f"{date.year}年{date.month}月{date.day}日"


def title_points(title: str) -> float:
    """The masthead title size that keeps it on one line (CJK 1 em, others ~0.6 em)."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in title)
    ems += TITLE_TRACKING_EM * len(title)
    fitting = TEXT_WIDTH_POINTS / max(ems, 1.0)
    return float(min(TITLE_MAX_POINTS, int(fitting * 2) / 2))  # whole or half points


def number_line(bulletin: Bulletin) -> str:
    """「第35期」, or 「第35期（总第1234期）」 for series with a cumulative count."""
    line = f"第{bulletin.number}期"
    if bulletin.total_number is not None:
        line += f"（总第{bulletin.total_number}期）"
    return line


def _entry_paragraphs(entry: Entry, index: int) -> list[Paragraph]:
    """An entry as paragraphs: bold headline lead or 「△」, source at the end."""
    texts = entry.paragraphs or [""]
    texts[-1] += entry.source_text
    if entry.kind == "brief":
        lead = entry.title or ""
        first = BRIEF_MARK + (lead + LEAD_GAP if lead else "")
        return [
            Paragraph("brief", "", first + texts[0], index),
            *(Paragraph("brief", "", text, index) for text in texts[1:]),
        ]
    lead = entry.title or ""
    gap = LEAD_GAP if lead and texts[0] and not lead.endswith(tuple(_CLOSING_PUNCTUATION)) else ""
    paragraphs = [
        Paragraph("body", lead, gap + texts[0], index),
        *(Paragraph("body", "", text, index) for text in texts[1:]),
    ]
    if entry.table:
        paragraphs.append(Paragraph("table", "", "", index, rows=entry.table))
    return paragraphs


def _body(bulletin: Bulletin) -> list[Paragraph]:
    """Correction, editor's note, section headings and entries in reading order."""
    paragraphs: list[Paragraph] = []
    if bulletin.correction_notice and bulletin.correction_notice.strip():
        paragraphs.append(Paragraph("correction", "更正说明：", bulletin.correction_notice.strip()))
    if bulletin.editor_note:
        note = [line.strip() for line in bulletin.editor_note.split("\n") if line.strip()]
        paragraphs.append(Paragraph("editor-note", "编者按：", note[0]))
        paragraphs.extend(Paragraph("editor-note", "", line) for line in note[1:])
    section: str | None = None
    for index, entry in enumerate(bulletin.entries):
        if entry.section and entry.section != section:
            name = entry.section.strip("【】[] ")
            paragraphs.append(Paragraph("section", "", f"【{name}】", index))
        section = entry.section
        paragraphs.extend(_entry_paragraphs(entry, index))
    return paragraphs


def _footer(bulletin: Bulletin) -> FooterLines:
    """The 报尾 lines with their labels."""
    footer = bulletin.footer
    labelled = (
        ("报：", footer.report_to),
        ("本期送：", footer.send_to),
        ("发：", footer.distribute_to),
        ("本期增发：", footer.extra_to),
    )
    present = [(label, value.strip()) for label, value in labelled if value]
    # Colons line up: 「　　发：」 under 「本期送：」, padded with full-width spaces (one character
    # each on the grid), as typists do it in Word.
    width = max((len(label) for label, _ in present), default=0)
    return FooterLines(
        distribution=tuple(
            FOOTER_PAD * (width - len(label)) + label + value for label, value in present
        ),
        editors="责任编辑：" + " ".join(footer.editors) if footer.editors else "",
        copies=f"（共印{footer.copies}份）" if footer.copies else "",
    )


def lay_out(bulletin: Bulletin) -> Layout:
    """Decide the printed wording of an issue."""
    masthead = Masthead(
        marks="\u3000".join(bulletin.marks),
        title=bulletin.series,
        title_points=title_points(bulletin.series),
        number_line=number_line(bulletin),
        organ=bulletin.organ,
        date=chinese_date(bulletin.date),
    )
    return Layout(masthead, tuple(_body(bulletin)), _footer(bulletin))
