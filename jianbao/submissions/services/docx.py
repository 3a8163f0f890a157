"""A Word upload read into title, body and source units, with a Chinese reason when it cannot be."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.db.models import Q

from jianbao.accounts.models import Unit
from jianbao.submissions.services import draft_text_from_docx
from jianbao.text.bulletin_sources import trailing_source

OLD_WORD_FORMATS = frozenset({".doc", ".wps"})
SAVE_AS_DOCX = "请在 WPS 或 Word 中另存为 .docx 后上传。"


@dataclass(frozen=True)
class WordDraft:
    title: str
    body: str
    source_raw: str = ""  # the trailing 「（区委宣传部）」 taken out of the body
    units: list[Unit] = field(default_factory=list)


def _check_format(name: str, head: bytes) -> None:
    suffix = PurePath(name).suffix.lower()
    if suffix in OLD_WORD_FORMATS:
        raise ValidationError(
            {"docx": f"「{name}」是 {suffix} 格式，系统只读取 .docx：{SAVE_AS_DOCX}"}
        )
    if suffix != ".docx" or not head.startswith(b"PK"):
        raise ValidationError({"docx": f"「{name}」不是有效的 Word 文件（.docx）：{SAVE_AS_DOCX}"})


def _units_named(names: list[str]) -> list[Unit]:
    found = Unit.objects.filter(
        Q(name__in=names) | Q(short_name__in=names) | Q(aliases__name__in=names), active=True
    ).distinct()
    return list(found)


def read_word_draft(upload: IO[bytes], *, name: str) -> WordDraft:
    """Title and body of a .docx; a trailing source line becomes the source units, not body.

    .doc/.wps and files that are not .docx are refused with what to do (never a zip error)."""
    head = upload.read(4)
    upload.seek(0)
    _check_format(name, head)
    draft = draft_text_from_docx(upload)
    upload.seek(0)
    paragraphs = draft.body.split("\n")
    split = trailing_source(paragraphs[-1]) if paragraphs else None
    if split is None:
        return WordDraft(title=draft.title, body=draft.body)
    last, source = split
    body = "\n".join([*paragraphs[:-1], last] if last else paragraphs[:-1])
    return WordDraft(
        title=draft.title, body=body, source_raw=source.raw, units=_units_named(source.units)
    )
