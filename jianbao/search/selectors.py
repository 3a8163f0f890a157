"""Permission-scoped search: the one choke point for what a user may find."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Case, Count, OuterRef, Q, QuerySet, Subquery, When
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from jianbao.accounts.models import Unit, User
from jianbao.search.backends import MatchQuery, SearchBackend, get_backend
from jianbao.search.highlight import marked
from jianbao.search.models import DocType, SearchDocument
from jianbao.search.services import (
    ALL_TOKEN,
    BROAD_AUDIENCES,
    filter_token,
    hidden_token,
    unit_token,
    visibility_token,
)
from jianbao.submissions.workflow import State
from jianbao.text.search_query import (
    Node,
    ParsedQuery,
    Term,
    highlight_spans,
    make_snippet,
    parse_query,
)

PAGE_SIZE = 20
MAX_PAGE = 100
# Phrases and single characters are checked as substrings among this many newest candidates.
SCAN_WINDOW = 2_000
# Unit counts are taken over this many most recent matches when there are more.
FACET_WINDOW = 2_000

ISSUE_STATE_LABELS = {
    "draft": "编辑中",
    "proof": "校样",
    "signed": "已签发",
    "published": "已印发",
    "voided": "已作废",
}
KIND_LABELS = {"item": "信息", "brief": "简讯", "special": "专报素材", "note": "按语"}


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"


@dataclass(frozen=True)
class SearchFilters:
    unit_id: int | None = None
    series: str | None = None
    kind: str | None = None
    state: str | None = None
    doc_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def any(self) -> bool:
        """Whether any filter is set."""
        return any(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class Hit:
    doc_type: str
    object_id: int
    title: str
    title_spans: list[tuple[int, int]]
    snippet: str
    snippet_spans: list[tuple[int, int]]
    unit_names: str
    series: str
    year: int | None
    number: int | None
    state: str
    state_label: str
    kind: str
    kind_label: str
    date: date | None
    url: str | None

    @property
    def title_html(self) -> SafeString:
        """The title, escaped, with the query words in <mark>."""
        return marked(self.title, self.title_spans)

    @property
    def snippet_html(self) -> SafeString:
        """The passage, escaped, with the query words in <mark>."""
        return marked(self.snippet, self.snippet_spans)

    @property
    def doc_type_label(self) -> str:
        """稿件 / 简报条目 / 历史档案."""
        return str(DocType(self.doc_type).label) if self.doc_type in DocType.values else ""

    @property
    def source_label(self) -> str:
        """「上街信息 2024年第35期」 for printed entries, the state for submissions."""
        if self.series and self.number:
            return f"{self.series} {self.year}年第{self.number}期"
        return self.state_label


@dataclass(frozen=True)
class UnitFacet:
    unit_id: int
    name: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    sort: Sort
    page: int
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    total_capped: bool = False
    facets: list[UnitFacet] = field(default_factory=list)
    facets_partial: bool = False
    scanned: bool = False
    took_ms: float = 0.0

    @property
    def has_next(self) -> bool:
        """Whether a further page exists."""
        return self.page * PAGE_SIZE < self.total and self.page < MAX_PAGE


def user_visibility(user: User) -> list[str]:
    """The visibility tags a user holds (mirrors submissions_visible_to); [] sees nothing."""
    if not user.is_authenticated or not user.is_active:
        return []
    tags: list[str] = []
    if user.is_office_staff:
        tags.append("office")
    if (user.is_reporter or user.is_unit_approver) and user.unit_id is not None:
        tags += [f"unit:{user.unit_id}", "published"]
    if user.is_leader:
        tags += ["published", "leader"]
    return list(dict.fromkeys(tags))


def may_search(user: User) -> bool:
    """Whether the user can find anything at all (outsiders are refused the page and the API)."""
    return bool(user_visibility(user))


def _one_of(tokens: list[str]) -> Node:
    children: list[Node] = list(tokens)
    return tokens[0] if len(tokens) == 1 else ("or", children)


def _filter_nodes(filters: SearchFilters, *, with_unit: bool = True) -> list[Node]:
    nodes: list[Node] = []
    if filters.unit_id and with_unit:
        nodes.append(unit_token(filters.unit_id))
    for name, value in (
        ("r", filters.series),
        ("k", filters.kind),
        ("s", filters.state),
        ("t", filters.doc_type),
    ):
        if value:
            nodes.append(filter_token(name, value))
    return nodes


def _visibility(tags: list[str]) -> tuple[Node | None, Node | None]:
    """(required, excluded) nodes that keep what the user may not see out of the results.

    Broad audiences are checked by excluding the documents hidden from all of them (unless they
    carry one of the user's unit tags); unit-only users require their unit tags.
    """
    broad = [hidden_token(tag) for tag in tags if tag in BROAD_AUDIENCES]
    units = [visibility_token(tag) for tag in tags if tag not in BROAD_AUDIENCES]
    if not broad:
        return _one_of(units), None
    children: list[Node] = list(broad)
    hidden: Node = broad[0] if len(broad) == 1 else ("and", children)
    return None, ("andnot", [hidden, _one_of(units)]) if units else hidden


def _match(parsed: ParsedQuery, filters: SearchFilters, tags: list[str], **kw: bool) -> MatchQuery:
    words = [t.node for t in parsed.terms if t.node is not None]
    required = words + _filter_nodes(filters, **kw)
    excluded = [t.node for t in parsed.excluded if t.node is not None and not t.phrase]
    must, must_not = _visibility(tags)
    required += [must] if must is not None else []
    excluded += [must_not] if must_not is not None else []
    if not required:
        required = [ALL_TOKEN]  # browsing by filters alone: every document, newest first
    return MatchQuery(
        required=required, excluded=excluded, words=words,
        date_from=filters.date_from, date_to=filters.date_to,
    )  # fmt: skip


def _substring(term: Term) -> Q:
    text = term.text
    if not any(ch.isascii() and ch.isalpha() for ch in text):
        # Chinese has no case: a plain substring test spares PostgreSQL an UPPER() of every body.
        return Q(title__holds=text) | Q(body__holds=text) | Q(unit_names__holds=text)
    return Q(title__icontains=text) | Q(body__icontains=text) | Q(unit_names__icontains=text)


def _scan_terms(parsed: ParsedQuery) -> tuple[list[Term], list[Term]]:
    """Terms the word index cannot decide alone: phrases and lone characters."""
    keep = [t for t in parsed.terms if t.phrase or t.needs_scan]
    drop = [t for t in parsed.excluded if t.phrase or t.needs_scan]
    return keep, drop


def _passing_ids(ids: list[int], keep: list[Term], drop: list[Term]) -> set[int]:
    """Those ids whose text holds every kept substring and no dropped one."""
    qs = SearchDocument.objects.filter(pk__any_of=frozenset(ids))
    for term in keep:
        qs = qs.filter(_substring(term))
    for term in drop:
        qs = qs.exclude(_substring(term))
    return set(qs.values_list("pk", flat=True))


def _facets(counts: dict[int, int]) -> list[UnitFacet]:
    names = dict(Unit.objects.filter(pk__any_of=counts).values_list("pk", "name"))
    return [
        UnitFacet(unit_id=uid, name=names.get(uid, f"#{uid}"), count=n)
        for uid, n in sorted(counts.items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))
    ]


def _with_issue_ids(documents: QuerySet[SearchDocument]) -> QuerySet[SearchDocument]:
    """Annotate printed entries with their issue's id (their page is the issue as printed),
    read in the same statement as the documents."""
    entry_model = apps.get_model("bulletins", "Entry")
    issue = entry_model.objects.filter(pk=OuterRef("object_id")).values("issue_id")[:1]
    printed = When(~Q(doc_type=DocType.SUBMISSION), then=Subquery(issue))
    return documents.annotate(issue_id=Case(printed, default=None, output_field=BigIntegerField()))


def _url(doc: SearchDocument) -> str | None:
    try:
        if doc.doc_type == DocType.SUBMISSION:
            return reverse("submissions:detail", args=[doc.object_id])
        issue_id = getattr(doc, "issue_id", None)
        if issue_id is not None:
            return f"{reverse('bulletins:read', args=[issue_id])}#entry-{doc.object_id}"
    except NoReverseMatch:
        pass
    return None


def _state_label(doc: SearchDocument) -> str:
    if doc.doc_type == DocType.SUBMISSION:
        return str(State(doc.state).label) if doc.state in State.values else doc.state
    return ISSUE_STATE_LABELS.get(doc.state, doc.state)


def _hit(doc: SearchDocument, words: list[str], url: str | None) -> Hit:
    title = doc.title or doc.body[:40]
    title_spans = highlight_spans(title, words)
    snippet, spans = make_snippet(doc.body, words)
    return Hit(
        doc_type=doc.doc_type, object_id=doc.object_id, title=title, title_spans=title_spans,
        snippet=snippet, snippet_spans=spans, unit_names=doc.unit_names, series=doc.series,
        year=doc.year, number=doc.number, state=doc.state, state_label=_state_label(doc),
        kind=doc.kind, kind_label=KIND_LABELS.get(doc.kind, doc.kind), date=doc.date,
        url=url,
    )  # fmt: skip


def _hits(ids: list[int], parsed: ParsedQuery) -> list[Hit]:
    docs = _with_issue_ids(SearchDocument.objects.defer("tokens")).in_bulk(ids)
    words = parsed.highlight_words
    return [_hit(docs[pk], words, _url(docs[pk])) for pk in ids if pk in docs]


def _ordered(
    backend: SearchBackend, match: MatchQuery, sort: Sort, *, limit: int, offset: int = 0
) -> list[int]:
    if sort == Sort.DATE:
        return backend.newest(match, limit=limit, offset=offset)
    return backend.ranked(match, limit=limit, offset=offset)


def search(
    user: User,
    query: str,
    filters: SearchFilters | None = None,
    sort: Sort | str = Sort.RELEVANCE,
    page: int = 1,
) -> SearchResults:
    """Documents `user` may see that match `query` and `filters`, one page, with unit counts."""
    started = time.perf_counter()
    filters = filters or SearchFilters()
    sort = Sort(sort) if sort in Sort.__members__.values() else Sort.RELEVANCE
    page = min(max(page, 1), MAX_PAGE)
    parsed = parse_query(query)
    tags = user_visibility(user)
    empty = SearchResults(query=query, sort=sort, page=page)
    if not tags or (parsed.is_empty and not filters.any):
        return empty
    keep, drop = _scan_terms(parsed)
    result = (
        _search_scanned(
            parsed=parsed, filters=filters, tags=tags, sort=sort, page=page, keep=keep, drop=drop
        )
        if keep or drop
        else _search_indexed(parsed, filters, tags, sort, page)
    )
    return replace(result, query=query, took_ms=(time.perf_counter() - started) * 1000)


def _matches(
    backend: SearchBackend, parsed: ParsedQuery, filters: SearchFilters, tags: list[str]
) -> tuple[MatchQuery, MatchQuery]:
    """The query, and the one the unit counts come from (the same without a unit filter);
    the backend answers a unit-filtered query from the other's window when it can."""
    match = _match(parsed, filters, tags)
    if not filters.unit_id:
        return match, match
    facet_match = _match(parsed, filters, tags, with_unit=False)
    backend.narrow_from(match, broader=facet_match, unit_id=filters.unit_id)
    return match, facet_match


def _search_indexed(
    parsed: ParsedQuery, filters: SearchFilters, tags: list[str], sort: Sort, page: int
) -> SearchResults:
    backend = get_backend()  # one instance per search: a backend may reuse work within it
    match, facet_match = _matches(backend, parsed, filters, tags)
    ids = _ordered(backend, match, sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    cap = backend.rank_window  # totals count to the window ("超过 2000 条")
    total = backend.count(match, cap=cap)
    counts, partial = backend.unit_counts(facet_match, window=FACET_WINDOW)
    return SearchResults(
        query="", sort=sort, page=page, hits=_hits(ids, parsed), total=total,
        total_capped=total >= cap, facets=_facets(counts), facets_partial=partial,
    )  # fmt: skip


def _search_scanned(
    *,
    parsed: ParsedQuery, filters: SearchFilters, tags: list[str], sort: Sort, page: int,
    keep: list[Term], drop: list[Term],
) -> SearchResults:  # fmt: skip
    """Phrases and lone characters: narrow by the index, then check substrings in a window."""
    backend = get_backend()
    match, facet_match = _matches(backend, parsed, filters, tags)
    candidates = _ordered(backend, match, sort, limit=SCAN_WINDOW)
    facet_candidates = backend.newest(facet_match, limit=SCAN_WINDOW)
    # One check for both lists (with a unit filter the first is mostly inside the second).
    passed = _passing_ids(list(dict.fromkeys(candidates + facet_candidates)), keep, drop)
    ids = [pk for pk in candidates if pk in passed]
    counts, partial = backend.unit_counts(facet_match, window=SCAN_WINDOW, among=passed)
    offset = (page - 1) * PAGE_SIZE
    return SearchResults(
        query="", sort=sort, page=page, hits=_hits(ids[offset : offset + PAGE_SIZE], parsed),
        total=len(ids), total_capped=len(candidates) >= SCAN_WINDOW,
        facets=_facets(counts), facets_partial=partial, scanned=True,
    )  # fmt: skip


# The word filters of lists (the inbox's 「标题或正文包含」, the API's ?q=) look at this many newest
# matching submissions; the list says so when more match.
WORD_FILTER_WINDOW = 2_000


@dataclass(frozen=True)
class WordMatch:
    """Submissions whose words match a list's text filter, found through the search index."""

    ids: list[int] = field(default_factory=list)  # submission ids, newest first
    capped: bool = False  # more matched than the window holds
    substrings: list[str] = field(default_factory=list)  # phrases/lone characters to check
    excluded_substrings: list[str] = field(default_factory=list)


def submissions_matching(
    user: User,
    text: str,
    *,
    kind: str | None = None,
    unit_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> WordMatch:
    """Ids of the submissions `user` may find whose words match `text` (newest first).

    The index narrows by words, kind, unit (any credited unit) and submission day; the caller
    intersects the ids with its permission-scoped queryset, applies the exact filters (states
    among them), and checks `substrings` (phrases, lone characters) in the text, as the search
    page does.
    """
    parsed = parse_query(text)
    tags = user_visibility(user)
    if not tags or parsed.is_empty:
        return WordMatch()
    filters = SearchFilters(
        unit_id=unit_id, kind=kind, doc_type=DocType.SUBMISSION,
        date_from=date_from, date_to=date_to,
    )  # fmt: skip
    match = _match(parsed, filters, tags)
    doc_ids = get_backend().newest_ids(match, limit=WORD_FILTER_WINDOW + 1)
    capped = len(doc_ids) > WORD_FILTER_WINDOW
    by_doc = dict(
        SearchDocument.objects.filter(
            pk__any_of=frozenset(doc_ids[:WORD_FILTER_WINDOW])
        ).values_list("pk", "object_id")
    )
    keep, drop = _scan_terms(parsed)
    return WordMatch(
        ids=[by_doc[pk] for pk in doc_ids if pk in by_doc],
        capped=capped,
        substrings=[t.text for t in keep],
        excluded_substrings=[t.text for t in drop],
    )


@dataclass(frozen=True)
class Rebuild:
    status: str
    enqueued_at: Any
    started_at: Any
    finished_at: Any
    indexed: int | None


@dataclass(frozen=True)
class IndexStatus:
    counts: dict[str, int]
    total: int
    rebuilds: list[Rebuild]
    running_done: int | None

    @property
    def running(self) -> bool:
        """Whether a rebuild is queued or running."""
        return any(r.status in ("READY", "RUNNING") for r in self.rebuilds[:1])


def index_status(user: User) -> IndexStatus:
    """Documents per type and the latest rebuilds, for administrators."""
    if not user.is_superuser:
        raise PermissionDenied("只有管理员可以查看检索索引状态。")
    rows = SearchDocument.objects.values_list("doc_type").annotate(n=Count("pk"))
    counts = {str(DocType(t).label): n for t, n in rows}
    result_model = apps.get_model("django_tasks_database", "DBTaskResult")
    recent = result_model.objects.filter(task_path__endswith="rebuild_search_index")
    rebuilds = [
        Rebuild(r.status, r.enqueued_at, r.started_at, r.finished_at, r.return_value)
        for r in recent.order_by("-enqueued_at")[:5]
    ]
    done = None
    if rebuilds and rebuilds[0].status == "RUNNING" and rebuilds[0].started_at:
        # A rebuild saves every document again, so those saved since it started are done.
        done = SearchDocument.objects.filter(indexed_at__gte=rebuilds[0].started_at).count()
    return IndexStatus(counts, sum(counts.values()), rebuilds, done)
