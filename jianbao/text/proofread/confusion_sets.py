"""Characters a character is likely confused with: same sound, similar shape, or seen."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from importlib import resources
from pathlib import Path

from jianbao.text.proofread import resources as res

_PINYIN_FILE = "pinyin_common.tsv"


@cache
def _readings() -> dict[str, tuple[str, ...]]:
    """Toneless readings of the common characters (precomputed from pypinyin, see below)."""
    text = resources.files("jianbao.text.proofread.data").joinpath(_PINYIN_FILE)
    table = {}
    for line in text.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, readings = line.split("\t")
            table[char] = tuple(readings.split(","))
    return table


@cache
def _by_reading() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for char, readings in _readings().items():
        for reading in readings:
            groups[reading].add(char)
    return {reading: frozenset(chars) for reading, chars in groups.items()}


@cache
def _by_shape() -> dict[str, frozenset[str]]:
    mates: dict[str, set[str]] = defaultdict(set)
    for group in res.shape_groups():
        for char in group:
            mates[char].update(c for c in group if c != char)
    return {char: frozenset(chars) for char, chars in mates.items()}


@cache
def _seen() -> dict[str, frozenset[str]]:
    mates: dict[str, set[str]] = defaultdict(set)
    for wrong, right in res.confusion_pairs():
        mates[wrong].add(right)
    return {char: frozenset(chars) for char, chars in mates.items()}


@cache
def _homophone_index(min_freq: int) -> dict[str, tuple[str, ...]]:
    """Two-character dictionary words by toneless reading ("dan wei" → 单位, 淡味 …)."""
    from jianbao.text import segment  # noqa: PLC0415 (segment imports jieba: only when needed)

    readings = _readings()
    index: dict[str, list[str]] = defaultdict(list)
    for word, freq in segment.lexicon().items():
        if len(word) != 2 or freq < min_freq:
            continue
        for first in readings.get(word[0], ()):
            for second in readings.get(word[1], ()):
                index[f"{first} {second}"].append(word)
    return {key: tuple(words) for key, words in index.items()}


def homophone_words(word: str, min_freq: int) -> set[str]:
    """Common two-character words that read like word, toneless (淡味 → 单位); never word itself."""
    index = _homophone_index(min_freq)
    readings = _readings()
    found: set[str] = set()
    for first in readings.get(word[0], ()):
        for second in readings.get(word[1], ()):
            found.update(index.get(f"{first} {second}", ()))
    found.discard(word)
    return found


def seen_corrections(char: str) -> frozenset[str]:
    """Corrections of char observed in the tuning data."""
    return _seen().get(char, frozenset())


@cache
def candidates_without_seen(char: str) -> frozenset[str]:
    """Sound- and shape-alike candidates only (for tuning without the odw.train pairs)."""
    found: set[str] = set()
    for reading in _readings().get(char, ()):
        found |= _by_reading().get(reading, frozenset())
    found &= res.level1_chars()
    found |= _by_shape().get(char, frozenset())
    found.discard(char)
    return frozenset(found & res.common_chars())


@cache
def candidates(char: str) -> frozenset[str]:
    """Common characters that char may have been typed or read for (never char itself).

    Sound-alikes are limited to level 1 of 通用规范汉字表 (3,500 characters): on odw.train this
    halves the candidates and loses no correct flag.
    """
    return candidates_without_seen(char) | (_seen().get(char, frozenset()) & res.common_chars())


def write_pinyin_table(path: Path) -> None:
    """Regenerate data/pinyin_common.tsv from pypinyin (a development step, not run time)."""
    # Imported here: run time reads the generated file and never loads pypinyin.
    from pypinyin.contrib.tone_convert import to_normal  # noqa: PLC0415
    from pypinyin.pinyin_dict import pinyin_dict  # noqa: PLC0415

    common = res.standard_char_list()[:6500]
    lines = [
        "# Toneless pinyin readings of the 6,500 level-1/2 characters of 通用规范汉字表, from",
        "# pypinyin's pinyin_dict (MIT licence); used to build sound-alike confusion sets.",
    ]
    for char in common:
        raw = pinyin_dict.get(ord(char))
        if raw:
            readings = sorted({to_normal(s) for s in raw.split(",")})
            lines.append(f"{char}\t{','.join(readings)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
