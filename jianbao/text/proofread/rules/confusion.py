"""Rule `confusion`: a wrong character that breaks a word, confirmed by the language model.

A wrong character usually leaves a single-character token after segmentation. For such a token we
try the characters it is often confused with (same sound, similar shape, seen in odw.train); a
candidate is kept only if it forms a dictionary word with its neighbours and the word trigram model
scores the corrected clause clearly higher (threshold tuned on odw.train only). Two more paths use
the same test: one character of a rare two-character word (建康 → 健康), and a whole two-character
word heard wrong (淡味 → 单位).
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from jianbao.text import lm, segment
from jianbao.text.proofread.chars import CLAUSE_END, is_han
from jianbao.text.proofread.confusion_sets import candidates, homophone_words, seen_corrections
from jianbao.text.proofread.context import Context
from jianbao.text.proofread.findings import Finding

logger = logging.getLogger(__name__)

RULE = "confusion"


@dataclass
class Settings:
    """Tunable thresholds (tuned on odw.train; see bench/proofread_eval.py)."""

    min_gain: float = 5.25  # score (LM gain after penalties) a correction needs
    token_penalty: float = 0.0  # subtracted per token the correction saves
    freq_penalty: float = 0.0  # per decade of the original character's frequency as a word …
    freq_reference: float = 10000.0  # … above this jieba frequency (the fit preferred none)
    seen_bonus: float = 0.5  # added when the substitution was seen in odw.train
    max_original_support: int = 100  # skip if the original already forms a word this frequent
    isolated_max_freq: int = 20000  # a lone character between words is tried only below this
    word_max_freq: int = 1000  # two-character words rarer than this are checked too (建康 → 健康)
    word_freq_ratio: float = 10.0  # … when the corrected word is this many times more common
    word_min_gain: float = 5.0  # … and scores at least this
    word_seen_bonus: float = 1.0  # … plus this when the substitution was seen in odw.train
    homophone_min_freq: int = 100  # whole-word sound-alikes are taken from words this common …
    homophone_min_gain: float = 7.0  # … and need this LM gain
    max_lm_options: int = 5  # per position, only the options forming the most frequent words
    min_word_freq: int = 3  # jieba frequency a corrected word needs to count as a word
    context_chars: int = 8  # characters of context either side scored by the LM
    max_word_len: int = 4


SETTINGS = Settings()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed replacement character, the word it forms and the evidence for it."""

    char: str
    word: str
    gain: float  # log10 LM gain of the corrected window
    fewer_tokens: int  # how many tokens the correction saves (a word LM favours fewer tokens)
    seen: bool  # this substitution occurs in the tuning data
    offset: int = 0  # for a word correction: which of its characters changes
    score: float = 0.0  # gain after penalties: what the threshold applies to


def check(ctx: Context) -> Iterator[Finding]:
    """Findings for characters and words that look mistyped or misheard."""
    for finding, _gain in scored(ctx, SETTINGS.min_gain):
        yield finding


def scored(ctx: Context, min_gain: float) -> Iterator[tuple[Finding, float]]:
    """Findings with their LM gain, for every candidate at or above min_gain (used for tuning)."""
    model = lm.default_model()
    if model is None:
        _warn_missing_model()
        return
    taken: set[int] = set()
    for finding, score in _lone_characters(ctx, model, min_gain):
        taken.add(finding.start)
        yield finding, score
    shift = SETTINGS.word_min_gain - SETTINGS.min_gain
    for finding, score in _rare_words(ctx, model, min_gain + shift):
        taken.add(finding.start)
        yield finding, score
    shift = SETTINGS.homophone_min_gain - SETTINGS.min_gain
    for finding, score in _homophones(ctx, model, min_gain + shift):
        if not taken.intersection(range(finding.start, finding.end)):
            yield finding, score


