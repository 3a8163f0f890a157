"""The interface every full-text backend implements.

A backend stores, per document, its index tokens (words plus tag tokens such as `xqvoffice`) and
its units, and answers boolean token queries. Rows are keyed by `sort_key` — the document date in
the high bits and its id in the low 32 bits — so "newest first", date ranges and "the newest N
matches" are walks along one key instead of joins and sorts. Documents, snippets, visibility and
substring checks are the same for all backends and live in services and selectors, so a larger
engine (OpenSearch …) only has to implement these methods.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from jianbao.text.search_query import Node

ID_BITS = 32
ID_MASK = (1 << ID_BITS) - 1
EPOCH = date(1900, 1, 1)
# Tag tokens share the index with words; the prefix keeps them apart from any real word.
TAG = "xq"
# Relevance weighs a document's first tokens (its title and lead), as a reader skimming a
# bulletin does: reading those is cheap for every backend, whole documents are not.
HEAD_TOKENS = 64


def sort_key(doc_id: int, day: date | None) -> int:
    """A 64-bit key ordered by date, then id (undated documents sort oldest)."""
    days = (day - EPOCH).days if day else 0
    return (days << ID_BITS) | doc_id


def doc_id_of(key: int) -> int:
    """The document id inside a sort key."""
    return key & ID_MASK


def date_of(key: int) -> date:
    """The document date inside a sort key (EPOCH for undated documents)."""
    return EPOCH + timedelta(days=key >> ID_BITS)


def year_token(year: int) -> str:
    """The tag every document dated in `year` carries."""
    return f"{TAG}y{year}"


def month_token(year: int, month: int) -> str:
    """The tag every document dated in that month carries."""
    return f"{TAG}m{year}{month:02d}"


def period_tags(day: date | None) -> list[str]:
    """The year and month tags of a document date (none when undated)."""
    return [year_token(day.year), month_token(day.year, day.month)] if day else []


def period_tokens(first: date, last: date) -> list[str]:
    """Year and month tags that together cover exactly the months from `first` to `last`."""
    tokens: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        whole_year = month == 1 and (year < last.year or last.month == 12)
        if whole_year:
            tokens.append(year_token(year))
            year += 1
        else:
            tokens.append(month_token(year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tokens


def key_range(date_from: date | None, date_to: date | None) -> tuple[int | None, int | None]:
    """Inclusive key bounds for a date range."""
    low = sort_key(0, date_from) if date_from else None
    high = sort_key(ID_MASK, date_to) if date_to else None
    return low, high


def scored_tokens(words: Sequence[Node]) -> list[str]:
    """The tokens relevance counts: each typed word itself, not the bigrams it may also match by
    nor the tags and exclusions of the query."""
    tokens: list[str] = []
    for node in words:
        if isinstance(node, str):
            tokens.append(node)
            continue
        op, children = node
        tokens += scored_tokens(children if op == "and" else children[:1])
    return list(dict.fromkeys(tokens))


def unit_tally(unit_lists: Iterable[Sequence[int]]) -> Counter[int]:
    """How many documents name each unit (given each document's units; a unit counts once)."""
    return Counter(chain.from_iterable(map(set, unit_lists)))


@dataclass(frozen=True)
class IndexRow:
    """What a backend stores for one document."""

    doc_id: int
    date: date | None
    tokens: Sequence[str]
    unit_ids: Sequence[int] = ()

    @property
    def key(self) -> int:
        """The row's sort key."""
        return sort_key(self.doc_id, self.date)

    @property
    def head(self) -> list[str]:
        """The tokens relevance is computed from (title and lead)."""
        return list(self.tokens[:HEAD_TOKENS])


@dataclass(frozen=True)
class MatchQuery:
    """Documents holding every `required` node and no `excluded` node, optionally within dates.

    `words` are the required nodes the user typed (not filter or visibility tags): relevance is
    computed from them alone.
    """

    required: list[Node]
    excluded: list[Node] = field(default_factory=list)
    words: list[Node] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None


class WindowRow(NamedTuple):
    """One of the newest matches: its key, its relevance (higher is better) and its units.

    A tuple, not a dataclass: a search builds 2,000 of them, and a frozen dataclass's
    constructor cost ~1 ms of that.
    """

    key: int
    score: float
    unit_ids: Sequence[int]


class SearchBackend(ABC):
    """Stores token lists by document and answers token queries with document ids.

    One instance serves one search. Relevance, the total and the unit counts all come from one
    window of the `rank_window` newest matches, read once per query: ranking every match of a
    frequent word in a million-entry archive costs hundreds of milliseconds (DESIGN.md §10).
    """

    vendor: str = ""
    rank_window: int = 2000

    def __init__(self) -> None:
        self._windows: dict[str, list[WindowRow]] = {}

    @abstractmethod
    def upsert(self, row: IndexRow, *, old: IndexRow | None) -> None:
        """Replace one document (old: what it was indexed as before, or None)."""

    @abstractmethod
    def delete(self, row: IndexRow) -> None:
        """Remove one document, given what it was indexed as."""

    @abstractmethod
    def bulk_insert(self, rows: Iterable[IndexRow]) -> None:
        """Add many new documents at once (rebuilds and benchmarks)."""

    @abstractmethod
    def read_window(self, query: MatchQuery) -> list[WindowRow]:
        """The `rank_window` newest matches, newest first."""

    @abstractmethod
    def newest_beyond_window(self, query: MatchQuery, *, limit: int, offset: int) -> list[int]:
        """Matching ids, latest first, for a page past the window."""

    @abstractmethod
    def count_beyond_window(self, query: MatchQuery, *, cap: int) -> int:
        """How many documents match, counting no further than a cap above the window."""

    def window(self, query: MatchQuery) -> list[WindowRow]:
        """The newest matches, read once per query for this search."""
        cache_key = repr(query)
        if cache_key not in self._windows:
            self._windows[cache_key] = self.read_window(query)
        return self._windows[cache_key]

    def narrow_from(self, query: MatchQuery, *, broader: MatchQuery, unit_id: int) -> None:
        """Answer `query`, which is `broader` limited to one unit, from the broader window when
        that holds every match: a unit filter then costs no second read."""
        rows = self.window(broader)
        if len(rows) < self.rank_window:
            self._windows[repr(query)] = [row for row in rows if unit_id in row.unit_ids]

    def ranked(self, query: MatchQuery, *, limit: int, offset: int = 0) -> list[int]:
        """Matching ids, most relevant first (relevance within the window)."""
        # The window is newest first and the sort is stable: equal scores stay newest first.
        rows = sorted(self.window(query), key=attrgetter("score"), reverse=True)
        return [doc_id_of(row.key) for row in rows[offset : offset + limit]]

    def newest(self, query: MatchQuery, *, limit: int, offset: int = 0) -> list[int]:
        """Matching ids, latest document date first."""
        rows = self.window(query)
        if offset + limit <= len(rows) or len(rows) < self.rank_window:
            return [doc_id_of(row.key) for row in rows[offset : offset + limit]]
        return self.newest_beyond_window(query, limit=limit, offset=offset)

    def newest_ids(self, query: MatchQuery, *, limit: int) -> list[int]:
        """The `limit` newest matching ids and nothing else: a list's word filter needs neither
        the relevance nor the units the window reads for each match."""
        return self.newest_beyond_window(query, limit=limit, offset=0)

    def count(self, query: MatchQuery, *, cap: int) -> int:
        """How many documents match, counting no further than `cap`."""
        if cap <= self.rank_window:
            return min(len(self.window(query)), cap)
        return self.count_beyond_window(query, cap=cap)

    def unit_counts(
        self, query: MatchQuery, *, window: int, among: Container[int] | None = None
    ) -> tuple[dict[int, int], bool]:
        """Matches per unit among the `window` newest matches (only the ids in `among`, when
        given); True if the window was full."""
        rows = self.window(query)[:window]
        counted = rows if among is None else [row for row in rows if doc_id_of(row.key) in among]
        return dict(unit_tally(row.unit_ids for row in counted)), len(rows) >= window

    @abstractmethod
    def optimize(self) -> None:
        """Compact the structure after a bulk build."""

    def compact(self) -> None:
        """Tidy the structure after a rebuild beside live use, never holding the write lock for
        long (by default `optimize`, where that takes no lock writers wait on)."""
        self.optimize()

    @abstractmethod
    def size_bytes(self) -> int:
        """Bytes used by the full-text structure (for reports)."""
