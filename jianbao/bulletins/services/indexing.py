"""Keeps the search index in step with issue and entry writes, in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable

from jianbao.bulletins.models import Entry, Issue
from jianbao.bulletins.workflow import IssueState
from jianbao.search.models import DocType
from jianbao.search.services import index_entry, remove_document


def _doc_type(issue: Issue) -> str:
    return DocType.ARCHIVE_ENTRY if issue.is_archive else DocType.ENTRY


def index_entries(entries: Iterable[Entry]) -> None:
    """Make saved entries findable at once (the office sees drafts, readers published ones)."""
    for entry in entries:
        index_entry(entry)


def unindex_entry(issue: Issue, entry_pk: int) -> None:
    """A removed entry is no longer found."""
    remove_document(doc_type=_doc_type(issue), object_id=entry_pk)


def index_issue(issue: Issue) -> None:
    """Re-index every entry after a header or state change; a voided issue's entries go."""
    entries = list(issue.entries.select_related("issue__series").prefetch_related("sources__unit"))
    if issue.state == IssueState.VOIDED:
        for entry in entries:
            unindex_entry(issue, entry.pk)
        return
    index_entries(entries)
