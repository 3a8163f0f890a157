"""Background work of the search index (run by `jianbao worker`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django_tasks import task

from jianbao.accounts.models import User
from jianbao.accounts.services import record_audit_event
from jianbao.search.services import rebuild_index


@task()
def rebuild_search_index() -> int:
    """Re-index everything in small transactions, so web requests keep working meanwhile."""
    return rebuild_index()


def enqueue_rebuild(*, actor: User) -> str:
    """Queue a full rebuild for `jianbao worker`; only administrators may."""
    if not actor.is_superuser:
        raise PermissionDenied("只有管理员可以重建检索索引。")
    result = rebuild_search_index.enqueue()
    record_audit_event(action="search.reindex", actor=actor, object_type="search")
    return str(result.id)
