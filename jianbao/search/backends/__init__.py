"""Full-text backends behind one interface, chosen by the database vendor."""

from __future__ import annotations

from django.db import connection

from jianbao.search.backends.base import IndexRow, MatchQuery, SearchBackend
from jianbao.search.backends.postgres import PostgresBackend
from jianbao.search.backends.sqlite import SqliteBackend

__all__ = ["IndexRow", "MatchQuery", "SearchBackend", "get_backend"]


def get_backend() -> SearchBackend:
    """The backend for the default database (SQLite FTS5 or PostgreSQL tsvector)."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"no search backend for database vendor {connection.vendor!r}")
