"""Normalisation of archive text: widths, whitespace and PDF artefacts, without losing text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Line separators other than "\n" that editors' tools and PDF extractors emit.
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
# Spaces of every width except the ideographic one, which marks a first-line indent.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f]+")

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Half-width punctuation touching a Chinese character is a typing slip for the full-width form.
_HALF_PUNCT_AFTER_CJK = re.compile(rf"(?<=[{_CJK}”）])([,;:?!])")
_HALF_PUNCT_BEFORE_CJK = re.compile(rf"([,;:?!])(?=[{_CJK}“（])")
# Half-width parentheses around text holding a Chinese character become full-width (sources).
_HALF_PARENS = re.compile(r"\(([^()\n]{1,80})\)")  # bounded: no quadratic backtracking
_HAS_CJK = re.compile(f"[{_CJK}]")
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


def _fold_table() -> dict[int, str]:
    codes = [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
    codes += [*range(0x2F00, 0x2FE0), *range(0xF900, 0xFB07)]
    codes += [ord(char) for char in "％＋．／＝"]
    return {code: _fold_char(chr(code)) for code in codes if _fold_char(chr(code)) != chr(code)}


def _invisible_class() -> re.Pattern[str]:
    """Controls, format characters, private use and surrogates of the BMP, plus astral tags and
    private use: neither visible nor whitespace, so removed and reported."""
    codes = [
        code
        for code in range(0x10000)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Co", "Cs")
        and chr(code) not in "\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"
    ]
    ranges: list[str] = []
    start = previous = codes[0]
    for code in [*codes[1:], -1]:
        if code != previous + 1:
            ranges.append(f"\\u{start:04x}" + (f"-\\u{previous:04x}" if previous > start else ""))
            start = code
        previous = code
    return re.compile(f"[{''.join(ranges)}\\U000e0000-\\U000e007f\\U000f0000-\\U0010ffff]")


# Built once at import (8 ms) so that normalising is str.translate and one regex, no char loop.
_FOLD = _fold_table()
_INVISIBLE_CHARS = _invisible_class()


def fold_width(text: str) -> str:
    """Full-width ASCII letters and digits to half-width; CJK punctuation stays full-width."""
    return text if text.isascii() else text.translate(_FOLD)


def _full_width_parens(match: re.Match[str]) -> str:
    inner = match.group(1)
    return f"（{inner}）" if _HAS_CJK.search(inner) else match.group(0)


def full_width_punctuation(text: str) -> str:
    """Half-width punctuation and parentheses in Chinese context to their full-width forms."""
    text = _HALF_PARENS.sub(_full_width_parens, text)
    text = _HALF_PUNCT_AFTER_CJK.sub(lambda m: _FULLWIDTH_OF[m.group(1)], text)
    return _HALF_PUNCT_BEFORE_CJK.sub(lambda m: _FULLWIDTH_OF[m.group(1)], text)


def normalize_text(text: str) -> NormalizedText:
    """Unify line breaks and spaces, fold widths and remove invisible characters (reported)."""
    text = _LINE_BREAKS.sub("\n", text)
    removed = _INVISIBLE_CHARS.findall(text)
    if removed:
        text = _INVISIBLE_CHARS.sub("", text)
    text = _SPACES.sub(" ", fold_width(text))
    if not text.isascii():
        text = full_width_punctuation(text)
    return NormalizedText(text=text, removed=removed)


def display_width(text: str) -> float:
    """Width in Chinese character cells: ASCII counts half a cell."""
    return len(text) - len(text.encode("ascii", "ignore")) / 2
