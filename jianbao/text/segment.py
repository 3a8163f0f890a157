"""Chinese word segmentation: the only module that imports jieba.

jieba's dictionary lacks most official vocabulary (营商环境, 放管服, 出店经营 …), so one tokenizer
is built per process with the official-term user dictionary loaded once. Search indexing and the
proofreader share it, so both see the same words.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path

import jieba

__all__ = [
    "cut",
    "cut_for_search",
    "cut_with_offsets",
    "lexicon",
    "official_terms",
    "tokenizer",
    "word_frequency",
]

# The official-term dictionary lives with the proofreader's data (jieba user-dict format:
# "word [freq [tag]]" per line); an office can add more through JIANBAO_SEGMENT_DICT.
_TERMS_PACKAGE = "jianbao.text.proofread.data"
_TERMS_FILE = "official_terms.dic"
_EXTRA_DICT_ENV = "JIANBAO_SEGMENT_DICT"
# Frequency given to a term listed without one: high enough to beat jieba's split of it.
_DEFAULT_TERM_FREQ = 2000

_lock = threading.Lock()


def _read_terms() -> list[tuple[str, int]]:
    """Read the packaged term dictionary plus an optional extra file (word, frequency)."""
    texts = [resources.files(_TERMS_PACKAGE).joinpath(_TERMS_FILE).read_text(encoding="utf-8")]
    extra = os.environ.get(_EXTRA_DICT_ENV)
    if extra and Path(extra).is_file():
        texts.append(Path(extra).read_text(encoding="utf-8"))
    terms = []
    for text in texts:
        for line in text.splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else _DEFAULT_TERM_FREQ
            terms.append((parts[0], freq))
    return terms


@cache
def _build() -> tuple[jieba.Tokenizer, frozenset[str]]:
    # jieba logs "Building prefix dict …" to stderr at INFO; keep the CLI quiet.
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.tmp_dir = tempfile.gettempdir()  # its cache file must go somewhere writable
    tk.initialize()
    terms = _read_terms()
    for word, freq in terms:
        tk.add_word(word, freq)
    return tk, frozenset(word for word, _ in terms)


def tokenizer() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer, initialised quietly on first use."""
    with _lock:  # two threads must not both build the dictionary
        return _build()[0]


def cut(text: str, *, hmm: bool = True) -> list[str]:
    """Segment text into words (jieba's accurate mode)."""
    return tokenizer().lcut(text, HMM=hmm)


def cut_with_offsets(text: str, *, hmm: bool = True) -> list[tuple[str, int, int]]:
    """Segment text into (word, start, end) with character offsets into text."""
    return [(w, s, e) for w, s, e in tokenizer().tokenize(text, HMM=hmm)]


def cut_for_search(text: str) -> list[str]:
    """Segment for indexing: words plus their dictionary sub-words (jieba's search mode)."""
    return tokenizer().lcut_for_search(text)


def word_frequency(word: str) -> int:
    """The dictionary frequency of word (0 if unknown or only a prefix)."""
    return int(tokenizer().FREQ.get(word) or 0)


def lexicon() -> Mapping[str, int]:
    """The whole dictionary: word → frequency (prefix-only entries have frequency 0)."""
    frequencies: Mapping[str, int] = tokenizer().FREQ
    return frequencies


def official_terms() -> frozenset[str]:
    """Words added by the official-term dictionary."""
    with _lock:
        return _build()[1]
