"""The only module that imports pdfplumber: the text layer of a PDF as lines with font hints."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException


def _encrypted(error: BaseException | None) -> bool:
    """Whether a password error is behind `error` (pdfplumber wraps pdfminer's in its own)."""
    for _ in range(10):
        if error is None:
            return False
        if isinstance(error, PDFEncryptionError):
            return True
        nested = error.args[0] if error.args else None
        error = nested if isinstance(nested, BaseException) else error.__cause__
    return False


# Font names of headline faces: bold, 黑体 (Hei, SimHei, Heiti), heavy and black weights.
BOLD_FONT = re.compile(r"bold|hei|黑体|black|heavy|semibold|demi", re.IGNORECASE)


class PdfReadError(ValueError):
    """The file is not a readable PDF."""


@dataclass(frozen=True)
class PdfLine:
    """One line of text on a page, with its position and which characters look bold."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    size: float
    bold: tuple[bool, ...]  # one flag per character of text
    spaced: bool = False  # the line ended in a space (a word boundary at the line break)


@dataclass(frozen=True)
class PdfText:
    """All lines of a PDF and the facts needed to read its layout."""

    lines: list[PdfLine]
    pages: int
    image_pages: int  # pages with images but no text: a scan
    rotated: list[str]  # text set vertically or rotated, per page: not read into lines


def _is_bold(char: dict[str, Any], body_size: float) -> bool:
    return (
        bool(char.get("overprinted"))
        or bool(BOLD_FONT.search(str(char.get("fontname", ""))))
        or float(char.get("size", 0)) > body_size * 1.15
    )


def is_upright(char: dict[str, Any]) -> bool:
    """Set horizontally: pdfminer's own flag is fooled by rounding (cos 90° = 6e-17), and an
    oblique face only shears (c), it does not rotate (b)."""
    matrix = char.get("matrix")
    if not matrix:
        return bool(char.get("upright", True))
    a, b = float(matrix[0]), float(matrix[1])
    return a > 0 and abs(b) <= 0.05 * a


def _page_chars(page: Any) -> list[dict[str, Any]]:
    """A page's characters once each; a character printed twice at almost the same place is
    Word's fake bold, so the copy that stays is marked as bold."""
    raw = page.chars
    chars = page.dedupe_chars().chars if raw else raw
    if len(chars) == len(raw):
        return list(raw)
    seen = Counter((c["text"], round(c["x0"] / 2), round(c["top"] / 2)) for c in raw)
    return [
        {**c, "overprinted": seen[(c["text"], round(c["x0"] / 2), round(c["top"] / 2))] > 1}
        for c in chars
    ]


def _line_of(page: int, chars: list[dict[str, Any]], body_size: float) -> PdfLine:
    """Characters of one line, in reading order, with a space where there is a visible gap."""
    chars = sorted(chars, key=lambda char: float(char["x0"]))
    text: list[str] = []
    bold: list[bool] = []
    previous_x1: float | None = None
    for char in chars:
        size = float(char.get("size", body_size)) or body_size
        gap = float(char["x0"]) - previous_x1 if previous_x1 is not None else 0.0
        if previous_x1 is not None and gap > size * 0.3 and text and text[-1] != " ":
            text.append(" ")
            bold.append(bold[-1])
        if str(char["text"]).isspace():
            if text and text[-1] != " ":
                text.append(" ")
                bold.append(bold[-1])
        else:
            text.append(str(char["text"]))
            bold.append(_is_bold(char, body_size))
        previous_x1 = float(char["x1"])
    spaced = bool(text) and text[-1] == " "
    while text and text[-1] == " ":
        text.pop()
        bold.pop()
    return PdfLine(
        page=page,
        text="".join(text),
        x0=min(float(char["x0"]) for char in chars if not str(char["text"]).isspace()),
        x1=float(chars[-1]["x1"]),
        top=min(float(char["top"]) for char in chars),
        size=median(float(char.get("size", body_size)) for char in chars),
        bold=tuple(bold),
        spaced=spaced,
    )


def _page_lines(page_number: int, chars: list[dict[str, Any]], body_size: float) -> list[PdfLine]:
    """Group a page's characters into lines: same line while the baseline stays within half a
    character (a bold face and a regular one sit a little apart)."""
    upright = [char for char in chars if is_upright(char) and str(char["text"])]
    if not any(not str(char["text"]).isspace() for char in upright):
        return []
    upright.sort(key=lambda char: (float(char["bottom"]), float(char["x0"])))
    lines: list[list[dict[str, Any]]] = []
    for char in upright:
        bottom, size = float(char["bottom"]), float(char.get("size", body_size)) or body_size
        if lines and abs(float(lines[-1][-1]["bottom"]) - bottom) <= size * 0.5:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [
        _line_of(page_number, line, body_size)
        for line in lines
        if any(not str(char["text"]).isspace() for char in line)
    ]


def read_pdf(source: str | Path | bytes, *, max_pages: int | None = None) -> PdfText:
    """Lines of the text layer of every page, top to bottom; more than `max_pages` pages is
    refused before any page is read."""
    stream: Any = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:
        with pdfplumber.open(stream) as pdf:
            if max_pages is not None and len(pdf.pages) > max_pages:
                raise PdfReadError(f"PDF 页数超过 {max_pages}，疑似异常文件")
            pages = [(_page_chars(page), bool(page.images)) for page in pdf.pages]
    except PdfReadError:
        raise
    except (PDFEncryptionError, PdfminerException) as error:
        if _encrypted(error):
            raise PdfReadError("PDF 文件已加密，请先解除密码保护后再导入") from error
        raise PdfReadError(f"无法读取 PDF 文件（文件可能已损坏）：{error}") from error
    except RecursionError as error:
        raise PdfReadError("PDF 文件结构嵌套过深，疑似异常文件") from error
    except MemoryError:
        raise
    except Exception as error:  # pdfminer raises many unrelated types on a damaged file
        raise PdfReadError(f"无法读取 PDF 文件（文件可能已损坏）：{error}") from error
    sizes = [float(char.get("size", 0)) for chars, _ in pages for char in chars]
    body_size = median(sizes) if sizes else 12.0
    lines: list[PdfLine] = []
    for number, (chars, _) in enumerate(pages, start=1):
        lines.extend(_page_lines(number, chars, body_size))
    image_pages = sum(1 for chars, has_images in pages if has_images and not chars)
    rotated = [
        "".join(str(char["text"]) for char in chars if not is_upright(char)) for chars, _ in pages
    ]
    return PdfText(lines, len(pages), image_pages, [text for text in rotated if text.strip()])
