"""PostgreSQL: a narrow (doc_id, tsvector) table with GIN; relevance ranks the newest matches.

Ranking every match of a frequent word is what makes full-text search slow at a million rows
(DESIGN.md §10), so relevance is computed over the `RANK_WINDOW` newest matches; date order and
counts read the index only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from jianbao.search.backends.base import MatchQuery, SearchBackend
from jianbao.text.search_query import Node

TSV = "search_tsv"
DOCS = "search_searchdocument"
RANK_WINDOW = 2000
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(tokens: Sequence[str]) -> str:
    """A tsvector in its text form, with positions so ts_rank can weigh repeated words."""
    positions: dict[str, list[int]] = defaultdict(list)
    for index, token in enumerate(tokens, start=1):
        found = positions[token]
        if len(found) < MAX_POSITIONS_PER_LEXEME:
            found.append(min(index, MAX_POSITION))
    return " ".join(
        f"{_lexeme(token)}:{','.join(map(str, sorted(set(places))))}"
        for token, places in positions.items()
    )


def render(node: Node) -> str:
    """A tsquery in its text form for a token tree."""
    if isinstance(node, str):
        return _lexeme(node)
    op, children = node
    joiner = " & " if op == "and" else " | "
    return "(" + joiner.join(render(child) for child in children) + ")"


def tsquery_text(query: MatchQuery) -> str:
    """The whole query: all required nodes and none of the excluded ones."""
    parts = [render(node) for node in query.required]
    parts += [f"!{render(node)}" for node in query.excluded]
    return " & ".join(parts)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def _rows(self, sql: str, params: list[Any]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _from(self, query: MatchQuery) -> tuple[str, list[Any]]:
        sql = f"FROM {TSV} t"
        where = " WHERE t.tsv @@ %s::tsquery"
        params: list[Any] = [tsquery_text(query)]
        if query.has_dates:
            sql += f" JOIN {DOCS} d ON d.id = t.doc_id"
        if query.date_from:
            where += " AND d.date >= %s"
            params.append(query.date_from)
        if query.date_to:
            where += " AND d.date <= %s"
            params.append(query.date_to)
        return sql + where, params

    def upsert(self, *, doc_id: int, tokens: Sequence[str], old_tokens: Sequence[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TSV} (doc_id, tsv) VALUES (%s, %s::tsvector) "
                "ON CONFLICT (doc_id) DO UPDATE SET tsv = EXCLUDED.tsv",
                [doc_id, tsvector_literal(tokens)],
            )

    def delete(self, *, doc_id: int, tokens: Sequence[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TSV} WHERE doc_id = %s", [doc_id])

    def bulk_insert(self, rows: Iterable[tuple[int, Sequence[str]]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TSV} (doc_id, tsv) VALUES (%s, %s::tsvector)",
                [(doc_id, tsvector_literal(tokens)) for doc_id, tokens in rows],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TSV}")

    def ranked(self, query: MatchQuery, *, limit: int, offset: int = 0) -> list[int]:
        sql, params = self._from(query)
        text = params[0]
        return self._rows(
            f"SELECT m.doc_id FROM (SELECT t.doc_id, t.tsv {sql} "
            "ORDER BY t.doc_id DESC LIMIT %s) m "
            "ORDER BY ts_rank(m.tsv, %s::tsquery) DESC, m.doc_id DESC LIMIT %s OFFSET %s",
            [*params, RANK_WINDOW, text, limit, offset],
        )

    def newest(self, query: MatchQuery, *, limit: int, offset: int = 0) -> list[int]:
        sql, params = self._from(query)
        if not query.has_dates:
            sql = sql.replace(f"FROM {TSV} t", f"FROM {TSV} t JOIN {DOCS} d ON d.id = t.doc_id")
        return self._rows(
            f"SELECT t.doc_id {sql} ORDER BY d.date DESC NULLS LAST, d.id DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def recent(self, query: MatchQuery, *, limit: int) -> list[int]:
        sql, params = self._from(query)
        return self._rows(
            f"SELECT t.doc_id {sql} ORDER BY t.doc_id DESC LIMIT %s", [*params, limit]
        )

    def count(self, query: MatchQuery, *, cap: int) -> int:
        sql, params = self._from(query)
        return self._rows(f"SELECT count(*) FROM (SELECT 1 {sql} LIMIT %s) s", [*params, cap])[0]

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TSV}")
            cursor.execute(f"ANALYZE {DOCS}")

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [TSV])
            return int(cursor.fetchone()[0])