def _homophone_spans(ctx: Context) -> Iterator[tuple[int, int]]:
    """Rare two-character words and pairs of lone characters (正|手): maybe a misheard word."""
    tokens, lexicon = ctx.tokens, segment.lexicon()
    lone = [e - s == 1 and is_han(t) for t, s, e in tokens]
    for i, (token, start, end) in enumerate(tokens):
        if end - start == 2 and is_han(token[0]) and is_han(token[1]):
            if (lexicon.get(token) or 0) < SETTINGS.word_max_freq:
                yield start, end
        elif lone[i] and i + 1 < len(tokens) and lone[i + 1]:
            yield start, start + 2


def _homophones(
    ctx: Context, model: lm.LanguageModel, min_score: float
) -> Iterator[tuple[Finding, float]]:
    """A whole two-character word replaced by a sound-alike (淡味 → 单位)."""
    for start, end in _homophone_spans(ctx):
        options = homophone_options(ctx, start, end, model)
        best = max(options, key=lambda o: o.gain, default=None)
        if best is not None and best.gain >= min_score:
            span = ctx.text[start:end]
            why = f"疑为音近别字：「{span}」可能应为「{best.word}」。"
            yield Finding(start, end, span, best.word, RULE, "warning", why), best.gain


def _rare_words(
    ctx: Context, model: lm.LanguageModel, min_score: float
) -> Iterator[tuple[Finding, float]]:
    """One wrong character inside a rare two-character word (建康 → 健康)."""
    lexicon = segment.lexicon()
    for index, (token, start, end) in enumerate(ctx.tokens):
        if end - start != 2 or not (is_han(token[0]) and is_han(token[1])):
            continue
        if (lexicon.get(token) or 0) >= SETTINGS.word_max_freq:
            continue
        best: Candidate | None = None
        for option in word_options(ctx, index, model):
            score = option.gain + (SETTINGS.word_seen_bonus if option.seen else 0.0)
            if score >= min_score and (best is None or score > best.score):
                best = dataclasses.replace(option, score=score)
        if best is not None:
            pos = start + best.offset
            why = f"疑为别字：「{token}」可能应为「{best.word}」。"
            yield Finding(pos, pos + 1, ctx.text[pos], best.char, RULE, "warning", why), best.score


def _lone_characters(
    ctx: Context, model: lm.LanguageModel, min_gain: float
) -> Iterator[tuple[Finding, float]]:
    """A one-character token that a confusable character would turn into a word."""
    for index in _suspicious(ctx):
        token, start, end = ctx.tokens[index]
        best = _best_candidate(ctx, start, model, min_gain)
        if best is not None:
            why = f"疑为别字：「{token}」可能应为「{best.char}」（构成「{best.word}」）。"
            finding = Finding(start, end, token, best.char, RULE, "warning", why)
            yield finding, best.score


def _suspicious(ctx: Context) -> Iterator[int]:
    """Indexes of one-character tokens worth trying corrections on.

    A wrong character usually leaves a run of lone characters (办事|效|律); a lone character between
    two words is examined only if it is rare as a word on its own (和, 的, 是 almost never are typos
    there). On odw.train this keeps 94 % of the right flags and skips 3/4 of the positions.
    """
    tokens = ctx.tokens
    lone = [e - s == 1 and is_han(t) for t, s, e in tokens]
    for i, token in enumerate(tokens):
        if not lone[i]:
            continue
        beside_lone = (i > 0 and lone[i - 1]) or (i + 1 < len(tokens) and lone[i + 1])
        if beside_lone or segment.word_frequency(token[0]) < SETTINGS.isolated_max_freq:
            yield i


@cache
def _warn_missing_model() -> None:
    """Log the missing model once per process, not once per text."""
    logger.warning("confusion rule skipped: no language model is available")


def _han_run(text: str, pos: int, reach: int) -> tuple[int, int]:
    """Bounds of the Han characters around pos, at most reach characters either side."""
    left = pos
    while left > max(0, pos - reach) and is_han(text[left - 1]):
        left -= 1
    right = pos + 1
    while right < min(len(text), pos + reach + 1) and is_han(text[right]):
        right += 1
    return left, right


