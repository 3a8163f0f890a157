"""Shapes shared by the archive parser modules: the bulletin JSON and the parse bookkeeping."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict


class EntryDict(TypedDict):
    """One printed entry (DESIGN.md section 6)."""

    kind: str
    section: str | None
    title: str | None
    body: str
    source_units: list[str]
    source_raw: str | None


class FooterDict(TypedDict):
    """The 报尾 (DESIGN.md section 6)."""

    report_to: str | None
    send_to: str | None
    distribute_to: str | None
    extra_to: str | None
    editors: list[str]
    copies: int | None


class WarningDict(TypedDict):
    """Something an editor should check, in Chinese."""

    field: str
    message: str


class TextPiece(TypedDict):
    """Text the parser did not put into a field: dropped noise or consumed layout."""

    kind: str
    text: str


# The keys of the bulletin JSON proper; the parser adds warnings, confidence, noise and layout.
BULLETIN_KEYS = (
    "series",
    "year",
    "number",
    "total_number",
    "organ",
    "date",
    "marks",
    "editor_note",
    "entries",
    "footer",
)


@dataclass
class Para:
    """One paragraph of input with the hints the extractor could give."""

    text: str
    bold: str = ""  # headline hint: the bold text the paragraph starts with (DOCX, PDF)
    line: int = 0  # 1-based line of the input where the paragraph starts (0 when unknown)


@dataclass
class Report:
    """Warnings, confidences, noise and layout collected while parsing."""

    warnings: list[WarningDict] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    noise: list[TextPiece] = field(default_factory=list)
    layout: list[TextPiece] = field(default_factory=list)

    def warn(self, field_name: str, message: str) -> None:
        """Add a warning for an editor."""
        self.warnings.append({"field": field_name, "message": message})

    def drop(self, kind: str, text: str) -> None:
        """Record text dropped as layout noise (page numbers, running headers, contents …)."""
        if text.strip():
            self.noise.append({"kind": kind, "text": text})

    def consume(self, kind: str, text: str) -> None:
        """Record text interpreted into fields rather than copied (masthead, labels, markers)."""
        if text.strip():
            self.layout.append({"kind": kind, "text": text})
