"""Normalisation of archive text: widths, whitespace and PDF artefacts, without losing text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Characters that are neither visible nor whitespace (zero-width, BOM, soft hyphen, controls):
# they are removed and reported, never silently dropped.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
# Line separators other than "\n" that editors' tools and PDF extractors emit.
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
# Spaces of every width except the ideographic one, which marks a first-line indent.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f]+")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Half-width punctuation touching a Chinese character is a typing slip for the full-width form.
_HALF_PUNCT_AFTER_CJK = re.compile(rf"(?<=[{_CJK}”）])([,;:?!])")
_HALF_PUNCT_BEFORE_CJK = re.compile(rf"([,;:?!])(?=[{_CJK}“（])")
# Half-width parentheses around text holding a Chinese character become full-width (sources).
_HALF_PARENS = re.compile(rf"\(([^()\n]*[{_CJK}][^()\n]*)\)")
_FULLWIDTH_OF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


@dataclass
class NormalizedText:
    """Normalised text plus whatever invisible characters were removed from it."""

    text: str
    removed: list[str] = field(default_factory=list)


def _fold_char(char: str) -> str:
    """Fold one character: full-width digits/letters to ASCII, Kangxi radicals to ideographs."""
    code = ord(char)
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return chr(code - 0xFEE0)
    # Kangxi radicals and compatibility ideographs come from PDF font subsets, not from authors.
    if 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or 0xFB00 <= code <= 0xFB06:
        return unicodedata.normalize("NFKC", char)
    if char in "％＋．／＝":
        return unicodedata.normalize("NFKC", char)
    return char


def _is_invisible(char: str) -> bool:
    if char in _INVISIBLE:
        return True
    if char in "\n\t\r\x0b\x0c\x85":
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs")


def fold_width(text: str) -> str:
    """Full-width ASCII letters and digits to half-width; CJK punctuation stays full-width."""
    if text.isascii():
        return text
    return "".join(_fold_char(char) for char in text)


def full_width_punctuation(text: str) -> str:
    """Half-width punctuation and parentheses in Chinese context to their full-width forms."""
    text = _HALF_PARENS.sub(r"（\1）", text)
    text = _HALF_PUNCT_AFTER_CJK.sub(lambda m: _FULLWIDTH_OF[m.group(1)], text)
    return _HALF_PUNCT_BEFORE_CJK.sub(lambda m: _FULLWIDTH_OF[m.group(1)], text)


def normalize_text(text: str) -> NormalizedText:
    """Unify line breaks and spaces, fold widths and remove invisible characters (reported)."""
    text = _LINE_BREAKS.sub("\n", text)
    removed: list[str] = []
    if not text.isascii():
        kept: list[str] = []
        for char in text:
            if _is_invisible(char):
                removed.append(char)
            else:
                kept.append(_fold_char(char))
        text = "".join(kept)
    else:
        removed = [char for char in text if _is_invisible(char)]
        if removed:
            text = "".join(char for char in text if not _is_invisible(char))
    text = _SPACES.sub(" ", text)
    text = full_width_punctuation(text)
    return NormalizedText(text=text, removed=removed)


def display_width(text: str) -> float:
    """Width in Chinese character cells: ASCII counts half a cell."""
    return sum(0.5 if char.isascii() else 1.0 for char in text)
