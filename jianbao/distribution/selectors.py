"""Permission-scoped reads of distribution: 收件, the receipt ledger, lists and groups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any, TypedDict

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.selectors import get_issue
from jianbao.distribution.models import (
    Distribution,
    Line,
    Receipt,
    RecipientGroup,
    SeriesRecipient,
)
from jianbao.distribution.policy import may_have_inbox, may_manage_lists, may_see_ledger
from jianbao.distribution.recipients import list_of


def inbox_of(user: User) -> QuerySet[Receipt]:
    """收件: issues delivered to `user`, unread first, then newest first."""
    if not may_have_inbox(user):
        return Receipt.objects.none()
    return (
        Receipt.objects.filter(recipient=user)
        .select_related("issue__series")
        .order_by(F("first_read_at").asc(nulls_first=True), "-delivered_at", "-pk")
    )


def unread_count(user: User) -> int:
    """How many delivered issues `user` has not opened yet."""
    return inbox_of(user).filter(first_read_at__isnull=True).count()


def unsigned_count(user: User) -> int:
    """How many delivered issues `user` has not signed for yet."""
    return inbox_of(user).filter(acknowledged_at__isnull=True).count()


def ledger_issue(user: User, pk: int) -> Issue:
    """A published issue whose receipts the office may see, or 404/403."""
    if not may_see_ledger(user):
        raise Http404("期刊不存在或您无权查看。")
    return get_issue(user, pk)


def distribution_of(issue: Issue) -> Distribution | None:
    return Distribution.objects.filter(issue=issue).first()


@dataclass(frozen=True)
class Counts:
    total: int
    read: int
    acknowledged: int
    paper: int

    @property
    def unread(self) -> int:
        return self.total - self.read

    @property
    def unsigned(self) -> int:
        return self.total - self.acknowledged


def counts_of(issue: Issue) -> Counts:
    """Delivered, read, signed and paper copies of one issue, in one query."""
    row = Receipt.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        read=Count("pk", filter=Q(first_read_at__isnull=False)),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        paper=Count("pk", filter=Q(copy_number__isnull=False)),
    )
    return Counts(**row)


LEDGER_STATES = {
    "unread": ("未阅", Q(first_read_at__isnull=True)),
    "read": ("已阅未签收", Q(first_read_at__isnull=False, acknowledged_at__isnull=True)),
    "unsigned": ("未签收", Q(acknowledged_at__isnull=True)),
    "signed": ("已签收", Q(acknowledged_at__isnull=False)),
}


@dataclass(frozen=True)
class LedgerFilter:
    state: str = ""
    line: str = ""
    q: str = ""


def receipts_of(issue: Issue, filters: LedgerFilter = LedgerFilter()) -> QuerySet[Receipt]:
    """The receipt ledger of one issue (callers check `may_see_ledger` via `ledger_issue`)."""
    qs = Receipt.objects.filter(issue=issue)
    if filters.state in LEDGER_STATES:
        qs = qs.filter(LEDGER_STATES[filters.state][1])
    if filters.line:
        qs = qs.filter(line=filters.line)
    if filters.q:
        qs = qs.filter(
            Q(recipient__display_name__contains=filters.q)
            | Q(recipient__username__contains=filters.q)
            | Q(recipient__unit__name__contains=filters.q)
            | Q(via__contains=filters.q)
        )
    return qs.select_related("recipient__unit").order_by(
        "line", F("copy_number").asc(nulls_last=True), "pk"
    )


class LedgerRow(TypedDict):
    """One line of the ledger page, pre-formatted (a page shows 100 of thousands). A dict: the
    template's `r.name` is then found by its first, dictionary lookup (no attribute fallback)."""

    name: str
    unit: str
    line: str
    via: str
    copy_number: int | None
    delivered: str
    read: str
    signed: str
    state: str  # signed, read, unread
    reminders: int


LEDGER_FIELDS = (
    "recipient__display_name", "recipient__username", "recipient__unit__name", "line", "via",
    "copy_number", "delivered_at", "first_read_at", "acknowledged_at", "reminders",
)  # fmt: skip
LINE_LABELS = dict(Line.choices)


