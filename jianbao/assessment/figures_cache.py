"""Figures of the ranking and statistics pages cached per period, keyed by a stamp of the data.

A province's ranking aggregates a year of ledger lines and adoptions on every request. The
figures only change when those rows do, so each process keeps the latest figures of each page,
period and class (at most `ENTRIES`, least recently used dropped) with a *stamp* of the tables
they were read from, and serves them while a stamp taken on every request is the same:

- for tables whose rows are only inserted and deleted (ledger lines, adoptions, submissions,
  decisions), the row count and the highest id: an insert raises the highest id (ids are never
  reused once committed: AUTOINCREMENT on SQLite, sequences on PostgreSQL), a delete lowers the
  count, so an equal stamp means the same rows. Tests and services that write ledger lines
  directly are seen like the recompute's;
- for the small tables edited in place (units, classes, class memberships), the caller passes
  their rows (it reads them anyway) and they must be equal.

Never stale: a changed stamp recomputes and replaces the entry. Figures are stored only outside
a transaction (rows written in one may still roll back, and SQLite reuses the ids of rolled-back
rows) and only when the stamp is the same after computing them.

Kept in process memory rather than Django's cache: the cache pickles, and unpickling 3,000
ranked lines cost about as much as computing them. The objects are shared between requests, so
callers treat them as read-only (copy before changing).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count, Max, Model

T = TypeVar("T")
TableStamp = tuple[tuple[int, int], ...]
ENTRIES = 48  # page × period × class combinations kept per process
_store: OrderedDict[tuple[Any, ...], tuple[Any, Any]] = OrderedDict()
_lock = threading.Lock()


def table_stamp(models: Iterable[type[Model]]) -> TableStamp:
    """Row count and highest id of each table (insert- and delete-only tables)."""
    stamp = []
    for model in models:
        row = model._default_manager.order_by().aggregate(n=Count("*"), top=Max("pk"))
        stamp.append((row["n"], row["top"] or 0))
    return tuple(stamp)


def cached_figures(
    name: str,
    parts: tuple[Any, ...],
    models: Iterable[type[Model]],
    compute: Callable[[], T],
    *,
    also: Any = (),
    stamp: TableStamp | None = None,
) -> T:
    """`compute()`, or its stored result for the same name and parts while the tables' stamp
    and `also` (rows read anyway, compared by equality) are unchanged. The result is shared
    between requests: do not change it. `stamp`: the tables' stamp when the caller took it."""
    tables = tuple(models)
    key = (name, *parts)
    current = (stamp if stamp is not None else table_stamp(tables), also)
    with _lock:
        found = _store.get(key)
        if found is not None and found[0] == current:
            _store.move_to_end(key)
            return found[1]
    result = compute()
    if may_store() and table_stamp(tables) == current[0]:
        with _lock:
            _store[key] = (current, result)
            _store.move_to_end(key)
            while len(_store) > ENTRIES:
                _store.popitem(last=False)
    return result


def may_store() -> bool:
    """Outside a transaction only: what a transaction wrote may still roll back."""
    return not connection.in_atomic_block


def clear() -> None:
    """Forget every stored figure (tests)."""
    with _lock:
        _store.clear()
