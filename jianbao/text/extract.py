"""Files to text: plain text in any encoding, DOCX and PDF, chosen by content, not by name."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jianbao.text.bulletin_lines import STRUCTURAL_START, is_page_number
from jianbao.text.bulletin_parser import parse_bulletin_paragraphs, parse_bulletin_text
from jianbao.text.bulletin_types import Para, TextPiece, WarningDict
from jianbao.text.encoding import DecodeError, decode_bytes, garbage_share
from jianbao.text.limits import (
    LimitError,
    ParseLimits,
    check_file_size,
    check_paragraph_count,
    check_text_size,
)
from jianbao.text.pdf_adapter import PdfLine, PdfReadError, read_pdf
from jianbao.typeset.docx_adapter import DocxReadError, read_docx_paragraphs

PDF_MAGIC = b"%PDF"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .doc / .wps container
# A "text" file whose decoding is more than this share of control, private-use or replacement
# characters is binary data with a text name, not a bulletin with a few bad bytes.
MAX_GARBAGE_SHARE = 0.05


class ExtractError(ValueError):
    """A file we cannot read: damaged, or in a format we do not support."""


class ScannedPdfError(ExtractError):
    """A PDF without a text layer."""

    def __init__(self) -> None:
        super().__init__("该 PDF 没有文字层（可能是扫描件），暂不支持 OCR")


@dataclass
class ExtractedText:
    """The text of a file, with paragraph hints when the format gives them."""

    format: str  # text | docx | pdf
    text: str
    paragraphs: list[Para] | None = None  # DOCX and PDF: paragraphs with headline hints
    encoding: str | None = None
    noise: list[TextPiece] = field(default_factory=list)
    warnings: list[WarningDict] = field(default_factory=list)


def _read(source: str | Path | bytes) -> bytes:
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as error:
        raise ExtractError(f"无法读取文件：{error.strerror or error}") from error


def sniff_format(data: bytes) -> str:
    """「pdf」, 「docx」 or 「text」 from the first bytes; other containers are refused."""
    if data.lstrip(b"\r\n\t ")[:4] == PDF_MAGIC:
        return "pdf"
    if data[:4] == ZIP_MAGIC:
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as error:
            raise ExtractError("文件已损坏（无法打开的 zip/docx 文件）") from error
        if "word/document.xml" not in names:
            raise ExtractError("不是 Word（.docx）文件：zip 中没有 word/document.xml")
        return "docx"
    if data[:4] == OLE_MAGIC:
        raise ExtractError("旧版 Word（.doc）或 WPS 格式暂不支持，请另存为 .docx 或 PDF")
    return "text"


def extract_file(
    source: str | Path | bytes, filename: str | None = None, *, limits: ParseLimits | None = None
) -> ExtractedText:
    """Text of a file (a path or its bytes); the content decides the format, never `filename`.
    The file is checked against `limits` (the defaults when none) before and while it is read."""
    limits = limits or ParseLimits()
    data = _read(source)
    try:
        check_file_size(data, limits)
        if not data.strip():
            raise ExtractError("文件是空的")
        kind = sniff_format(data)
        if kind == "pdf":
            return _extract_pdf(data, limits)
        if kind == "docx":
            return _extract_docx(data, limits)
        return _extract_text(data, limits)
    except LimitError as error:
        raise ExtractError(str(error)) from error


def _extract_text(data: bytes, limits: ParseLimits) -> ExtractedText:
    check_text_size(data, limits)
    try:
        decoded = decode_bytes(data)
    except DecodeError as error:
        raise ExtractError(str(error)) from error
    if garbage_share(decoded.text) > MAX_GARBAGE_SHARE:
        raise ExtractError("文件内容不像文本（大量无法识别的字符），可能是二进制文件或已损坏")
    check_paragraph_count(sum(1 for line in decoded.text.splitlines() if line.strip()), limits)
    warnings: list[WarningDict] = []
    if decoded.replaced:
        message = f"文件中有无法按 {decoded.encoding} 解码的字节，已用 � 代替，请核对"
        warnings.append({"field": "text", "message": message})
    return ExtractedText("text", decoded.text, encoding=decoded.encoding, warnings=warnings)


def _extract_docx(data: bytes, limits: ParseLimits) -> ExtractedText:
    try:
        paragraphs = read_docx_paragraphs(data, limits)
    except DocxReadError as error:
        raise ExtractError(str(error)) from error
    paras = [Para(p.text, p.bold_prefix, index + 1) for index, p in enumerate(paragraphs)]
    return ExtractedText("docx", "\n\n".join(p.text for p in paras), paragraphs=paras)


def _extract_pdf(data: bytes, limits: ParseLimits) -> ExtractedText:
    try:
        pdf = read_pdf(data, max_pages=limits.pdf_max_pages)
    except PdfReadError as error:
        raise ExtractError(str(error)) from error
    check_paragraph_count(len(pdf.lines), limits)
    if not any(line.text.strip() for line in pdf.lines):
        raise ScannedPdfError()
    noise: list[TextPiece] = []
    lines = []
    headers = _running_headers(pdf.lines)
    for index, line in enumerate(pdf.lines):
        if is_page_number(line.text):
            noise.append({"kind": "page_number", "text": line.text})
        elif index in headers:
            noise.append({"kind": "running_header", "text": line.text})
        else:
            lines.append(line)
    paras = pdf_paragraphs(lines)
    warnings: list[WarningDict] = []
    for text in pdf.rotated:
        noise.append({"kind": "rotated_text", "text": text})
    if pdf.rotated:
        message = "PDF 中有竖排或旋转的文字，未作为正文读取（见 noise），请核对"
        warnings.append({"field": "text", "message": message})
    if pdf.image_pages:
        message = f"有 {pdf.image_pages} 页没有文字层（可能是扫描页），这些页的内容未能识别"
        warnings.append({"field": "text", "message": message})
    text = "\n\n".join(para.text for para in paras)
    return ExtractedText("pdf", text, paragraphs=paras, noise=noise, warnings=warnings)


def _running_headers(lines: list[PdfLine]) -> set[int]:
    """Indexes of page-top lines that repeat a short line from the top of the first page."""
    first_page = {
        re.sub(r"\s+", "", line.text) for line in [ln for ln in lines if ln.page == 1][:4]
    }
    headers: set[int] = set()
    for index, line in enumerate(lines):
        starts_page = index > 0 and lines[index - 1].page != line.page
        compact = re.sub(r"\s+", "", line.text)
        if starts_page and len(compact) <= 30 and compact in first_page:
            headers.add(index)
    return headers


def _mode(values: list[float]) -> float:
    return Counter(round(value) for value in values).most_common(1)[0][0] if values else 0.0


def _continues(previous: PdfLine, line: PdfLine, left: float, right: float, pitch: float) -> bool:
    """Whether a line continues the paragraph of the line before it."""
    if line.x0 > left + line.size * 0.8 or STRUCTURAL_START.match(line.text):
        return False  # an indented line, a brief marker or a section heading starts a paragraph
    if previous.x1 < right - previous.size * 1.5:
        return False  # the line before stopped short: the paragraph ended there
    same_page = previous.page == line.page
    return not (same_page and pitch and line.top - previous.top > pitch * 1.6)


def pdf_paragraphs(lines: list[PdfLine]) -> list[Para]:
    """Lines to paragraphs: a paragraph ends at a short line or a wider gap; an indented line
    starts one."""
    left = _mode([line.x0 for line in lines])
    right = _mode([line.x1 for line in lines])
    steps = [b.top - a.top for a, b in itertools.pairwise(lines) if a.page == b.page]
    pitch = _mode([step for step in steps if step > 0])
    paras: list[Para] = []
    open_para: list[PdfLine] = []
    for line in lines:
        if open_para and _continues(open_para[-1], line, left, right, pitch):
            open_para.append(line)
            continue
        if open_para:
            paras.append(_para_of(open_para))
        open_para = [line]
    if open_para:
        paras.append(_para_of(open_para))
    return paras


def _para_of(lines: list[PdfLine]) -> Para:
    """Join a paragraph's lines; its headline hint is the bold run it starts with."""
    pieces: list[str] = []
    flags: list[bool] = []
    for line in lines:
        pieces.append(line.text)
        flags.extend(line.bold)
        if line.spaced:  # a space at the line break separates words (「县委宣传部 供稿」)
            pieces.append(" ")
            flags.append(bool(line.bold) and line.bold[-1])
    text = "".join(pieces).rstrip()
    run = 0
    while run < len(flags) and flags[run]:
        run += 1
    return Para(text=text, bold=text[:run].strip(), line=lines[0].page)


def parse_file(
    source: str | Path | bytes, filename: str | None = None, *, limits: ParseLimits | None = None
) -> dict[str, Any]:
    """Extract a file and parse it into the bulletin JSON with warnings and bookkeeping."""
    return parse_extracted(extract_file(source, filename, limits=limits), filename)


def extract_and_parse(
    data: bytes, filename: str | None, limits: ParseLimits
) -> tuple[str, dict[str, Any]]:
    """The extracted text (shown to an editor) and its parse, in one call (for a child process)."""
    extracted = extract_file(data, filename, limits=limits)
    return extracted.text, parse_extracted(extracted, filename)


def parse_extracted(extracted: ExtractedText, filename: str | None = None) -> dict[str, Any]:
    """Parse text already extracted (callers that also show the extracted text extract once)."""
    if extracted.paragraphs is not None:
        result = parse_bulletin_paragraphs(extracted.paragraphs, rejoin=extracted.format == "pdf")
    else:
        result = parse_bulletin_text(extracted.text)
    result["noise"] = extracted.noise + result["noise"]
    result["warnings"] = extracted.warnings + result["warnings"]
    result["input"] = {"format": extracted.format, "encoding": extracted.encoding}
    if filename:
        result["input"]["filename"] = filename
    return result
