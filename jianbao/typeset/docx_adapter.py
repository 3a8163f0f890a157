"""The only module that imports python-docx: reading DOCX for the archive parser, writing it for
the typesetter."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError


class DocxReadError(ValueError):
    """The file is not a readable Word document."""


@dataclass(frozen=True)
class DocxParagraph:
    """One paragraph of a Word file as plain text, with the bold text it starts with."""

    text: str
    bold_prefix: str
    in_table: bool = False


def _open(source: str | Path | bytes) -> DocxDocument:
    try:
        if isinstance(source, bytes):
            return docx.Document(io.BytesIO(source))
        return docx.Document(str(source))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as error:
        raise DocxReadError(f"不是有效的 Word（.docx）文件：{error}") from error


def _bold_prefix(paragraph: object) -> str:
    prefix = []
    for run in paragraph.runs:  # type: ignore[attr-defined]
        if not run.text:
            continue
        if run.bold or (run.style is not None and run.style.font.bold):
            prefix.append(run.text)
        else:
            break
    return "".join(prefix)


def read_docx_paragraphs(source: str | Path | bytes) -> list[DocxParagraph]:
    """Paragraphs of the body in document order, table cells included, empty ones kept out."""
    document = _open(source)
    paragraphs: list[DocxParagraph] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(child, document)
            if paragraph.text.strip():
                paragraphs.append(DocxParagraph(paragraph.text, _bold_prefix(paragraph)))
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        if paragraph.text.strip():
                            paragraphs.append(
                                DocxParagraph(paragraph.text, _bold_prefix(paragraph), in_table=True)
                            )
    return paragraphs


# --- Writing (the typesetter) -------------------------------------------------------------------
