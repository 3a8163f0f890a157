"""Permission-scoped reads of submissions: the one choke point for who sees what."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.search.selectors import WordMatch, submissions_matching
from jianbao.submissions.models import (
    PENDING_UPLOAD_LIFETIME,
    Comment,
    PendingUpload,
    StateCount,
    Submission,
)
from jianbao.submissions.policy import may_comment
from jianbao.submissions.workflow import State

# States an item passes through before the office may see it.
UNIT_PRIVATE_STATES = (State.DRAFT, State.AWAITING_UNIT_APPROVAL, State.SENT_BACK)
# The inbox's views besides one state: 待处理 (the default), 我认领的, 全部.
VIEW_TODO, VIEW_MINE, VIEW_ALL = "todo", "mine", "all"
WORKING_STATES = (State.SUBMITTED, State.IN_REVIEW)


def submissions_visible_to(user: User) -> QuerySet[Submission]:
    """Every submission `user` may read: the office sees all that was submitted, a unit its own."""
    qs = Submission.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    scopes = Q(pk__in=[])
    if user.is_office_staff:
        scopes |= ~Q(state__in=UNIT_PRIVATE_STATES)
    if (user.is_reporter or user.is_unit_approver) and user.unit_id is not None:
        scopes |= Q(unit_id=user.unit_id)
    if user.is_leader:
        scopes |= Q(state=State.PUBLISHED)
    return qs.filter(scopes)


def get_submission(user: User, pk: int) -> Submission:
    """One submission `user` may read, or 404 (never 403, so ids of other units leak nothing)."""
    submission = (
        submissions_visible_to(user)
        .select_related("unit", "author", "claimed_by", "updated_by")
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise Http404("稿件不存在或您无权查看。")
    return submission


@dataclass(frozen=True)
class InboxFilter:
    unit_id: int | None = None
    kind: str | None = None
    state: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None
    # For the 我认领的 view: the editor whose claims are listed.
    claimed_by_id: int | None = None
    # The index's answer for `text`, shared by the copies one request makes with `replace`
    # (it keeps this very dict): the counts, the tabs and the page read one window.
    word_matches: dict[str, WordMatch] = field(default_factory=dict, compare=False, repr=False)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _states_of(filters: InboxFilter) -> tuple[str, ...]:
    """The states a state filter or view stands for (empty: all)."""
    if filters.state == VIEW_TODO:
        return tuple(WORKING_STATES)
    if filters.state == VIEW_MINE:
        return (State.IN_REVIEW,)
    if filters.state in State.values:
        return (str(filters.state),)
    return ()


def _word_match(user: User, filters: InboxFilter) -> WordMatch:
    """The index's newest matches of the text filter in every state the list shows, asked once
    per request. The state tabs and the page narrow this one window in SQL, so counts and rows
    agree; a word found in more items than the window holds lists the newest, and says so."""
    text = filters.text or ""
    if text not in filters.word_matches:
        filters.word_matches[text] = submissions_matching(
            user,
            text,
            kind=filters.kind,
            unit_id=filters.unit_id,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
    return filters.word_matches[text]


def _text_filtered(
    user: User, qs: QuerySet[Submission], filters: InboxFilter
) -> QuerySet[Submission]:
    """Items whose words match the text filter, through the search index (not a table scan)."""
    found = _word_match(user, filters)
    qs = qs.filter(pk__any_of=frozenset(found.ids))
    for text in found.substrings:
        qs = qs.filter(Q(title__holds=text) | Q(body__holds=text))
    for text in found.excluded_substrings:
        qs = qs.exclude(Q(title__holds=text) | Q(body__holds=text))
    return qs


def filter_submissions(
    qs: QuerySet[Submission], filters: InboxFilter, user: User | None = None
) -> QuerySet[Submission]:
    """Apply the inbox filters; dates compare against the submission time.

    With `user`, the text filter goes through the search index (intersected with `qs`);
    without, it is a plain substring test (the unit's own short lists)."""
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    states = _states_of(filters)
    if len(states) == 1:
        qs = qs.filter(state=states[0])
    elif states:
        qs = qs.filter(state__in=states)
    if filters.state == VIEW_MINE:
        qs = qs.filter(claimed_by_id=filters.claimed_by_id)
    if filters.date_from:
        qs = qs.filter(submitted_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(submitted_at__lt=_day_start(filters.date_to) + timedelta(days=1))
    if filters.text and user is not None:
        qs = _text_filtered(user, qs, filters)
    elif filters.text:
        qs = qs.filter(Q(title__contains=filters.text) | Q(body__contains=filters.text))
    return qs


def text_filter_capped(user: User, filters: InboxFilter) -> bool:
    """Whether the text filter matched more items than the index window lists."""
    if not filters.text:
        return False
    return _word_match(user, filters).capped


def inbox(user: User, filters: InboxFilter) -> QuerySet[Submission]:
    """The office's incoming items, urgent first, then newest."""
    qs = submissions_visible_to(user)
    if not user.is_office_staff:
        return qs.none()
    return (
        filter_submissions(qs, filters, user)
        .select_related("unit", "claimed_by")
        .order_by("-urgency_rank", "-submitted_at", "-pk")
    )


class ByKeysFirst:
    """A sorted queryset sliced by primary key first: the sort then reads only the covering
    index, not every matching row (待处理 sorts thousands of rows to show 30), and the page's
    own rows are fetched by key through `rows` (its joins and prefetches, none of the filters,
    which the keys already passed). Enough of a sequence for a Paginator told its count."""

    def __init__(self, queryset: QuerySet[Submission], *, rows: QuerySet[Submission]) -> None:
        self.queryset = queryset
        self.rows = rows

    def __getitem__(self, window: slice) -> list[Submission]:
        keys = list(self.queryset.values_list("pk", flat=True)[window])
        found = self.rows.in_bulk(keys)
        return [found[key] for key in keys if key in found]


def inbox_page(user: User, filters: InboxFilter) -> ByKeysFirst:
    """The inbox's rows for a Paginator: sorted and filtered as `inbox`, fetched by key."""
    rows = Submission.objects.select_related("unit", "claimed_by")
    return ByKeysFirst(inbox(user, filters), rows=rows)


def unit_submissions(user: User, filters: InboxFilter) -> QuerySet[Submission]:
    """The items of the user's own unit, most recently changed first."""
    if user.unit_id is None:
        return Submission.objects.none()
    qs = submissions_visible_to(user).filter(unit_id=user.unit_id)
    return filter_submissions(qs, filters).select_related("author").order_by("-updated_at", "-pk")


def awaiting_approval(user: User) -> QuerySet[Submission]:
    """Items of the approver's unit waiting for sign-off."""
    if not user.is_unit_approver or user.unit_id is None:
        return Submission.objects.none()
    return (
        submissions_visible_to(user)
        .filter(unit_id=user.unit_id, state=State.AWAITING_UNIT_APPROVAL)
        .select_related("author")
        .order_by("-urgency_rank", "submitted_at", "pk")
    )


def state_counts(qs: QuerySet[Submission]) -> dict[str, int]:
    """How many items of `qs` are in each state (states without items are left out)."""
    rows = qs.order_by().values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


def _counts_from_counters(
    filters: InboxFilter, *, unit_id: int | None, exclude: tuple[State, ...]
) -> dict[str, int]:
    rows = StateCount.objects.exclude(state__in=exclude).filter(count__gt=0)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    totals: dict[str, int] = {}
    for state, count in rows.values_list("state", "count"):
        totals[state] = totals.get(state, 0) + count
    return totals


def inbox_state_counts(user: User, filters: InboxFilter) -> dict[str, int]:
    """Counts per state for the inbox, ignoring the state filter itself.

    Unit and kind filters are answered from the kept counters; date and text filters need a
    real count of the matching rows.
    """
    if not user.is_office_staff:
        return {}
    if filters.date_from or filters.date_to or filters.text:
        return state_counts(inbox(user, replace(filters, state=None)))
    return _counts_from_counters(filters, unit_id=filters.unit_id, exclude=UNIT_PRIVATE_STATES)


def mine_count(user: User, filters: InboxFilter) -> int:
    """How many items in review the editor holds, under the other filters."""
    if not user.is_office_staff:
        return 0
    return inbox(user, replace(filters, state=VIEW_MINE, claimed_by_id=user.pk)).count()


def inbox_total(user: User, filters: InboxFilter, counts: dict[str, int] | None = None) -> int:
    """How many items the inbox lists for these filters (from the per-state counts)."""
    counts = inbox_state_counts(user, filters) if counts is None else counts
    if filters.state == VIEW_MINE:
        return mine_count(user, filters)
    states = _states_of(filters)
    return sum(counts.get(s, 0) for s in states) if states else sum(counts.values())


def unit_state_counts(user: User) -> dict[str, int]:
    """Counts per state of the user's own unit."""
    if user.unit_id is None or not (user.is_reporter or user.is_unit_approver):
        return {}
    return _counts_from_counters(InboxFilter(), unit_id=user.unit_id, exclude=())


def comments_of(user: User, submission: Submission) -> list[Comment]:
    """The item's thread, for its unit and the office only (others get an empty list)."""
    if not may_comment(user, submission):
        return []
    return list(submission.comments.select_related("author"))


def pending_uploads_of(user: User, ids: list[int]) -> list[PendingUpload]:
    """The user's own kept files among `ids` that have not expired (others' never)."""
    if not ids or not user.is_authenticated:
        return []
    fresh_since = timezone.now() - PENDING_UPLOAD_LIFETIME
    found = PendingUpload.objects.filter(owner=user, pk__in=ids, created_at__gte=fresh_since)
    return list(found.order_by("-from_word", "pk"))


def get_pending_upload(user: User, pk: int) -> PendingUpload:
    """One of the user's own kept files, or 404 (someone else's is never found)."""
    found = pending_uploads_of(user, [pk])
    if not found:
        raise Http404("没有这个已选择的附件。")
    return found[0]
