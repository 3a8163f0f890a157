"""PostgreSQL: a narrow (key, tsvector, head, units) table with GIN (DESIGN.md §10).

Relevance, totals and unit counts come from the window of newest matches (see SearchBackend); the
key (date, id) makes "newest" and date ranges a walk along the primary key.

Each row's tsvector also holds the year and month tags of its date (`period_tags`), so a search
limited to the newest months or to a date range ANDs a few of those tags into the tsquery
(`period_cover`) and the GIN bitmap skips most rows outside it; the exact key bounds are then a
filter on the few rows left.

Matching uses the whole document's tsvector (GIN); ranking uses `head`, the tsvector of the
document's first `HEAD_TOKENS` tokens (title and lead). A whole vector averages 3.2 kB and is
stored out of line (TOAST), and reading one for ts_rank cost ~6 µs; the head (~0.7 kB) stays in
the row. Relevance therefore weighs the words of the title and opening lines, as a reader skimming
a bulletin does; documents that mention the words only further down rank after them, newest first.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.db import connection, transaction

from jianbao.search.backends.base import (
    IndexRow,
    MatchQuery,
    SearchBackend,
    WindowRow,
    date_of,
    doc_id_of,
    key_range,
    period_tags,
    period_tokens,
    scored_tokens,
    year_token,
)
from jianbao.text.search_query import Node

TSV = "search_tsv"
INSERT = f"INSERT INTO {TSV} (key, tsv, head, unit_ids) VALUES (%s, %s::tsvector, %s::tsvector, %s)"
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 255
# The first part read is expected to hold this many times the window: estimates of single words
# are within a few per cent, and a short part costs one more (smaller) query, not a re-read.
WINDOW_MARGIN = 1.25
# What ORing one period tag into a query costs the GIN, in heap visits of the same time (both
# measured warm on the million-entry benchmark: a year tag ~0.3 ms, a month tag ~0.1 ms, a heap
# visit ~1.2 µs; a visit read from the OS cache costs more). Up to MAX_PERIOD_TAGS are always used.
YEAR_TAG_VISITS = 250
MONTH_TAG_VISITS = 80
MAX_PERIOD_TAGS = 4


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
    if op == "andnot":
        return f"({render(children[0])} & !{render(children[1])})"
    joiner = " & " if op == "and" else " | "
    return "(" + joiner.join(render(child) for child in children) + ")"


def tsquery_text(query: MatchQuery) -> str:
    """The whole query: all required nodes and none of the excluded ones."""
    parts = [render(node) for node in query.required]
    parts += [f"!{render(node)}" for node in query.excluded]
    return " & ".join(parts)


def period_cover(first: date, last: date, *, leaves_out: float = 0.0) -> list[str]:
    """Period tags whose documents include every month from `first` to `last`: the exact months
    and years when few, or when the matches they leave out (`leaves_out`) pay for them, else
    rounded out to whole years; [] when none are worth ANDing into a query."""
    exact = period_tokens(first, last)
    years = [year_token(year) for year in range(first.year, last.year + 1)] if exact else []
    for tokens in (exact, years):
        cost = sum(YEAR_TAG_VISITS if t in years else MONTH_TAG_VISITS for t in tokens)
        if len(tokens) <= MAX_PERIOD_TAGS or cost <= leaves_out:
            return tokens
    return []


def where_clause(
    query: MatchQuery,
    *,
    since: int | None = None,
    before: int | None = None,
    newest: date | None = None,
    leaves_out: float = 0.0,
) -> tuple[str, list[Any]]:
    """The FROM/WHERE clause; with `newest` known, a lower key bound also adds a few period tags
    covering its months (`period_cover`), so the GIN bitmap itself skips most rows outside it;
    a longer cover only when the matches it leaves out (`leaves_out`, estimated by the window's
    parts) pay for its tags. `before` (exclusive) closes a part from above when the
    window is read part by part.

    Where the key bounds only trim they are written `key + 0`: left indexable, the planner ANDs
    a bitmap of every key in the range (180,000 entries for two years of a million-row archive,
    8 ms) into the bitmap the tags narrowed. They trim when tags were added, or when they come
    from `since` alone (a long range from `since` is only tried for words rare enough that
    visiting all their matches is cheap). A date filter no tags cover (a long range) keeps them
    indexable: the key bitmap then keeps the heap visits inside the range when the words are
    common outside it; so do the key walks past the window, which pass no `newest`.
    """
    text = tsquery_text(query)
    low, high = key_range(query.date_from, query.date_to)
    if since is not None:
        low = since if low is None else max(low, since)
    periods = ""
    if low is not None and newest is not None:
        first, last = date_of(low), min(query.date_to or newest, newest)
        if before is not None:
            last = min(last, date_of(before))
        cover = period_cover(first, last, leaves_out=leaves_out)
        periods = " | ".join(_lexeme(token) for token in cover)
        if periods:
            text = f"({text}) & ({periods})"
    dated = query.date_from is not None or query.date_to is not None
    key = "key + 0" if periods or not dated else "key"
    sql = f"FROM {TSV} WHERE tsv @@ %s::tsquery"
    params: list[Any] = [text]
    if low is not None:
        sql += f" AND {key} >= %s"
        params.append(low)
    if high is not None:
        sql += f" AND {key} <= %s"
        params.append(high)
    if before is not None:
        sql += f" AND {key} < %s"
        params.append(before)
    return sql, params


def _quantile(keys: list[int], fraction: float) -> int:
    """The key below which `fraction` of the rows lie, from histogram bounds (≥ 2 of them)."""
    # A bucket holds 1 % of the table: rounding to one overshot a frequent word's window 3×.
    position = fraction * (len(keys) - 1)
    index = min(int(position), len(keys) - 2)
    low, high = keys[index], keys[index + 1]
    return low + int((position - index) * (high - low))


# The histogram changes only when the table is analysed; reading pg_stats cost ~3 ms a search.
# A stale one only sizes the first part read less well: the window is complete either way.
HISTOGRAM_SECONDS = 300.0
_histograms: dict[str, tuple[float, list[int]]] = {}


def _histogram() -> list[int]:
    """The key histogram's bounds from ANALYZE, kept for a few minutes per process."""
    database = str(connection.settings_dict["NAME"])
    read_at, keys = _histograms.get(database, (-HISTOGRAM_SECONDS, []))
    now = time.monotonic()
    if now - read_at >= HISTOGRAM_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT histogram_bounds::text FROM pg_stats "
                "WHERE tablename = %s AND attname = 'key' LIMIT 1",
                [TSV],
            )
            found = cursor.fetchone()
        bounds = found[0] if found and found[0] else ""
        keys = [int(key) for key in bounds.strip("{}").split(",")] if bounds else []
        _histograms[database] = (now, keys)
    return keys


