"""Decode archive text files whatever their encoding, judged from the bytes, not the file name."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

# Scoring looks at a prefix only: enough to tell encodings apart, cheap on large files.
_SAMPLE_BYTES = 64 * 1024
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Tried in this order; on equal scores the earlier one wins (UTF-8 is the modern default).
_CANDIDATES = ("utf-8", "gb18030", "utf-16-le", "utf-16-be", "big5")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can recognise."""


@dataclass(frozen=True)
class DecodedText:
    """Decoded text, the encoding used and whether undecodable bytes were replaced."""

    text: str
    encoding: str
    replaced: bool = False


def _is_common_hanzi(char: str) -> bool:
    """A character of GB2312 level 1, the 3,755 most frequent hanzi: a cheap frequency proxy."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= encoded[0] <= 0xD7


def _char_score(char: str) -> float:
    code = ord(char)
    if char == "\ufffd":
        return -5.0
    if 0x4E00 <= code <= 0x9FFF:
        return 1.0 if _is_common_hanzi(char) else 0.2
    if char in "\n\r\t " or 0x20 <= code < 0x7F:
        return 0.5
    if 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x2000 <= code <= 0x206F:
        return 0.8
    if code < 0x20 or 0xD800 <= code <= 0xF8FF or 0xAC00 <= code <= 0xD7AF:
        return -2.0  # controls, surrogates, private use, Hangul: decoding the wrong encoding
    return 0.0


def _score(sample: bytes, encoding: str) -> float | None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    try:
        text = decoder.decode(sample, final=False)
    except (UnicodeDecodeError, LookupError):
        return None
    if not text:
        return None
    bad = text.count("\ufffd")
    if encoding == "utf-8" and bad:
        return None  # invalid UTF-8 is never UTF-8
    return sum(_char_score(char) for char in text) / len(text)


def _guess_encoding(data: bytes) -> str:
    sample = data[:_SAMPLE_BYTES]
    if sample.isascii():
        return "utf-8"
    best, best_score = "", float("-inf")
    for encoding in _CANDIDATES:
        score = _score(sample, encoding)
        if score is not None and score > best_score + 1e-9:
            best, best_score = encoding, score
    if best_score < 0.3:
        fallback = _charset_normalizer_guess(data)
        if fallback:
            return fallback
    if not best or best_score < 0:
        raise DecodeError("无法识别文件的文字编码（可能不是文本文件）")
    return best


def _charset_normalizer_guess(data: bytes) -> str | None:
    """Last resort for unusual encodings (the library is slower and less sure on short text)."""
    match = charset_normalizer.from_bytes(data[:_SAMPLE_BYTES]).best()
    return match.encoding if match is not None else None


def decode_bytes(data: bytes) -> DecodedText:
    """Decode bytes: BOM first, then the best-scoring of UTF-8, GB18030, UTF-16 LE/BE, Big5."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoded = _decode(data[len(bom) :], encoding.removesuffix("-sig"))
            return DecodedText(decoded.text, encoding, decoded.replaced)
    if not data:
        return DecodedText(text="", encoding="utf-8")
    return _decode(data, _guess_encoding(data))


def _decode(data: bytes, encoding: str) -> DecodedText:
    try:
        return DecodedText(text=data.decode(encoding), encoding=encoding)
    except UnicodeDecodeError:
        return DecodedText(
            text=data.decode(encoding, errors="replace"), encoding=encoding, replaced=True
        )
    except LookupError as error:
        raise DecodeError(f"不支持的文字编码：{encoding}") from error
