"""Every write to the search index. Each runs inside the caller's transaction (or its own)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Required, TypedDict, Unpack, cast

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from jianbao.accounts.models import Unit
from jianbao.search.backends import IndexRow, get_backend
from jianbao.search.backends.base import TAG
from jianbao.search.models import DocType, SearchDocument
from jianbao.submissions.models import Submission
from jianbao.text.search_query import index_tokens

Progress = Callable[[int, int], None]

# States in which a submission is still the unit's own business (see submissions.selectors).
UNIT_PRIVATE_STATES = frozenset({"draft", "awaiting_unit_approval", "sent_back"})


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


def _unit_words(unit_ids: Sequence[int], known: dict[int, str] | None = None) -> str:
    """Names, short names and aliases, so 「上街区总工会」 finds items of 「区总工会」 (`known`
    caches them by unit across the documents of a rebuild)."""
    known = {} if known is None else known
    missing = [uid for uid in unit_ids if uid not in known]
    if missing:
        for unit in Unit.objects.filter(pk__in=missing).prefetch_related("aliases"):
            words = [unit.name, unit.short_name, *(alias.name for alias in unit.aliases.all())]
            known[unit.pk] = " ".join(w for w in words if w)
    return " ".join(w for uid in unit_ids if (w := known.get(uid, "")))


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


class DocumentSpec(TypedDict, total=False):
    """What a document is indexed from (the arguments of `index_document` but its key)."""

    title: Required[str]
    body: Required[str]
    unit_ids: Required[Sequence[int]]
    unit_names: Required[str]
    visibility: Required[Sequence[str]]
    series: str
    year: int | None
    number: int | None
    state: str
    kind: str
    date: date | None
    extra_text: str


def document_fields(
    *, doc_type: str, units: dict[int, str] | None = None, **spec: Unpack[DocumentSpec]
) -> dict[str, Any]:
    """The columns of a document's SearchDocument, tokens included (reads and segmentation only:
    callers compute them before taking the write lock; `units` caches the units' words)."""
    unit_ids = list(dict.fromkeys(spec["unit_ids"]))
    series, state, kind = spec.get("series", ""), spec.get("state", ""), spec.get("kind", "")
    words = [spec["title"], spec["body"], spec["unit_names"], _unit_words(unit_ids, units), series]
    tokens = document_tokens(
        text="\n".join([*words, spec.get("extra_text", "")]), doc_type=doc_type,
        unit_ids=unit_ids, series=series, state=state, kind=kind, visibility=spec["visibility"],
    )  # fmt: skip
    return {
        "title": spec["title"], "body": spec["body"], "unit_ids": unit_ids,
        "unit_names": spec["unit_names"], "series": series, "year": spec.get("year"),
        "number": spec.get("number"), "state": state, "kind": kind, "date": spec.get("date"),
        "visibility": " ".join(spec["visibility"]), "tokens": " ".join(tokens),
    }  # fmt: skip


def _write_document(
    *, doc_type: str, object_id: int, fields: dict[str, Any], document: SearchDocument | None
) -> SearchDocument:
    """Store computed fields over `document` (its current row, read in this transaction)."""
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
def index_document(
    *, doc_type: str, object_id: int, **spec: Unpack[DocumentSpec]
) -> SearchDocument:
    """Add or replace one document; it is findable as soon as the transaction commits."""
    fields = document_fields(doc_type=doc_type, **spec)
    document = (
        SearchDocument.objects.select_for_update()
        .filter(doc_type=doc_type, object_id=object_id)
        .first()
    )
    return _write_document(doc_type=doc_type, object_id=object_id, fields=fields, document=document)


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


Described = tuple[str, int, DocumentSpec]


def describe_submission(submission: Submission) -> Described:
    """A submission's document key and what it is indexed from."""
    others = [u for u in submission.source_units.all() if u.pk != submission.unit_id]
    units = [submission.unit, *others]
    when = submission.submitted_at or submission.created_at or timezone.now()
    spec: DocumentSpec = {
        "title": submission.title,
        "body": submission.body,
        "unit_ids": [unit.pk for unit in units],
        "unit_names": "、".join(unit.name for unit in units),
        "state": submission.state,
        "kind": submission.kind,
        "date": timezone.localdate(when),
        "visibility": submission_visibility(unit_id=submission.unit_id, state=submission.state),
        "extra_text": str(submission.author),
    }
    return DocType.SUBMISSION, submission.pk, spec


def index_submission(submission: Submission) -> SearchDocument:
    """Index a submission as it is now (called at the end of every submission write)."""
    doc_type, object_id, spec = describe_submission(submission)
    return index_document(doc_type=doc_type, object_id=object_id, **spec)


def describe_entry(entry: Any) -> Described:
    """A printed entry's document key and what it is indexed from (archive issues give
    archive_entry); callers prefetch sources__unit."""
    issue = entry.issue
    units = [source.unit for source in entry.sources.all()]
    spec: DocumentSpec = {
        "title": entry.title,
        "body": entry.body,
        "unit_ids": list(dict.fromkeys(unit.pk for unit in units)),
        "unit_names": "、".join(dict.fromkeys(unit.name for unit in units)),
        "series": issue.series.title,
        "year": issue.year,
        "number": issue.number,
        "state": issue.state,
        "kind": entry.kind,
        "date": issue.issue_date,
        "visibility": ["office", "published"] if issue.state == "published" else ["office"],
        "extra_text": " ".join([entry.source_line or "", *issue.editors]),
    }
    return DocType.ARCHIVE_ENTRY if issue.is_archive else DocType.ENTRY, entry.pk, spec


