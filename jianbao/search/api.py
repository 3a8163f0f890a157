"""GET /api/v1/search: the same search as the page, as JSON."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from jianbao.accounts.models import User
from jianbao.bounds import MAX_QUERY_CHARS, Id
from jianbao.search.selectors import (
    Hit,
    SearchFilters,
    SearchResults,
    Sort,
    may_search,
    search,
)

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = Field(
        "", max_length=MAX_QUERY_CHARS, description="检索词：多个词同时出现，“短语”，-排除"
    )
    unit_id: Id | None = None
    series: str | None = Field(None, max_length=50)
    kind: str | None = Field(None, max_length=20)
    state: str | None = Field(None, max_length=30)
    doc_type: str | None = Field(None, description="submission / entry / archive_entry")
    date_from: date | None = None
    date_to: date | None = None
    sort: Sort = Sort.RELEVANCE
    page: int = Field(1, ge=1, le=100)


class HitOut(Schema):
    doc_type: str
    object_id: int
    title: str
    title_spans: list[tuple[int, int]]
    snippet: str
    snippet_spans: list[tuple[int, int]]
    units: str
    series: str
    year: int | None
    number: int | None
    state: str
    state_label: str
    kind: str
    date: date | None
    url: str | None


class FacetOut(Schema):
    unit_id: int
    name: str
    count: int


class SearchOut(Schema):
    query: str
    total: int
    total_capped: bool
    page: int
    has_next: bool
    took_ms: float
    hits: list[HitOut]
    unit_facets: list[FacetOut]
    unit_facets_partial: bool


def _hit(hit: Hit) -> HitOut:
    return HitOut(
        doc_type=hit.doc_type, object_id=hit.object_id, title=hit.title,
        title_spans=hit.title_spans, snippet=hit.snippet, snippet_spans=hit.snippet_spans,
        units=hit.unit_names, series=hit.series, year=hit.year, number=hit.number,
        state=hit.state, state_label=hit.state_label, kind=hit.kind, date=hit.date, url=hit.url,
    )  # fmt: skip


def results_out(results: SearchResults) -> SearchOut:
    """The JSON shape of a result page (also printed by `jianbao search --json`)."""
    return SearchOut(
        query=results.query, total=results.total, total_capped=results.total_capped,
        page=results.page, has_next=results.has_next, took_ms=round(results.took_ms, 1),
        hits=[_hit(hit) for hit in results.hits],
        unit_facets=[FacetOut(unit_id=f.unit_id, name=f.name, count=f.count)
                     for f in results.facets],
        unit_facets_partial=results.facets_partial,
    )  # fmt: skip


@router.get("", response=SearchOut, summary="Full-text search over what you may see")
def search_endpoint(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    user: User = request.user  # type: ignore[assignment]
    if not may_search(user):
        raise PermissionDenied("您没有可检索的内容。")
    filters = SearchFilters(
        unit_id=params.unit_id, series=params.series, kind=params.kind, state=params.state,
        doc_type=params.doc_type, date_from=params.date_from, date_to=params.date_to,
    )  # fmt: skip
    return results_out(search(user, params.q, filters, params.sort, params.page))
