"""Decode archive text files whatever their encoding, judged from the bytes, not the file name."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

# Scoring looks at a prefix only: enough to tell encodings apart, cheap on large files.
_SAMPLE_BYTES = 4 * 1024
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


def _common_hanzi() -> frozenset[str]:
    """GB2312 level 1: the 3,755 most frequent hanzi, a cheap frequency proxy."""
    pairs = (bytes([lead, trail]) for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF))
    return frozenset(pair.decode("gb2312", errors="ignore") for pair in pairs) - {""}


_COMMON_HANZI = _common_hanzi()


# Character classes that tell a right decoding from a wrong one, counted with C-speed regexes.
_HANZI = re.compile(r"[\u4e00-\u9fff]")
_COMMON = re.compile("[" + "".join(sorted(_COMMON_HANZI)) + "]")
_PLAIN = re.compile(r"[\x20-\x7e\n\r\t]")
_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff00-\uffef\u2000-\u206f]")
# Controls, surrogates, private use and Hangul: what decoding with the wrong encoding produces.
_WRONG = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\uf8ff\uac00-\ud7af]")


def _text_score(text: str) -> float:
    """Average plausibility of a decoded sample: frequent hanzi high, garbage negative."""
    hanzi = len(_HANZI.findall(text))
    common = len(_COMMON.findall(text))
    total = (
        common
        + 0.2 * (hanzi - common)
        + 0.5 * len(_PLAIN.findall(text))
        + 0.8 * len(_PUNCTUATION.findall(text))
        - 2.0 * len(_WRONG.findall(text))
        - 5.0 * text.count("\ufffd")
    )
    return total / len(text)


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
    return _text_score(text)


def _strict(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _guess_encoding(data: bytes) -> str:
    """Cheap signals first (NUL bytes mean UTF-16; strict decodes), scoring only when unsure."""
    sample = data[:_SAMPLE_BYTES]
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    if nul_even + nul_odd > len(sample) // 50:
        # UTF-16 text with ASCII in it (newlines, digits): the zero byte is the high one
        encoding = "utf-16-le" if nul_odd > nul_even else "utf-16-be"
        score = _score(sample, encoding)
        if score is None or score < 0:
            raise DecodeError("文件含有大量空字节，不像文本文件（可能是损坏的或二进制文件）")
        return encoding
    if sample.isascii() or _strict(data, "utf-8"):
        return "utf-8"  # GBK or UTF-16 Chinese text is practically never valid UTF-8
    if _strict(data, "gb18030") and b"\n" in data:
        return "gb18030"
    return _best_scoring(data)


def _best_scoring(data: bytes) -> str:
    sample = data[:_SAMPLE_BYTES]
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


def garbage_share(text: str) -> float:
    """The share of characters that only a wrong decoding (or binary data) produces."""
    if not text:
        return 0.0
    return (len(_WRONG.findall(text)) + text.count("\ufffd")) / len(text)


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
