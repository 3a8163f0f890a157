"""SQLite FTS5: a contentless table with columnsize=0, ranked with bm25 (DESIGN.md §10).

The FTS rowid is the sort key (date, id), so date order and date ranges are rowid walks inside
FTS5; `search_units` maps the same key to the document's units for the facet counts.

Relevance is bm25 over the window of newest matches (all of them when there are fewer; see
SearchBackend): ranking every match of a word found in a third of a million-entry archive costs
130–180 ms on this machine, the window 5–10 ms.
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
)
from jianbao.text.search_query import Node

FTS = "search_fts"
UNITS = "search_units"


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


class SqliteBackend(SearchBackend):
    """FTS5 for the words, `search_units` for the facet counts."""

    vendor = "sqlite"

    def read_window(self, query: MatchQuery) -> list[WindowRow]:
        sql, params = _where(query)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.key, m.score, u.units FROM (SELECT rowid AS key, bm25({FTS}) AS score "
                f"{sql} ORDER BY rowid DESC LIMIT %s) m LEFT JOIN {UNITS} u ON u.key = m.key "
                "ORDER BY m.key DESC",
                [*params, self.rank_window],
            )
            # bm25() is negative and lower for better matches.
            return [
                WindowRow(key, -score, [int(uid) for uid in (units or "").split(",") if uid])
                for key, score, units in cursor.fetchall()
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
            f"INSERT OR REPLACE INTO {UNITS}(key, units) VALUES (%s, %s)",
            [row.key, _units_text(row)],
        )

    def _remove(self, cursor: Any, row: IndexRow) -> None:
        # A contentless table forgets a row only when told the tokens it was indexed under.
        cursor.execute(
            f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', %s, %s)",
            [row.key, " ".join(row.tokens)],
        )
        cursor.execute(f"DELETE FROM {UNITS} WHERE key = %s", [row.key])

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
                f"INSERT INTO {UNITS}(key, units) VALUES (%s, %s)",
                [(row.key, _units_text(row)) for row in rows],
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

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE %s OR name = %s",
                [f"{FTS}%", UNITS],
            )
            return int(cursor.fetchone()[0])