def _short(value: datetime | None, zone: tzinfo) -> str:
    return f"{value.astimezone(zone):%m-%d %H:%M}" if value is not None else "—"


def ledger_rows(values: Iterable[tuple[Any, ...]]) -> list[LedgerRow]:
    """Rows of `receipts_of(...).values_list(*LEDGER_FIELDS)` ready to print."""
    zone = timezone.get_current_timezone()  # once: each lookup goes through a thread-local
    rows = []
    for name, username, unit, line, via, copy, delivered, read, signed, reminders in values:
        state = "signed" if signed else "read" if read else "unread"
        rows.append(
            LedgerRow(
                name=name or username,
                unit=unit or "—",
                line=LINE_LABELS.get(line, line),
                via=via,
                copy_number=copy,
                delivered=_short(delivered, zone),
                read=_short(read, zone),
                signed=_short(signed, zone),
                state=state,
                reminders=reminders,
            )
        )
    return rows


def ledger_page(
    issue: Issue, filters: LedgerFilter, number: str | None, per_page: int
) -> tuple[Page[int], list[LedgerRow]]:
    """One page of the ledger: the ordered ids of every matching receipt come from one narrow
    query (its length is the count), then only the page's rows are joined to people and units."""
    ids = list(receipts_of(issue, filters).values_list("pk", flat=True))
    page = Paginator(ids, per_page).get_page(number)
    wanted = list(page.object_list)
    found = {
        row[0]: row[1:]
        for row in Receipt.objects.filter(pk__in=wanted).values_list("pk", *LEDGER_FIELDS)
    }
    return page, ledger_rows(found[pk] for pk in wanted if pk in found)


def distributed_issues(user: User) -> QuerySet[Distribution]:
    """Every distribution the office may follow, newest first, with its counts."""
    if not may_see_ledger(user):
        return Distribution.objects.none()
    return (
        Distribution.objects.select_related("issue__series")
        .annotate(
            n_read=Count("issue__receipts", filter=Q(issue__receipts__first_read_at__isnull=False)),
            n_signed=Count(
                "issue__receipts", filter=Q(issue__receipts__acknowledged_at__isnull=False)
            ),
        )
        .order_by("-created_at", "-pk")
    )


def managed_series(user: User, pk: int) -> Series:
    """A series whose list `user` may keep, or 404."""
    if not may_manage_lists(user):
        raise Http404("刊物不存在或您无权查看。")
    series = Series.objects.filter(pk=pk).first()
    if series is None:
        raise Http404("刊物不存在或您无权查看。")
    return series


def series_list_of(user: User, series: Series) -> list[SeriesRecipient]:
    """The entries of a series' list in line order (managers only)."""
    return list_of(series) if may_manage_lists(user) else []


def list_entry(user: User, series: Series, pk: int) -> SeriesRecipient:
    """One entry of the series' list, or 404."""
    entry = SeriesRecipient.objects.filter(series=series, pk=pk).first()
    if entry is None or not may_manage_lists(user):
        raise Http404("分发对象不存在。")
    return entry


def groups_of(user: User) -> QuerySet[RecipientGroup]:
    """Every recipient group with its member count (managers only)."""
    if not may_manage_lists(user):
        return RecipientGroup.objects.none()
    return RecipientGroup.objects.annotate(n_members=Count("members")).order_by("name")


def get_group(user: User, pk: int) -> RecipientGroup:
    group = groups_of(user).filter(pk=pk).first()
    if group is None:
        raise Http404("分组不存在。")
    return group


def receivers(user: User) -> QuerySet[User]:
    """People who may be put on a list or in a group (they may read published issues)."""
    if not may_manage_lists(user):
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_leader=True)
            | Q(is_reporter=True)
            | Q(is_unit_approver=True)
            | Q(is_editor=True)
            | Q(is_chief=True)
            | Q(is_superuser=True)
        )
        .select_related("unit")
        .order_by("unit__order", "username")
    )
