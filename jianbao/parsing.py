"""Untrusted files parsed under the configured limits, each in a forked child process.

The one place that reads the JIANBAO_PARSE_* settings and hands them to the pure parsers
(`jianbao.text.limits`, `jianbao.text.isolation`): the archive import and the submission
form's .docx upload both come through here, so both obey the same limits.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from django.conf import settings

from jianbao.text.isolation import IsolatedError, Isolation, run_isolated
from jianbao.text.limits import ParseLimits, check_file_size

if TYPE_CHECKING:
    from jianbao.typeset.docx_adapter import DocxParagraph


class UntrustedFileError(ValueError):
    """A file refused or not readable; the message is Chinese and names the limit or damage."""


def parse_limits() -> ParseLimits:
    """The limits from the settings."""
    return ParseLimits(
        max_file_bytes=settings.JIANBAO_PARSE_MAX_FILE_BYTES,
        max_text_bytes=settings.JIANBAO_PARSE_MAX_TEXT_BYTES,
        docx_max_members=settings.JIANBAO_PARSE_DOCX_MAX_MEMBERS,
        docx_max_uncompressed_bytes=settings.JIANBAO_PARSE_DOCX_MAX_UNCOMPRESSED_BYTES,
        docx_max_ratio=settings.JIANBAO_PARSE_DOCX_MAX_RATIO,
        docx_max_xml_bytes=settings.JIANBAO_PARSE_DOCX_MAX_XML_BYTES,
        docx_max_elements=settings.JIANBAO_PARSE_DOCX_MAX_ELEMENTS,
        max_paragraphs=settings.JIANBAO_PARSE_MAX_PARAGRAPHS,
        pdf_max_pages=settings.JIANBAO_PARSE_PDF_MAX_PAGES,
        timeout_seconds=settings.JIANBAO_PARSE_TIMEOUT_SECONDS,
        memory_bytes=settings.JIANBAO_PARSE_MEMORY_MB * 1024 * 1024,
    )


def _isolation(limits: ParseLimits) -> Isolation:
    return Isolation(timeout_seconds=limits.timeout_seconds, memory_bytes=limits.memory_bytes)


def parse_archive_file(data: bytes, name: str) -> tuple[str, dict[str, Any]]:
    """A past issue's extracted text and its bulletin JSON, parsed in a child under the limits."""
    # Imported here: pdfplumber and python-docx load slowly; the child inherits them once loaded.
    from jianbao.text.extract import extract_and_parse  # noqa: PLC0415

    limits = parse_limits()
    try:
        check_file_size(data, limits)  # refused before a child is even started
        return run_isolated(extract_and_parse, data, name, limits, limits=_isolation(limits))
    except (IsolatedError, ValueError) as error:
        raise UntrustedFileError(" ".join(str(error).split())) from error


def read_docx_isolated(source: bytes | IO[bytes]) -> list[DocxParagraph]:
    """The paragraphs of an uploaded .docx, read in a child under the limits (an upload is read
    no further than the size limit)."""
    from jianbao.typeset.docx_adapter import read_docx_paragraphs  # noqa: PLC0415

    limits = parse_limits()
    data = source if isinstance(source, bytes) else source.read(limits.max_file_bytes + 1)
    try:
        check_file_size(data, limits)
        if not data.startswith(b"PK\x03\x04"):
            raise UntrustedFileError("不是有效的 Word（.docx）文件，请上传 .docx 格式")
        return run_isolated(read_docx_paragraphs, data, limits, limits=_isolation(limits))
    except (IsolatedError, ValueError) as error:
        raise UntrustedFileError(" ".join(str(error).split())) from error