Frames = list[tuple[str, list[str]]]


def _frames(text: str, pos: int, lexicon: Mapping[str, int]) -> Frames:
    """(before, afters) around pos that could make a 2–4 character word with a new character.

    jieba's dictionary holds every prefix of its words, so a `before` that is no prefix is dropped;
    afters are listed shortest first so a failed prefix ends the search early.
    """
    left, right = _han_run(text, pos, SETTINGS.max_word_len - 1)
    frames = []
    for start in range(max(left, pos - SETTINGS.max_word_len + 1), pos + 1):
        before = text[start:pos]
        if before and before not in lexicon:
            continue
        stop = min(right, start + SETTINGS.max_word_len)
        afters = [text[pos + 1 : end] for end in range(pos + 1, stop + 1) if end - start >= 2]
        if afters:
            frames.append((before, afters))
    return frames


def _word_with(char: str, frames: Frames, lexicon: Mapping[str, int]) -> tuple[str, int] | None:
    """The most frequent dictionary word formed by char in one of the frames, and its length before
    char (so its start is pos minus that)."""
    best, best_freq = None, SETTINGS.min_word_freq - 1
    for before, afters in frames:
        head = before + char
        if before and head not in lexicon:
            continue
        for after in afters:
            freq = lexicon.get(head + after)
            if freq is None:
                break  # not even a prefix: no longer word either
            if freq > best_freq:
                best, best_freq = (head + after, len(before)), freq
    return best


def original_support(text: str, pos: int) -> int:
    """The highest frequency of a dictionary word that the original character forms with its
    neighbours (专项债|券 still reads 债券): a plausible original needs stronger evidence."""
    lexicon = segment.lexicon()
    char = text[pos]
    frames = _frames(text, pos, lexicon)
    found = _word_with(char, frames, lexicon)
    return lexicon.get(found[0], 0) if found else 0


def options_at(ctx: Context, pos: int, model: lm.LanguageModel) -> list[Candidate]:
    """Every candidate correction at pos that forms a word, with its features."""
    text, lexicon = ctx.text, segment.lexicon()
    frames = _frames(text, pos, lexicon)
    if not frames:
        return []
    options = [(c, w) for c in candidates(text[pos]) if (w := _word_with(c, frames, lexicon))]
    if not options:
        return []
    options = _most_frequent(options, lambda o: lexicon[o[1][0]])
    window = _window(ctx, *_context(text, pos))
    base_tokens = _lm_tokens(model, [t for t, _, _ in window])
    base = model.score(base_tokens)
    found = []
    for char, (word, lead) in options:
        tokens = _lm_tokens(model, _replace(text, window, pos - lead, word))
        seen = char in seen_corrections(text[pos])
        gain = model.score(tokens) - base
        found.append(Candidate(char, word, gain, len(base_tokens) - len(tokens), seen))
    return found


def word_options(ctx: Context, index: int, model: lm.LanguageModel) -> list[Candidate]:
    """One wrong character inside a rare two-character word (建康 → 健康), with its LM gain."""
    token, start, _ = ctx.tokens[index]
    lexicon = segment.lexicon()
    floor = max(SETTINGS.min_word_freq, SETTINGS.word_freq_ratio * (lexicon.get(token) or 0))
    options = []
    for j, orig in enumerate(token):
        for char in candidates(orig):
            word = token[:j] + char + token[j + 1 :]
            if (lexicon.get(word) or 0) >= floor:
                options.append((j, char, word))
    if not options:
        return []
    options = _most_frequent(options, lambda o: lexicon[o[2]])
    window = _window(ctx, *_context(ctx.text, start))
    base = model.score(_lm_tokens(model, [t for t, _, _ in window]))
    found = []
    for j, char, word in options:
        gain = model.score(_lm_tokens(model, _replace(ctx.text, window, start, word))) - base
        seen = char in seen_corrections(token[j])
        found.append(Candidate(char, word, gain, 0, seen, offset=j))
    return found


