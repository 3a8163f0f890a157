"""Every write to the search index. Each runs inside the caller's transaction (or its own)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from jianbao.accounts.models import Unit
from jianbao.search.backends import IndexRow, get_backend
from jianbao.search.backends.base import TAG
from jianbao.search.models import DocType, SearchDocument
from jianbao.submissions.models import Submission
from jianbao.text.search_query import index_tokens

Progress = Callable[[int, int], None]
BATCH = 200

# States in which a submission is still the unit's own business (see submissions.selectors).
UNIT_PRIVATE_STATES = frozenset({"draft", "awaiting_unit_approval"})


def _slug(value: str) -> str:
    """A tag-safe form of a value (the FTS5 tokenizer splits on underscores and punctuation)."""
    if value.isascii() and value.replace("_", "").isalnum():
        return value.replace("_", "").lower()
    return hashlib.md5(value.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


def visibility_token(tag: str) -> str:
    """ "office", "unit:12", "published", "leader" → an index token."""
    return f"{TAG}v{_slug(tag.replace(':', ''))}"


# Audiences that see most of the archive. Requiring their tag would make every query walk a
# posting list as long as the archive, so a document instead carries "not visible to X" for each
# of them it is hidden from, and queries exclude those (short) lists.
BROAD_AUDIENCES = ("office", "published", "leader")


def hidden_token(audience: str) -> str:
    """The tag of documents hidden from a broad audience."""
    return f"{TAG}vnot{audience}"


def unit_token(unit_id: int) -> str:
    return f"{TAG}u{unit_id}"


def filter_token(name: str, value: str | int) -> str:
    """Tokens for the filters: t (doc type), k (kind), s (state), r (series)."""
    return f"{TAG}{name}{_slug(str(value))}"


ALL_TOKEN = f"{TAG}all"


def tag_tokens(
    *,
    doc_type: str,
    unit_ids: Sequence[int],
    series: str,
    state: str,
    kind: str,
    visibility: Sequence[str],
) -> list[str]:
    tokens = [ALL_TOKEN, filter_token("t", doc_type)]
    tokens += [unit_token(uid) for uid in unit_ids]
    tokens += [visibility_token(tag) for tag in visibility]
    tokens += [hidden_token(tag) for tag in BROAD_AUDIENCES if tag not in visibility]
    if series:
        tokens.append(filter_token("r", series))
    if state:
        tokens.append(filter_token("s", state))
    if kind:
        tokens.append(filter_token("k", kind))
    return tokens


def _unit_words(unit_ids: Sequence[int]) -> str:
    """Names, short names and aliases, so 「上街区总工会」 finds items of 「区总工会」."""
    words: list[str] = []
    for unit in Unit.objects.filter(pk__in=unit_ids).prefetch_related("aliases"):
        words += [unit.name, unit.short_name, *(alias.name for alias in unit.aliases.all())]
    return " ".join(w for w in words if w)


def document_tokens(
    *,
    text: str,
    doc_type: str,
    unit_ids: Sequence[int],
    series: str,
    state: str,
    kind: str,
    visibility: Sequence[str],
) -> list[str]:
    """Words of the text followed by the tag tokens (used by services and the benchmark)."""
    return index_tokens(text) + tag_tokens(
        doc_type=doc_type,
        unit_ids=unit_ids,
        series=series,
        state=state,
        kind=kind,
        visibility=visibility,
    )


def index_row(document: SearchDocument) -> IndexRow:
    """What the full-text backend holds for a document (also what it must forget)."""
    return IndexRow(
        doc_id=document.pk,
        date=document.date,
        tokens=document.tokens.split(),
        unit_ids=list(document.unit_ids or []),
    )


@transaction.atomic
def index_document(
    *,
    doc_type: str,
    object_id: int,
    title: str,
    body: str,
    unit_ids: Sequence[int],
    unit_names: str,
    series: str = "",
    year: int | None = None,
    number: int | None = None,
    state: str = "",
    kind: str = "",
    date: date | None = None,
    visibility: Sequence[str],
    extra_text: str = "",
) -> SearchDocument:
    """Add or replace one document; it is findable as soon as the transaction commits."""
    unit_ids = list(dict.fromkeys(unit_ids))
    text = "\n".join([title, body, unit_names, _unit_words(unit_ids), series, extra_text])
    tokens = document_tokens(
        text=text, doc_type=doc_type, unit_ids=unit_ids, series=series, state=state,
        kind=kind, visibility=visibility,
    )  # fmt: skip
    fields: dict[str, Any] = {
        "title": title, "body": body, "unit_ids": unit_ids, "unit_names": unit_names,
        "series": series, "year": year, "number": number, "state": state, "kind": kind,
        "date": date, "visibility": " ".join(visibility), "tokens": " ".join(tokens),
    }  # fmt: skip
    document = (
        SearchDocument.objects.select_for_update()
        .filter(doc_type=doc_type, object_id=object_id)
        .first()
    )
    old = index_row(document) if document else None
    if document is None:
        document = SearchDocument.objects.create(doc_type=doc_type, object_id=object_id, **fields)
    else:
        for name, value in fields.items():
            setattr(document, name, value)
        document.save()
    get_backend().upsert(index_row(document), old=old)
    return document


@transaction.atomic
def remove_document(*, doc_type: str, object_id: int) -> bool:
    """Take a document out of the index; True if it was there."""
    document = SearchDocument.objects.filter(doc_type=doc_type, object_id=object_id).first()
    if document is None:
        return False
    get_backend().delete(index_row(document))
    document.delete()
    return True


def submission_visibility(*, unit_id: int, state: str) -> list[str]:
    """Who may find a submission: its unit always; the office once it left the unit."""
    if state in UNIT_PRIVATE_STATES:
        return [f"unit:{unit_id}"]
    tags = ["office", f"unit:{unit_id}"]
    if state == "published":
        tags.append("leader")
    return tags


def index_submission(submission: Submission) -> SearchDocument:
    """Index a submission as it is now (called at the end of every submission write)."""
    units = [submission.unit, *submission.source_units.exclude(pk=submission.unit_id)]
    when = submission.submitted_at or submission.created_at or timezone.now()
    return index_document(
        doc_type=DocType.SUBMISSION,
        object_id=submission.pk,
        title=submission.title,
        body=submission.body,
        unit_ids=[unit.pk for unit in units],
        unit_names="、".join(unit.name for unit in units),
        state=submission.state,
        kind=submission.kind,
        date=timezone.localdate(when),
        visibility=submission_visibility(unit_id=submission.unit_id, state=submission.state),
        extra_text=str(submission.author),
    )


def index_entry(entry: Any) -> SearchDocument:
    """Index a printed entry of an issue (a bulletins.Entry); archive issues give archive_entry."""
    issue = entry.issue
    units = [source.unit for source in entry.sources.all()]  # callers prefetch sources__unit
    published = issue.state == "published"
    return index_document(
        doc_type=DocType.ARCHIVE_ENTRY if issue.is_archive else DocType.ENTRY,
        object_id=entry.pk,
        title=entry.title,
        body=entry.body,
        unit_ids=list(dict.fromkeys(unit.pk for unit in units)),
        unit_names="、".join(dict.fromkeys(unit.name for unit in units)),
        series=issue.series.title,
        year=issue.year,
        number=issue.number,
        state=issue.state,
        kind=entry.kind,
        date=issue.issue_date,
        visibility=["office", "published"] if published else ["office"],
        extra_text=" ".join([entry.source_line or "", *issue.editors]),
    )


def _submissions() -> Iterator[Any]:
    qs = Submission.objects.select_related("unit", "author").prefetch_related("source_units")
    yield from qs.order_by("pk").iterator(chunk_size=BATCH)


def _entries() -> Iterator[Any]:
    if not apps.is_installed("jianbao.bulletins"):
        return
    entry_model = apps.get_model("bulletins", "Entry")
    qs = entry_model.objects.select_related("issue__series").prefetch_related("sources__unit")
    yield from qs.exclude(issue__state="voided").order_by("pk").iterator(chunk_size=BATCH)


def _total() -> int:
    total = Submission.objects.count()
    if apps.is_installed("jianbao.bulletins"):
        entry_model = apps.get_model("bulletins", "Entry")
        total += entry_model.objects.exclude(issue__state="voided").count()
    return total


def _index_batches(
    objects: Iterable[Any], index: Callable[[Any], SearchDocument],
    done: int, total: int, progress: Progress | None,
) -> int:  # fmt: skip
    batch: list[Any] = []
    for obj in [*objects, None]:
        if obj is not None:
            batch.append(obj)
        if batch and (obj is None or len(batch) >= BATCH):
            # Short transactions: web requests keep writing between batches.
            with transaction.atomic():
                for item in batch:
                    index(item)
            done += len(batch)
            batch = []
            if progress:
                progress(done, total)
    return done


def rebuild_index(*, progress: Progress | None = None) -> int:
    """Re-index every submission and entry from the database, then drop orphans; returns the count.

    The index is updated in place, batch by batch, so search keeps answering during a rebuild.
    """
    started = timezone.now()
    total = _total()
    done = _index_batches(_submissions(), index_submission, 0, total, progress)
    done = _index_batches(_entries(), index_entry, done, total, progress)
    # Every live object was just saved again; what was not touched has no object any more.
    orphans = SearchDocument.objects.filter(indexed_at__lt=started)
    for doc_type, object_id in list(orphans.values_list("doc_type", "object_id")):
        remove_document(doc_type=doc_type, object_id=object_id)
    get_backend().optimize()
    return done