def index_entry(entry: Any) -> SearchDocument:
    """Index a printed entry of an issue (a bulletins.Entry)."""
    doc_type, object_id, spec = describe_entry(entry)
    return index_document(doc_type=doc_type, object_id=object_id, **spec)


def _submissions() -> QuerySet[Any]:
    qs = Submission.objects.select_related("unit", "author").prefetch_related("source_units")
    return qs.order_by("pk")


def _entries() -> QuerySet[Any] | None:
    if not apps.is_installed("jianbao.bulletins"):
        return None
    entry_model = apps.get_model("bulletins", "Entry")
    qs = entry_model.objects.select_related("issue__series").prefetch_related("sources__unit")
    return qs.exclude(issue__state="voided").order_by("pk")


def _total() -> int:
    total = Submission.objects.count()
    if apps.is_installed("jianbao.bulletins"):
        entry_model = apps.get_model("bulletins", "Entry")
        total += entry_model.objects.exclude(issue__state="voided").count()
    return total


def _write_batch(prepared: list[tuple[str, int, dict[str, Any]]], read_at: datetime) -> None:
    """One short write step of a rebuild: store the computed rows (new ones in bulk); a document
    re-indexed by a live write since the batch was read is newer than what was computed, and
    stays."""
    by_type: dict[str, list[int]] = {}
    for doc_type, object_id, _ in prepared:
        by_type.setdefault(doc_type, []).append(object_id)
    wanted = Q()
    for doc_type, ids in by_type.items():  # along the unique (doc_type, object_id) index
        wanted |= Q(doc_type=doc_type, object_id__in=ids)
    current = {(doc.doc_type, doc.object_id): doc for doc in SearchDocument.objects.filter(wanted)}
    fresh = []
    for doc_type, object_id, fields in prepared:
        document = current.get((doc_type, object_id))
        if document is None:
            fresh.append(SearchDocument(doc_type=doc_type, object_id=object_id, **fields))
        elif document.indexed_at < read_at:
            _write_document(
                doc_type=doc_type, object_id=object_id, fields=fields, document=document
            )
    if fresh:
        created = SearchDocument.objects.bulk_create(fresh)
        get_backend().bulk_insert(index_row(document) for document in created)


def _write_step(prepared: list[tuple[str, int, dict[str, Any]]], read_at: datetime) -> None:
    """Write a batch in its own short transaction; a document a live write created meanwhile
    (unique key taken) is found, and kept, on the second try."""
    try:
        with transaction.atomic():
            _write_batch(prepared, read_at)
    except IntegrityError:
        with transaction.atomic():
            _write_batch(prepared, read_at)


def _index_batches(
    queryset: QuerySet[Any] | None, describe: Callable[[Any], Described],
    done: int, total: int, progress: Progress | None,
) -> int:  # fmt: skip
    """Index a queryset batch by batch: read a batch (by primary key, no long-lived cursor) and
    compute its rows outside any transaction, then write them in one short transaction."""
    if queryset is None:
        return done
    # Rows created after this point index themselves as they are saved.
    last_pk, end_pk = 0, queryset.aggregate(end=Max("pk"))["end"] or 0
    size, units = settings.JIANBAO_REINDEX_BATCH, cast(dict[int, str], {})
    while last_pk < end_pk:
        read_at = timezone.now()
        batch = list(queryset.filter(pk__gt=last_pk, pk__lte=end_pk)[:size])
        if not batch:
            break
        last_pk = batch[-1].pk
        prepared = []
        for obj in batch:
            doc_type, object_id, spec = describe(obj)
            fields = document_fields(doc_type=doc_type, units=units, **spec)
            prepared.append((doc_type, object_id, fields))
        _write_step(prepared, read_at)
        done += len(batch)
        if progress:
            progress(done, total)
    return done


def _orphans(*, untouched_since: datetime) -> list[tuple[str, int]]:
    """Documents the rebuild did not touch whose object is gone. Untouched alone is not enough:
    a save that indexed itself just before the rebuild began but committed after the rebuild
    read its id range is live and current."""
    stale: dict[str, list[int]] = {}
    untouched = SearchDocument.objects.filter(indexed_at__lt=untouched_since)
    for doc_type, object_id in untouched.values_list("doc_type", "object_id"):
        stale.setdefault(doc_type, []).append(object_id)
    entries = _entries()
    sources = {DocType.SUBMISSION: _submissions(), DocType.ENTRY: entries,
               DocType.ARCHIVE_ENTRY: entries}  # fmt: skip
    orphans: list[tuple[str, int]] = []
    for doc_type, ids in stale.items():
        source = sources.get(cast(DocType, doc_type))
        live = set(source.filter(pk__in=ids).values_list("pk", flat=True)) if source else set()
        orphans.extend((doc_type, object_id) for object_id in ids if object_id not in live)
    return orphans


def rebuild_index(*, progress: Progress | None = None) -> int:
    """Re-index every submission and entry from the database, then drop orphans; returns the count.

    The index is updated in place in short committed steps (each well under 100 ms), so search
    keeps answering and users keep saving during a rebuild.
    """
    started = timezone.now()
    total = _total()
    done = _index_batches(_submissions(), describe_submission, 0, total, progress)
    done = _index_batches(_entries(), describe_entry, done, total, progress)
    for doc_type, object_id in _orphans(untouched_since=started):
        remove_document(doc_type=doc_type, object_id=object_id)
    get_backend().compact()
    return done
