"""SQLite FTS5: a contentless table with columnsize=0 (DESIGN.md §10), and `search_rows`.

The FTS rowid is the sort key (date, id), so date order and date ranges are rowid walks inside
FTS5; `search_rows` maps the same key to the document's units (for the facet counts) and its
head, the first `HEAD_TOKENS` tokens (for relevance).

Relevance is computed over the window of newest matches (see SearchBackend) from how often each
typed word occurs in the head, saturating as bm25's term frequency does, as the PostgreSQL
backend ranks by `head`. FTS5's own bm25() is not used: before scoring its first row it counts
every document holding each phrase of the query, filter tags included, which cost 15 ms for a
frequent word and 40 ms with a kind and a type filter in a million-entry archive, against 1–12 ms
for reading the window itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from jianbao.search.backends.base import (
    IndexRow,
    MatchQuery,
    SearchBackend,
    WindowRow,
    doc_id_of,
    key_range,
    scored_tokens,
)
from jianbao.text.search_query import Node

FTS = "search_fts"
ROWS = "search_rows"
# bm25's k1: a word's second occurrence in the head adds less than its first.
SATURATION = 1.2


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def render(node: Node) -> str:
    """An FTS5 query expression for a token tree."""
    if isinstance(node, str):
        return _quote(node)
    op, children = node
    if op == "andnot":
        return f"({render(children[0])} NOT {render(children[1])})"
    joiner = " AND " if op == "and" else " OR "
    return "(" + joiner.join(render(child) for child in children) + ")"


def match_expression(query: MatchQuery) -> str:
    """The whole MATCH string: all required nodes, none of the excluded ones."""
    expression = " AND ".join(render(node) for node in query.required)
    if query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(render(n) for n in query.excluded)})"
    return expression


def _where(query: MatchQuery) -> tuple[str, list[Any]]:
    sql = f"FROM {FTS} WHERE {FTS} MATCH %s"
    params: list[Any] = [match_expression(query)]
    low, high = key_range(query.date_from, query.date_to)
    if low is not None:
        sql += " AND rowid >= %s"
        params.append(low)
    if high is not None:
        sql += " AND rowid <= %s"
        params.append(high)
    return sql, params


def _units_text(row: IndexRow) -> str:
    return ",".join(str(uid) for uid in row.unit_ids)


def _unit_ids(text: str | None) -> list[int]:
    return [int(uid) for uid in (text or "").split(",") if uid]


def _head_text(row: IndexRow) -> str:
    """The head with every token wrapped in its own spaces, so " word " occurrences never
    share a space and can be counted with replace()."""
    return "".join(f" {token} " for token in row.head)


def _occurrences(tokens: list[str]) -> tuple[str, list[Any]]:
    """Select-list columns counting each token in the joined head (`r.head`)."""
    columns, params = [], []
    for token in tokens:
        columns.append(", (length(r.head) - length(replace(r.head, %s, ''))) / %s")
        params += [f" {token} ", len(token) + 2]
    return "".join(columns), params


def _score(counts: tuple[int | None, ...]) -> float:
    return sum(n / (n + SATURATION) for n in counts if n)


class SqliteBackend(SearchBackend):
    """FTS5 for the words, `search_rows` for the facet counts and relevance."""

    vendor = "sqlite"

    def read_window(self, query: MatchQuery) -> list[WindowRow]:
        sql, params = _where(query)
        counted, count_params = _occurrences(scored_tokens(query.words))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.key, r.units{counted} FROM (SELECT rowid AS key {sql} "
                f"ORDER BY rowid DESC LIMIT %s) m LEFT JOIN {ROWS} r ON r.key = m.key "
                "ORDER BY m.key DESC",
                [*count_params, *params, self.rank_window],
            )
            return [
                WindowRow(key, _score(counts), _unit_ids(units))
                for key, units, *counts in cursor.fetchall()
            ]

    def _column(self, sql: str, params: list[Any]) -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _insert(self, cursor: Any, row: IndexRow) -> None:
        cursor.execute(
            f"INSERT INTO {FTS}(rowid, tokens) VALUES (%s, %s)", [row.key, " ".join(row.tokens)]
        )
        cursor.execute(
            f"INSERT OR REPLACE INTO {ROWS}(key, units, head) VALUES (%s, %s, %s)",
            [row.key, _units_text(row), _head_text(row)],
        )

    def _remove(self, cursor: Any, row: IndexRow) -> None:
        # A contentless table forgets a row only when told the tokens it was indexed under.
        cursor.execute(
            f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', %s, %s)",
            [row.key, " ".join(row.tokens)],
        )
        cursor.execute(f"DELETE FROM {ROWS} WHERE key = %s", [row.key])

    def upsert(self, row: IndexRow, *, old: IndexRow | None) -> None:
        with connection.cursor() as cursor:
            if old is not None and old.tokens:
                self._remove(cursor, old)
            self._insert(cursor, row)

    def delete(self, row: IndexRow) -> None:
        with connection.cursor() as cursor:
            self._remove(cursor, row)

    def bulk_insert(self, rows: Iterable[IndexRow]) -> None:
        rows = list(rows)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS}(rowid, tokens) VALUES (%s, %s)",
                [(row.key, " ".join(row.tokens)) for row in rows],
            )
            cursor.executemany(
                f"INSERT INTO {ROWS}(key, units, head) VALUES (%s, %s, %s)",
                [(row.key, _units_text(row), _head_text(row)) for row in rows],
            )

    def newest_beyond_window(self, query: MatchQuery, *, limit: int, offset: int) -> list[int]:
        sql, params = _where(query)
        keys = self._column(
            f"SELECT rowid {sql} ORDER BY rowid DESC LIMIT %s OFFSET %s", [*params, limit, offset]
        )
        return [doc_id_of(key) for key in keys]

    def count_beyond_window(self, query: MatchQuery, *, cap: int) -> int:
        sql, params = _where(query)
        return int(
            self._column(f"SELECT count(*) FROM (SELECT 1 {sql} LIMIT %s)", [*params, cap])[0]
        )

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")

    def compact(self) -> None:
        """Nothing after a rebuild beside live use: FTS5's automerge already merges segments a
        little in every write step. One `optimize` held the write lock for 2.8 s at 30,000 rows
        (saves wait behind it); 'merge' steps of 64 pages held it ~180 ms each, 23 s in all."""

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE %s OR name = %s",
                [f"{FTS}%", ROWS],
            )
            return int(cursor.fetchone()[0])
