"""Limits for parsing untrusted files, and the cheap checks that run before any full parse.

Pure code: callers build `ParseLimits` from their settings and pass it in. Every refusal is a
`LimitError` whose message is Chinese and names the limit that was exceeded.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from lxml import etree

MB = 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Members this small are not worth a ratio check: a few kB of styles compress very well.
_RATIO_FLOOR = MB


@dataclass(frozen=True)
class ParseLimits:
    """How much an untrusted file may make the parser do (bytes, counts, seconds)."""

    max_file_bytes: int = 20 * MB
    max_text_bytes: int = 5 * MB
    docx_max_members: int = 1000
    docx_max_uncompressed_bytes: int = 100 * MB
    docx_max_ratio: int = 100
    docx_max_xml_bytes: int = 20 * MB
    docx_max_elements: int = 200_000
    max_paragraphs: int = 20_000
    pdf_max_pages: int = 300
    timeout_seconds: float = 20.0
    memory_bytes: int = 1024 * MB  # address space the parsing child may add to its parent's


class LimitError(ValueError):
    """The file exceeds a parsing limit or is hostile (external entities, a DTD)."""


def _size(count: int) -> str:
    """A byte count as people read it: 「20 MB」, 「512 KB」."""
    if count >= MB:
        return f"{count / MB:g} MB"
    return f"{count / 1024:g} KB" if count >= 1024 else f"{count} 字节"


def check_file_size(data: bytes, limits: ParseLimits) -> None:
    """Refuse a file larger than the upload limit before anything reads it."""
    if len(data) > limits.max_file_bytes:
        raise LimitError(f"文件大小超过 {_size(limits.max_file_bytes)}，请拆分后再导入")


def check_text_size(data: bytes, limits: ParseLimits) -> None:
    """Refuse a plain-text file larger than any real bulletin."""
    if len(data) > limits.max_text_bytes:
        raise LimitError(f"文本文件超过 {_size(limits.max_text_bytes)}，疑似异常文件")


def check_paragraph_count(count: int, limits: ParseLimits) -> None:
    """Refuse a document with more paragraphs than any real bulletin."""
    if count > limits.max_paragraphs:
        raise LimitError(f"文件段落数超过 {limits.max_paragraphs}，疑似异常文件")


def check_page_count(count: int, limits: ParseLimits) -> None:
    """Refuse a PDF with more pages than any real bulletin."""
    if count > limits.pdf_max_pages:
        raise LimitError(f"PDF 页数超过 {limits.pdf_max_pages}，疑似异常文件")


def check_docx(data: bytes, limits: ParseLimits) -> None:
    """The zip directory and every XML part of a .docx, checked before python-docx sees it."""
    check_file_size(data, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise LimitError("Word 文件已损坏（无法打开的 zip/docx 文件）") from error
    _check_directory(members, limits)
    elements = paragraphs = 0
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            counts = _scan_xml(_read_member(archive, member, limits), member.filename, limits)
            elements += counts[0]
            paragraphs += counts[1]
            if elements > limits.docx_max_elements:
                raise LimitError(
                    f"Word 文件的 XML 元素数超过 {limits.docx_max_elements}，疑似异常文件"
                )
            check_paragraph_count(paragraphs, limits)


def _check_directory(members: list[zipfile.ZipInfo], limits: ParseLimits) -> None:
    """What the zip directory declares: member count, total size, compression ratio."""
    if len(members) > limits.docx_max_members:
        raise LimitError(f"Word 文件内含文件数超过 {limits.docx_max_members}，疑似异常文件")
    total = sum(member.file_size for member in members)
    if total > limits.docx_max_uncompressed_bytes:
        limit = _size(limits.docx_max_uncompressed_bytes)
        raise LimitError(f"Word 文件解压后超过 {limit}，疑似压缩炸弹")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > limits.docx_max_ratio:
            name, ratio_limit = member.filename, limits.docx_max_ratio
            raise LimitError(f"Word 文件中 {name} 的压缩比超过 {ratio_limit} 倍，疑似压缩炸弹")
        if member.filename.endswith(".xml") and member.file_size > limits.docx_max_xml_bytes:
            limit = _size(limits.docx_max_xml_bytes)
            raise LimitError(f"Word 文件中 {member.filename} 超过 {limit}，疑似异常文件")


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: ParseLimits) -> bytes:
    """A member's bytes, never more than the XML limit whatever its header claims."""
    try:
        with archive.open(member) as handle:
            data = handle.read(limits.docx_max_xml_bytes + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
        raise LimitError(f"Word 文件已损坏：无法解压 {member.filename}") from error
    except RuntimeError as error:  # zipfile: "File … is encrypted, password required"
        raise LimitError("Word 文件已加密，请先解除密码保护") from error
    if len(data) > limits.docx_max_xml_bytes:
        limit = _size(limits.docx_max_xml_bytes)
        raise LimitError(f"Word 文件中 {member.filename} 超过 {limit}，疑似异常文件")
    return data


def _scan_xml(data: bytes, name: str, limits: ParseLimits) -> tuple[int, int]:
    """Elements and paragraphs of one XML part, read by a parser that loads no DTD, resolves no
    entity and opens no network connection; a document type declaration is refused outright."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise LimitError(f"Word 文件中 {name} 含有文档类型定义（DTD/实体），疑似恶意文件，已拒绝")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        if lxml_out_of_memory(error):
            raise MemoryError(str(error)) from error
        line = f"（第 {error.lineno} 行）" if error.lineno else ""
        raise LimitError(f"Word 文件已损坏：{name} 不是格式正确的 XML{line}") from error
    if root.getroottree().docinfo.doctype:
        raise LimitError(f"Word 文件中 {name} 含有文档类型定义（DTD/实体），疑似恶意文件，已拒绝")
    # Counted by libxml2's XPath engine: a Python loop over the elements costs ten times more.
    elements = int(root.xpath("count(//*)"))
    paragraphs = int(root.xpath("count(//w:p)", namespaces={"w": W_NS}))
    check_paragraph_count(paragraphs, limits)  # the more telling message first
    if elements > limits.docx_max_elements:
        raise LimitError(f"Word 文件的 XML 元素数超过 {limits.docx_max_elements}，疑似异常文件")
    return elements, paragraphs


def lxml_out_of_memory(error: BaseException) -> bool:
    """libxml2 reports a failed allocation as a syntax error, not as MemoryError."""
    if not isinstance(error, etree.LxmlError):
        return False
    return "memory" in f"{error} {getattr(error, 'error_log', '')}".lower()
