"""The interface every full-text backend implements.

A backend stores, per SearchDocument id, the list of index tokens (words and tag tokens such as
`xqvoffice`) and answers boolean token queries. Everything else — documents, snippets, visibility
and substring checks — is the same for all backends and lives in services and selectors, so a
larger engine (OpenSearch …) only has to implement these methods.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from jianbao.text.search_query import Node


@dataclass(frozen=True)
class MatchQuery:
    """Documents holding every `required` node and no `excluded` node, optionally within dates."""

    required: list[Node]
    excluded: list[Node] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None

    @property
    def has_dates(self) -> bool:
        """Whether the base table must be joined for the date range."""
        return self.date_from is not None or self.date_to is not None


class SearchBackend(ABC):
    """Stores token lists by document id and answers token queries."""

    vendor: str = ""

    @abstractmethod
    def upsert(self, *, doc_id: int, tokens: Sequence[str], old_tokens: Sequence[str]) -> None:
        """Replace the tokens of one document (old_tokens: what it was indexed under, or [])."""

    @abstractmethod
    def delete(self, *, doc_id: int, tokens: Sequence[str]) -> None:
        """Remove one document from the full-text structure."""

    @abstractmethod
    def bulk_insert(self, rows: Iterable[tuple[int, Sequence[str]]]) -> None:
        """Add many new documents at once (rebuilds and benchmarks)."""

    @abstractmethod
    def clear(self) -> None:
        """Empty the full-text structure."""

    @abstractmethod
    def ranked(self, query: MatchQuery, *, limit: int, offset: int = 0) -> list[int]:
        """Matching ids, most relevant first."""

    @abstractmethod
    def newest(self, query: MatchQuery, *, limit: int, offset: int = 0) -> list[int]:
        """Matching ids, latest document date first."""

    @abstractmethod
    def recent(self, query: MatchQuery, *, limit: int) -> list[int]:
        """Up to `limit` matching ids, most recently indexed first (cheap: no sort by date)."""

    @abstractmethod
    def count(self, query: MatchQuery, *, cap: int) -> int:
        """How many documents match, counting no further than `cap`."""

    @abstractmethod
    def optimize(self) -> None:
        """Compact the structure after a bulk build."""

    @abstractmethod
    def size_bytes(self) -> int:
        """Bytes used by the full-text structure (for reports)."""