def _values(row: IndexRow) -> tuple[int, str, str, list[int]]:
    tokens = list(row.tokens)
    return (
        row.key,
        tsvector_literal(tokens + period_tags(row.date)),
        tsvector_literal(row.head),
        list(row.unit_ids),
    )


# A window sorts up to a few thousand rows that carry their head (~0.75 kB each); at the default
# 4 MB a phrase's 5,000 candidates spilled to disk (external merge, +10 ms).
SORT_MEMORY = "32MB"
PLANNER_SETTINGS = ("enable_seqscan", "enable_indexscan", "enable_bitmapscan", "jit", "work_mem")


def _settings(switches: list[str]) -> str:
    """One statement setting, for the current transaction, the planner switches off, JIT off and
    the sort memory up, and reading the newest key: a window needs it first, and reading it here
    saves a round trip (the walks past the window ignore it; the last key costs ~nothing)."""
    calls = [f"set_config('enable_{name}', 'off', true)" for name in switches]
    calls += ["set_config('jit', 'off', true)", f"set_config('work_mem', '{SORT_MEMORY}', true)"]
    return f"SELECT (SELECT max(key) FROM {TSV}), " + ", ".join(calls)


@contextmanager
def _planned(avoid: str = "") -> Iterator[tuple[Any, int | None]]:
    """A cursor whose statements may not use a sequential scan (nor `avoid`), nor JIT, with the
    newest key in the index."""
    # The planner prices `@@` as cheap, so for a frequent word it picks a sequential scan that
    # de-TOASTs every tsvector (55 ms against 3 ms for the GIN bitmap at 20 k rows); and the
    # inflated costs of a switched-off plan must not trigger JIT compilation.
    switches = ["seqscan", *([f"{avoid}scan"] if avoid else [])]
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_settings(switches))
        newest = cursor.fetchone()[0]
        yield cursor, newest
        if not outermost:
            # Inside a caller's transaction the settings would outlive this block.
            cursor.execute(
                "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name = ANY(%s)",
                [list(PLANNER_SETTINGS)],
            )


