"""Background work of the search index (run by `jianbao worker`)."""

from __future__ import annotations

from django_tasks import task

from jianbao.search.services import rebuild_index


@task()
def rebuild_search_index() -> int:
    """Re-index everything in small transactions, so web requests keep working meanwhile."""
    return rebuild_index()
