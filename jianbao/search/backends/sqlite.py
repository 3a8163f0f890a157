"""SQLite FTS5: a contentless table with columnsize=0, ranked with bm25 (DESIGN.md §10)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from jianbao.search.backends.base import MatchQuery, SearchBackend
from jianbao.text.search_query import Node

FTS = "search_fts"
DOCS = "search_searchdocument"


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def render(node: Node) -> str:
    """An FTS5 query expression for a token tree."""
    if isinstance(node, str):
        return _quote(node)
    op, children = node
    joiner = " AND " if op == "and" else " OR "
    return "(" + joiner.join(render(child) for child in children) + ")"


def match_expression(query: MatchQuery) -> str:
    """The whole MATCH string: all required nodes, none of the excluded ones."""
    expression = " AND ".join(render(node) for node in query.required)
    if query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(render(n) for n in query.excluded)})"
    return expression


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def _rows(self, sql: str, params: list[Any]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _from(self, query: MatchQuery) -> tuple[str, list[Any]]:
        # CROSS JOIN fixes the order: walk the postings, then look each row up by id.
        sql = f"FROM {FTS}"
        where = f" WHERE {FTS} MATCH %s"
        params: list[Any] = [match_expression(query)]
        if query.has_dates:
            sql += f" CROSS JOIN {DOCS} d ON d.id = {FTS}.rowid"
        if query.date_from:
            where += " AND d.date >= %s"
            params.append(query.date_from)
        if query.date_to:
            where += " AND d.date <= %s"
            params.append(query.date_to)
        return sql + where, params

    def upsert(self, *, doc_id: int, tokens: Sequence[str], old_tokens: Sequence[str]) -> None:
        with connection.cursor() as cursor:
            if old_tokens:
                cursor.execute(
                    f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', %s, %s)",
                    [doc_id, " ".join(old_tokens)],
                )
            cursor.execute(
                f"INSERT INTO {FTS}(rowid, tokens) VALUES (%s, %s)", [doc_id, " ".join(tokens)]
            )

    def delete(self, *, doc_id: int, tokens: Sequence[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', %s, %s)",
                [doc_id, " ".join(tokens)],
            )

    def bulk_insert(self, rows: Iterable[tuple[int, Sequence[str]]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS}(rowid, tokens) VALUES (%s, %s)",
                [(doc_id, " ".join(tokens)) for doc_id, tokens in rows],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')")

    def ranked(self, query: MatchQuery, *, limit: int, offset: int = 0) -> list[int]:
        sql, params = self._from(query)
        return self._rows(
            f"SELECT {FTS}.rowid {sql} ORDER BY bm25({FTS}) LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def newest(self, query: MatchQuery, *, limit: int, offset: int = 0) -> list[int]:
        sql, params = self._from(query)
        if not query.has_dates:
            sql = sql.replace(
                f"FROM {FTS}", f"FROM {FTS} CROSS JOIN {DOCS} d ON d.id = {FTS}.rowid"
            )
        return self._rows(
            f"SELECT {FTS}.rowid {sql} ORDER BY d.date DESC, d.id DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def recent(self, query: MatchQuery, *, limit: int) -> list[int]:
        sql, params = self._from(query)
        return self._rows(
            f"SELECT {FTS}.rowid {sql} ORDER BY {FTS}.rowid DESC LIMIT %s", [*params, limit]
        )

    def count(self, query: MatchQuery, *, cap: int) -> int:
        sql, params = self._from(query)
        rows = self._rows(f"SELECT count(*) FROM (SELECT 1 {sql} LIMIT %s)", [*params, cap])
        return rows[0]

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('optimize')")

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE %s",
                [f"{FTS}%"],
            )
            return int(cursor.fetchone()[0])