class PostgresBackend(SearchBackend):
    """The GIN index for the words, `head` for relevance, period tags to read the newest part."""

    vendor = "postgresql"

    def read_window(self, query: MatchQuery) -> list[WindowRow]:
        """Read the window from the newest part of the archive, then from older parts until full.

        The part is chosen from the planner's estimate of how common the query is (GIN stats)
        and the key histogram; its period tags are ANDed into the tsquery, so the bitmap skips
        (almost all) older rows. Each further step reads only the part below the previous one.
        Ranking reads `head`, which stays in the row (see the module note), and only for the
        rows kept.
        """
        # Ranked by the typed words alone, ORed: ts_rank scores a missing lexeme of an AND query
        # as if the document barely matched, flattening the scores of heads that hold only some
        # words; and the bigram alternatives of long words cost 2-6 ms a window to weigh.
        words = " | ".join(_lexeme(token) for token in scored_tokens(query.words))
        rank, rank_params = ("ts_rank(head, %s::tsquery)", [words]) if words else ("0", [])
        rows: list[WindowRow] = []
        before = None
        with _planned("index") as (cursor, top):
            if top is None:
                return []
            newest = date_of(top)
            estimate = self._matches(query)
            for since, share in [*self._bounds(query, estimate), (None, 1.0)]:
                leaves_out = (1 - share) * estimate
                sql, params = where_clause(
                    query, since=since, before=before, newest=newest, leaves_out=leaves_out
                )
                cursor.execute(
                    f"SELECT key, {rank}, coalesce(unit_ids, '{{}}') FROM "
                    f"(SELECT key, head, unit_ids {sql} ORDER BY key DESC LIMIT %s) newest",
                    [*rank_params, *params, self.rank_window - len(rows)],
                )
                rows += map(WindowRow._make, cursor.fetchall())
                if len(rows) >= self.rank_window or since is None:
                    break
                before = since
        return rows

    def _planned_rows(self, sql: str, params: list[Any]) -> float:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return max(float(plan[0]["Plan"]["Plan Rows"]), 1.0)

    def _matches(self, query: MatchQuery) -> float:
        """The planner's estimate of how many rows match (from the GIN statistics)."""
        return self._planned_rows(*where_clause(query))

    def _rows_in_range(self, query: MatchQuery) -> float:
        """The planner's estimate of the rows inside the query's date range."""
        low, high = key_range(query.date_from, query.date_to)
        bounds = [("key >= %s", low), ("key <= %s", high)]
        conditions = [(cond, value) for cond, value in bounds if value is not None]
        where = " AND ".join(cond for cond, _ in conditions) or "TRUE"
        return self._planned_rows(f"FROM {TSV} WHERE {where}", [v for _, v in conditions])

    def _avoid(self, query: MatchQuery, limit: int) -> str:
        """The scan to keep the planner from: walking the keys unless matches are common."""
        # Walking pays while it passes at most ~10,000 rows (limit ÷ share of matching rows).
        common = self._matches(query) * 10_000 >= limit * self._rows_in_range(query)
        return "bitmap" if common else "index"

    def _bounds(self, query: MatchQuery, estimate: float) -> list[tuple[int, float]]:
        """Keys above which the newest 1.25×, 5×, 20× … the expected window share of the
        searched date range lies (interpolated inside the histogram's buckets), with that
        share."""
        low, high = key_range(query.date_from, query.date_to)
        keys = [
            key
            for key in _histogram()
            if (low is None or key >= low) and (high is None or key <= high)
        ]
        if len(keys) < 2:
            return []
        share = WINDOW_MARGIN * self.rank_window / max(estimate, 1.0)
        bounds = []
        while share < 1:
            bounds.append((_quantile(keys, 1 - share), share))
            share *= 4
        return bounds

    def _column(self, sql: str, params: list[Any], avoid: str = "") -> list[Any]:
        return [row[0] for row in self._fetch(sql, params, avoid)]

    def _fetch(self, sql: str, params: list[Any], avoid: str = "") -> list[tuple[Any, ...]]:
        with _planned(avoid) as (cursor, _newest):
            cursor.execute(sql, params)
            return cursor.fetchall()

    def upsert(self, row: IndexRow, *, old: IndexRow | None) -> None:
        with connection.cursor() as cursor:
            if old is not None:
                cursor.execute(f"DELETE FROM {TSV} WHERE key = %s", [old.key])
            cursor.execute(INSERT, _values(row))

    def delete(self, row: IndexRow) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TSV} WHERE key = %s", [row.key])

    def bulk_insert(self, rows: Iterable[IndexRow]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(INSERT, [_values(row) for row in rows])

    def newest_beyond_window(self, query: MatchQuery, *, limit: int, offset: int) -> list[int]:
        sql, params = where_clause(query)
        keys = self._column(
            f"SELECT key {sql} ORDER BY key DESC LIMIT %s OFFSET %s",
            [*params, limit, offset],
            self._avoid(query, limit + offset),
        )
        return [doc_id_of(key) for key in keys]

    def count_beyond_window(self, query: MatchQuery, *, cap: int) -> int:
        sql, params = where_clause(query)
        return int(
            # Counting walks the GIN bitmap: an index walk would de-TOAST every row it passes.
            self._column(
                f"SELECT count(*) FROM (SELECT 1 {sql} LIMIT %s) s", [*params, cap], "index"
            )[0]
        )

    def optimize(self) -> None:
        """Refresh the statistics; outside a transaction also VACUUM, as autovacuum would."""
        # Until a VACUUM sets the hint bits and the visibility map, every search that reads a
        # page of fresh rows writes it back, and counting visits the heap.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {TSV}")
        _histograms.pop(str(connection.settings_dict["NAME"]), None)

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size(%s)", [TSV])
            return int(cursor.fetchone()[0])