def homophone_options(
    ctx: Context, start: int, end: int, model: lm.LanguageModel
) -> list[Candidate]:
    """Whole-word sound-alikes for text[start:end] (two characters: 淡味 → 单位), with LM gains."""
    text, lexicon = ctx.text, segment.lexicon()
    span = text[start:end]
    floor = max(SETTINGS.homophone_min_freq, SETTINGS.word_freq_ratio * (lexicon.get(span) or 0))
    words = [w for w in homophone_words(span, SETTINGS.homophone_min_freq) if lexicon[w] >= floor]
    if not words:
        return []
    words = _most_frequent(words, lexicon.__getitem__)
    window = _window(ctx, *_context(text, start))
    base = model.score(_lm_tokens(model, [t for t, _, _ in window]))
    found = []
    for word in words:
        gain = model.score(_lm_tokens(model, _replace(text, window, start, word))) - base
        found.append(Candidate(word, word, gain, 0, False))
    return found


T = TypeVar("T")


def _most_frequent(options: list[T], freq: Callable[[T], int]) -> list[T]:
    """The options forming the most frequent words: only these are scored by the LM (speed)."""
    if len(options) <= SETTINGS.max_lm_options:
        return options
    return sorted(options, key=freq, reverse=True)[: SETTINGS.max_lm_options]


def _best_candidate(
    ctx: Context, pos: int, model: lm.LanguageModel, min_score: float
) -> Candidate | None:
    if original_support(ctx.text, pos) >= SETTINGS.max_original_support:
        return None
    best: Candidate | None = None
    penalty = _frequency_penalty(ctx.text[pos])
    for option in options_at(ctx, pos, model):
        score = option.gain - SETTINGS.token_penalty * option.fewer_tokens - penalty
        score += SETTINGS.seen_bonus if option.seen else 0.0
        if score >= min_score and (best is None or score > best.score):
            best = dataclasses.replace(option, score=score)
    return best


def _frequency_penalty(char: str) -> float:
    """Common one-character words (和, 的, 是) are rarely typos: ask for more evidence."""
    freq = segment.word_frequency(char)
    return SETTINGS.freq_penalty * max(0.0, math.log10(max(freq, 1) / SETTINGS.freq_reference))


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


Span = tuple[str, int, int]


def _window(ctx: Context, left: int, right: int) -> list[Span]:
    """The tokens of text[left:right], the outer ones clipped to the window."""
    text, tokens = ctx.text, ctx.tokens
    out = []
    for i in range(ctx.token_at[left], ctx.token_at[right - 1] + 1):
        _, start, end = tokens[i]
        start, end = max(start, left), min(end, right)
        out.append((text[start:end], start, end))
    return out


def _replace(text: str, window: list[Span], start: int, word: str) -> list[str]:
    """The window's tokens with text[start:start+len(word)] replaced by the single token word."""
    end = start + len(word)
    out: list[str] = []
    placed = False
    for token, s, e in window:
        if e <= start or s >= end:
            out.append(token)
            continue
        if s < start:
            out.append(text[s:start])
        if not placed:
            out.append(word)
            placed = True
        if e > end:
            out.append(text[end:e])
    return out


def _lm_tokens(model: lm.LanguageModel, words: list[str]) -> list[str]:
    """Words for the LM: known words kept, unknown ones split into known pieces."""
    tokens: list[str] = []
    for word in words:
        if word in model:
            tokens.append(word)
        elif not word.isspace():
            tokens.extend(_lm_words(model, word))
    return tokens


def _lm_words(model: lm.LanguageModel, word: str) -> list[str]:
    """Split a word the LM does not know (办事效率) into words it knows (办事, 效率)."""
    out, pos = [], 0
    while pos < len(word):
        end = min(len(word), pos + 4)
        while end > pos + 1 and word[pos:end] not in model:
            end -= 1
        out.append(word[pos:end])
        pos = end
    return out
