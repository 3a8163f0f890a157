"""Rule `confusion`: a wrong character that breaks a word, confirmed by the language model.

A wrong character usually leaves a single-character token after segmentation. For such a token we
try the characters it is often confused with (same sound, similar shape, seen in odw.train); a
candidate is kept only if it forms a dictionary word with its neighbours and the word trigram model
scores the corrected clause clearly higher (threshold tuned on odw.train only).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from jianbao.text import lm, segment
from jianbao.text.proofread.chars import CLAUSE_END, is_han
from jianbao.text.proofread.confusion_sets import candidates
from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import Finding

logger = logging.getLogger(__name__)

RULE = "confusion"


@dataclass
class Settings:
    """Tunable thresholds (tuned on odw.train; see bench/proofread_eval.py)."""

    min_gain: float = 3.0  # log10 LM gain of the corrected clause over the original
    min_word_freq: int = 3  # jieba frequency a corrected word needs to count as a word
    context_chars: int = 8  # characters of context either side scored by the LM
    max_word_len: int = 4


SETTINGS = Settings()
_warned = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed replacement character and the word it forms."""

    char: str
    word: str
    gain: float


def check(ctx: Context) -> Iterator[Finding]:
    """Findings for single-character tokens that look like a mistyped character."""
    model = lm.default_model()
    if model is None:
        _warn_missing_model()
        return
    text = ctx.text
    for token, start, end in ctx.tokens:
        if end - start != 1 or not is_han(token):
            continue
        best = _best_candidate(text, start, model)
        if best is not None:
            yield Finding(
                start=start,
                end=end,
                text=token,
                suggestion=best.char,
                rule=RULE,
                severity="warning",
                explanation=f"疑为别字：「{token}」可能应为「{best.char}」（构成「{best.word}」）。",
            )


def _warn_missing_model() -> None:
    global _warned
    if not _warned:
        logger.warning("confusion rule skipped: no language model is available")
        _warned = True


def _han_run(text: str, pos: int, reach: int) -> tuple[int, int]:
    """Bounds of the Han characters around pos, at most reach characters either side."""
    left = pos
    while left > max(0, pos - reach) and is_han(text[left - 1]):
        left -= 1
    right = pos + 1
    while right < min(len(text), pos + reach + 1) and is_han(text[right]):
        right += 1
    return left, right


def _words_with(text: str, pos: int, char: str, lexicon: Mapping[str, int]) -> str | None:
    """The most frequent dictionary word formed by putting char at pos, if any."""
    left, right = _han_run(text, pos, SETTINGS.max_word_len - 1)
    best, best_freq = None, SETTINGS.min_word_freq - 1
    for length in range(2, SETTINGS.max_word_len + 1):
        for start in range(max(left, pos - length + 1), pos + 1):
            end = start + length
            if end > right:
                break
            word = text[start:pos] + char + text[pos + 1 : end]
            freq = lexicon.get(word) or 0
            if freq > best_freq:
                best, best_freq = word, freq
    return best


def _best_candidate(text: str, pos: int, model: lm.LanguageModel) -> Candidate | None:
    lexicon = segment.lexicon()
    options = [(c, w) for c in candidates(text[pos]) if (w := _words_with(text, pos, c, lexicon))]
    if not options:
        return None
    left, right = _context(text, pos)
    before, after = text[left:pos], text[pos + 1 : right]
    base = _clause_score(model, text[left:right])
    best: Candidate | None = None
    for char, word in options:
        gain = _clause_score(model, before + char + after) - base
        if gain >= SETTINGS.min_gain and (best is None or gain > best.gain):
            best = Candidate(char, word, gain)
    return best


def _context(text: str, pos: int) -> tuple[int, int]:
    """The scored window: up to context_chars either side, not crossing clause punctuation."""
    left = pos
    while left > max(0, pos - SETTINGS.context_chars) and text[left - 1] not in CLAUSE_END:
        left -= 1
    right = pos + 1
    limit = min(len(text), pos + 1 + SETTINGS.context_chars)
    while right < limit and text[right] not in CLAUSE_END:
        right += 1
    return left, right


def _clause_score(model: lm.LanguageModel, clause: str) -> float:
    """log10 probability of a clause, segmented by jieba, unknown words spelled out."""
    tokens: list[str] = []
    for word in segment.cut(clause, hmm=False):
        if word in model:
            tokens.append(word)
        elif not word.isspace():
            tokens.extend(ch for ch in word if not ch.isspace())
    return model.score(tokens)
