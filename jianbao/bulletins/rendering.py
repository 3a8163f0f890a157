"""Typesetting an issue: bulletin JSON from the database in, file bytes out (no writes)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from jianbao.bulletins.models import FileFormat, Issue
from jianbao.bulletins.selectors import issue_to_bulletin_json
from jianbao.typeset import (
    Bulletin,
    BulletinError,
    TypesetError,
    render_docx,
    render_html,
    render_ofd,
    render_pdf,
)

CONTENT_TYPES: dict[str, str] = {
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.PDF: "application/pdf",
    FileFormat.HTML: "text/html; charset=utf-8",
    # GB/T 33190 OFD; no IANA registration, this is the type Chinese document systems use.
    FileFormat.OFD: "application/ofd",
}


@dataclass(frozen=True)
class RenderedFile:
    format: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def bulletin_of(issue: Issue) -> Bulletin:
    """The typesetter's model of the issue; a Chinese ValidationError when it cannot be built."""
    try:
        return Bulletin.from_json(issue_to_bulletin_json(issue))
    except BulletinError as error:
        raise ValidationError(f"本期无法排版：{error}") from error


def render_issue(
    issue: Issue, formats: tuple[str, ...] = tuple(FileFormat.values)
) -> list[RenderedFile]:
    """Render the issue as it stands now in the given formats (PDF takes ~100 ms)."""
    bulletin = bulletin_of(issue)
    files = []
    for name in formats:
        try:
            if name == FileFormat.DOCX:
                content = render_docx(bulletin)
            elif name == FileFormat.PDF:
                content = render_pdf(bulletin)
            elif name == FileFormat.OFD:
                content = render_ofd(bulletin)
            else:
                content = render_html(bulletin).encode("utf-8")
        except TypesetError as error:
            raise ValidationError(f"排版失败：{error}") from error
        files.append(RenderedFile(name, content))
    return files


def file_name(issue: Issue, fmt: str) -> str:
    """「上街信息-2024-35.pdf」, with 「-更正1」 for a correction; safe as a path component."""
    stem = f"{issue.series.title}-{issue.year}-{issue.number}"
    if issue.edition > 1:
        stem += f"-更正{issue.edition - 1}"
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", stem)
    return f"{stem}.{fmt}"


def stored_name(issue: Issue, fmt: str) -> str:
    """Where a published file is stored under MEDIA_ROOT: always the same for an issue and
    format (`issues/2024/上街信息-2024-35.pdf`), never suffixed."""
    return f"issues/{issue.year}/{file_name(issue, fmt)}"
