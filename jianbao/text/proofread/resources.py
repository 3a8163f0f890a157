"""The proofreader's data files, each read once per process (they never change at run time)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

logger = logging.getLogger(__name__)

_DATA = "jianbao.text.proofread.data"
EXTRA_DIR_ENV = "JIANBAO_PROOFREAD_DIR"


@dataclass(frozen=True, slots=True)
class TermEntry:
    """A wrong form of a fixed expression and its right form."""

    wrong: str
    right: str
    kind: str
    source: str


def _read(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    """Non-empty, non-comment lines."""
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


@cache
def standard_char_list() -> tuple[str, ...]:
    """The 8,105 characters of 通用规范汉字表 in the table's order."""
    return tuple(_lines(_read("general_standard_chars.txt")))


@cache
def general_standard_chars() -> frozenset[str]:
    """The 8,105 characters of 通用规范汉字表."""
    return frozenset(standard_char_list())


@cache
def level1_chars() -> frozenset[str]:
    """Level 1 of 通用规范汉字表 (3,500 characters)."""
    return frozenset(standard_char_list()[:3500])


@cache
def common_chars() -> frozenset[str]:
    """Levels 1 and 2 of 通用规范汉字表 (6,500 characters): the only plausible corrections."""
    return frozenset(standard_char_list()[:6500])


def traditional_allowlist() -> tuple[str, ...]:
    """Words OpenCC would convert that are correct simplified text (乾县 …), packaged plus
    traditional_allowlist*.txt files in $JIANBAO_PROOFREAD_DIR."""
    return _traditional_allowlist(os.environ.get(EXTRA_DIR_ENV, ""))


@cache
def _traditional_allowlist(extra_dir: str) -> tuple[str, ...]:
    words = _lines(_read("traditional_allowlist.txt"))
    for path in _extra_files("traditional_allowlist*.txt"):
        words.extend(_lines(path.read_text(encoding="utf-8")))
    return tuple(words)


def _parse_terms(text: str, source: str) -> list[TermEntry]:
    entries = []
    for line in _lines(text):
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0] or cols[0] == cols[1]:
            logger.warning("ignoring malformed term line in %s: %r", source, line)
            continue
        kind = cols[2].strip() if len(cols) > 2 else "提法"
        entries.append(TermEntry(cols[0].strip(), cols[1].strip(), kind or "提法", source))
    return entries


def _extra_files(pattern: str) -> list[Path]:
    """Files matching pattern in the office's extension directory, if one is configured."""
    directory = os.environ.get(EXTRA_DIR_ENV)
    if not directory:
        return []
    path = Path(directory)
    if not path.is_dir():
        logger.warning("%s=%s is not a directory; ignored", EXTRA_DIR_ENV, directory)
        return []
    return sorted(path.glob(pattern))


def term_entries() -> tuple[TermEntry, ...]:
    """Packaged terms plus *.tsv files in $JIANBAO_PROOFREAD_DIR (re-read if that changes)."""
    return _term_entries(os.environ.get(EXTRA_DIR_ENV, ""))


@cache
def _term_entries(extra_dir: str) -> tuple[TermEntry, ...]:
    entries = _parse_terms(_read("terms.tsv"), "terms.tsv")
    for path in _extra_files("*.tsv"):
        entries.extend(_parse_terms(path.read_text(encoding="utf-8"), str(path)))
    return tuple(entries)


@cache
def shape_groups() -> tuple[str, ...]:
    """Groups of characters that look alike (one group per line)."""
    return tuple(line.split()[0] for line in _lines(_read("shape_confusion.txt")))


@cache
def confusion_pairs() -> tuple[tuple[str, str], ...]:
    """(wrong, right) character pairs observed in the tuning data (odw.train only)."""
    pairs = []
    for line in _lines(_read("confusion_pairs.tsv")):
        cols = line.split("\t")
        if len(cols) >= 2 and len(cols[0]) == len(cols[1]) == 1:
            pairs.append((cols[0], cols[1]))
    return tuple(pairs)


@cache
def reduplications() -> frozenset[str]:
    """Legitimate reduplicated forms (常常, 天天, 研究研究 …)."""
    return frozenset(_lines(_read("reduplications.txt")))
