"""Search text handling without Django: query parsing, index tokens, snippets and highlights.

The same normalisation runs on documents and on queries (NFKC width folding, lower case,
traditional → simplified), so 「稅務」 typed in traditional characters finds 「税务」.
Documents are cut with jieba's search mode plus the character bigrams of every long word, so a
two-character query (「网格」, 「思宇」) finds its characters inside a longer word; queries are
cut in accurate mode.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from jianbao.text.chinese_convert import to_simplified
from jianbao.text.segment import cut, cut_for_search

__all__ = [
    "Node",
    "ParsedQuery",
    "Term",
    "highlight_spans",
    "index_tokens",
    "make_snippet",
    "normalise",
    "parse_query",
    "term_tokens",
]

# Quote pairs people type for "exactly this phrase".
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "'": "'", "‘": "’"}
_EXCLUDE_MARKS = "-－—"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A token is kept when it holds at least one letter, digit or CJK character.
_WORDY = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s+")
MAX_TERMS = 12
MAX_QUERY_CHARS = 200


# A lookup in the word index: a token, or ("and" | "or", children), or ("andnot", [a, b]).
Node = str | tuple[str, list["Node"]]


@dataclass(frozen=True)
class Term:
    """One query word or quoted phrase, normalised."""

    text: str
    phrase: bool = False

    @property
    def tokens(self) -> list[str]:
        """Index tokens that every matching document contains."""
        return term_tokens(self.text)

    @property
    def needs_scan(self) -> bool:
        """No word to look up (「税」): matched as a substring among narrowed candidates."""
        return not self.tokens

    @property
    def node(self) -> Node | None:
        """The index lookup for this term: every token, a long word also by its bigrams."""
        nodes: list[Node] = []
        for token in self.tokens:
            grams = _bigrams(token)
            nodes.append(("or", [token, ("and", list(grams))]) if grams else token)
        if not nodes:
            return None
        return nodes[0] if len(nodes) == 1 else ("and", nodes)


@dataclass(frozen=True)
class ParsedQuery:
    """What the user asked for: terms that must all match and terms that must not."""

    terms: list[Term] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """No positive term (an exclusion alone finds nothing to rank)."""
        return not self.terms

    @property
    def highlight_words(self) -> list[str]:
        """Strings to mark in results: each term, then its tokens for partial matches."""
        words: list[str] = []
        for term in self.terms:
            words.append(term.text)
            if not term.phrase:
                # A document may match a long word by its parts; mark those parts too.
                words.extend(w for t in term.tokens for w in [t, *cut_for_search(t)] if len(w) > 1)
        return list(dict.fromkeys(w for w in words if w))


def normalise(text: str) -> str:
    """Fold width and case and convert traditional characters to simplified."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return to_simplified(folded)


def _split_raw(query: str) -> list[tuple[str, bool, bool]]:
    """Split into (text, is_phrase, is_excluded) keeping quoted phrases whole."""
    parts: list[tuple[str, bool, bool]] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        excluded = ch in _EXCLUDE_MARKS and i + 1 < n and not query[i + 1].isspace()
        if excluded:
            i += 1
            ch = query[i]
        if ch in _QUOTES:
            end = query.find(_QUOTES[ch], i + 1)
            end = n if end < 0 else end
            parts.append((query[i + 1 : end], True, excluded))
            i = end + 1
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] not in _QUOTES:
            j += 1
        parts.append((query[i:j], False, excluded))
        i = j
    return parts


def parse_query(query: str) -> ParsedQuery:
    """Parse what a user typed: words, 「quoted phrases」, -exclusions, any script or width."""
    text = normalise(query[:MAX_QUERY_CHARS]).replace("\u3000", " ")
    terms: list[Term] = []
    excluded: list[Term] = []
    for raw, phrase, negative in _split_raw(text):
        cleaned = _SPACE.sub(" ", raw).strip() if phrase else raw.strip("，,。.、；;：:！!？?")
        if not cleaned or not _WORDY.search(cleaned):
            continue
        term = Term(cleaned, phrase=phrase)
        target = excluded if negative else terms
        if term not in target:
            target.append(term)
    return ParsedQuery(terms=terms[:MAX_TERMS], excluded=excluded[:MAX_TERMS])


def _bigrams(token: str) -> list[str]:
    if len(token) < 3 or not _CJK.search(token):
        return []
    return [token[i : i + 2] for i in range(len(token) - 1)]


def index_tokens(text: str) -> list[str]:
    """Tokens a document is indexed under: search-mode words plus bigrams inside long words."""
    tokens: list[str] = []
    for raw in cut_for_search(normalise(text)):
        token = raw.strip()
        if not token or not _WORDY.search(token):
            continue
        tokens.append(token)
        tokens.extend(_bigrams(token))
    return tokens


def term_tokens(text: str) -> list[str]:
    """Words a query term is looked up by (accurate mode, unique, in order).

    Single characters are left out: a document cut differently keeps them inside longer words
    (「区」 in 「区总工会」), so requiring them would lose matches; the longer words carry the term.
    A term with no longer word gets no tokens and is matched as a substring instead.
    """
    tokens = [t.strip() for t in cut(text)]
    return list(dict.fromkeys(t for t in tokens if len(t) > 1 and _WORDY.search(t)))


def highlight_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of the words in text, longest words first."""
    folded = normalise(text)
    # Offsets must point into the original text; conversions that change length fall back.
    haystack = folded if len(folded) == len(text) else text.lower()
    taken = [False] * len(text)
    spans: list[tuple[int, int]] = []
    for word in sorted(set(words), key=len, reverse=True):
        start = haystack.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                spans.append((start, end))
                taken[start:end] = [True] * len(word)
            start = haystack.find(word, end)
    return sorted(spans)


def make_snippet(
    text: str, words: list[str], *, width: int = 90
) -> tuple[str, list[tuple[int, int]]]:
    """The passage around the first match (or the opening), with spans relative to it."""
    flat = _SPACE.sub(" ", text).strip()
    first = _first_match(flat, words)
    start = 0
    if first is not None:
        start = max(0, first - width // 4)
        # Begin at a sentence start when one is near, as a reader would quote it.
        stop = flat.rfind("。", max(0, start - 20), first)
        if stop >= 0 and first - stop < width // 2:
            start = stop + 1
    end = min(len(flat), start + width)
    snippet = flat[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix)
    spans = highlight_spans(snippet, words) if first is not None else []
    return prefix + snippet + suffix, [(s + shift, e + shift) for s, e in spans]


def _first_match(text: str, words: list[str]) -> int | None:
    """Where the first of the words occurs: in the text as written when it is there (most
    documents are in simplified characters), else after normalising it."""
    # Normalising (OpenCC above all) costs ~70 µs per 400 characters, and a page shows 20
    # snippets; only the passage shown is normalised for its highlights.
    for fold in (str.lower, normalise):
        haystack = fold(text)
        found = [at for at in (haystack.find(word) for word in words if word) if at >= 0]
        if found:
            # Offsets after a conversion that changes the length would not point into the text.
            return min(found) if len(haystack) == len(text) else None
    return None


def marked_pieces(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) at the given spans; overlapping spans keep the first."""
    pieces: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        pieces += [(text[cursor:start], False), (text[start:end], True)]
        cursor = end
    pieces.append((text[cursor:], False))
    return [(piece, match) for piece, match in pieces if piece]
