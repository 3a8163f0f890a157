"""Reads for the 工作台 and the header counts, built on each app's permission-scoped selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from jianbao.accounts.models import User
from jianbao.bulletins.models import Adoption, Issue
from jianbao.bulletins.selectors import issues_visible_to
from jianbao.bulletins.workflow import IssueState
from jianbao.notifications.selectors import UNREAD_CAP, unread_count
from jianbao.submissions.models import Decision, StateCount, Submission
from jianbao.submissions.selectors import awaiting_approval, submissions_visible_to
from jianbao.submissions.workflow import Action, State


@dataclass(frozen=True)
class MenuCounts:
    unread: int
    inbox_new: int  # 收稿箱: submitted, not yet claimed
    to_sign: int  # 待签发: issues in proof, for a chief
    to_approve: int  # 待审核: the unit approver's queue
    returned: int  # 退回: the reporter's unit's items returned or sent back

    @property
    def unread_label(self) -> str:
        return f"{UNREAD_CAP}+" if self.unread > UNREAD_CAP else str(self.unread)


def _state_total(states: list[State], unit_id: int | None = None) -> int:
    """From the per-unit counters the submission services keep: a few rows, not the table."""
    rows = StateCount.objects.filter(state__in=states, count__gt=0)
    if unit_id is not None:
        rows = rows.filter(unit_id=unit_id)
    return sum(rows.values_list("count", flat=True))


def menu_counts_for(user: User) -> MenuCounts:
    """The counts shown in the header for this user's roles, computed once per request (kept on
    the request's user object, so the header and the 工作台 panels share them)."""
    cached: MenuCounts | None = getattr(user, "_menu_counts", None)
    if cached is None:
        cached = _menu_counts(user)
        user._menu_counts = cached  # type: ignore[attr-defined]
    return cached


def _menu_counts(user: User) -> MenuCounts:
    unit_id = user.unit_id
    in_unit = unit_id is not None
    return MenuCounts(
        unread=unread_count(user),
        inbox_new=_state_total([State.SUBMITTED]) if user.is_office_staff else 0,
        to_sign=issues_to_sign(user).count() if user.is_chief else 0,
        to_approve=(
            _state_total([State.AWAITING_UNIT_APPROVAL], unit_id)
            if in_unit and user.is_unit_approver
            else 0
        ),
        returned=returned_count(user),
    )


def returned_count(user: User) -> int:
    """How many of the reporter's unit's items are returned or sent back (kept counters)."""
    if not user.is_reporter or user.unit_id is None:
        return 0
    return _state_total([State.RETURNED, State.SENT_BACK], user.unit_id)


# --- Panels of the 工作台 -------------------------------------------------------------------

LIST_SIZE = 8


@dataclass(frozen=True)
class ReturnedItem:
    submission: Submission
    reason: Decision | None


def returned_items(user: User) -> list[ReturnedItem]:
    """The unit's items returned by the office or sent back by its approver, with the reason."""
    if not user.is_reporter or user.unit_id is None:
        return []
    items = list(
        submissions_visible_to(user)
        .filter(unit_id=user.unit_id, state__in=[State.RETURNED, State.SENT_BACK])
        .select_related("author")
        .order_by("-updated_at", "-pk")[:LIST_SIZE]
    )
    reasons: dict[int, Decision] = {}
    decisions = (
        Decision.objects.filter(submission__in=items, action__in=[Action.RETURN, Action.SEND_BACK])
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    for decision in decisions:
        reasons[decision.submission_id] = decision  # the latest wins
    return [ReturnedItem(item, reasons.get(item.pk)) for item in items]


@dataclass(frozen=True)
class Outcome:
    submission: Submission
    printed_in: list[Issue]


OUTCOME_STATES = [State.ADOPTED, State.PUBLISHED, State.ARCHIVED]


def my_outcomes(user: User) -> list[Outcome]:
    """The reporter's own items that were decided lately: adopted, printed (where), archived."""
    if not user.is_reporter or user.unit_id is None:
        return []
    items = list(
        submissions_visible_to(user)
        .filter(author=user, state__in=OUTCOME_STATES)
        .order_by("-updated_at", "-pk")[:LIST_SIZE]
    )
    printed: dict[int, list[Issue]] = {}
    adoptions = Adoption.objects.filter(
        submission__in=items, issue__state=IssueState.PUBLISHED
    ).select_related("issue__series")
    for adoption in adoptions:
        if adoption.issue is not None and adoption.submission_id is not None:
            printed.setdefault(adoption.submission_id, []).append(adoption.issue)
    return [Outcome(item, printed.get(item.pk, [])) for item in items]


def approval_queue(user: User) -> QuerySet[Submission]:
    """The approver's unit items waiting for sign-off."""
    return awaiting_approval(user)


def new_submissions(user: User) -> QuerySet[Submission]:
    """Submitted items nobody has claimed yet, urgent first, newest first (office only)."""
    if not user.is_office_staff:
        return Submission.objects.none()
    return (
        submissions_visible_to(user)
        .filter(state=State.SUBMITTED)
        .select_related("unit")
        .order_by("-urgency_rank", "-submitted_at", "-pk")
    )


def new_submission_count(user: User) -> int:
    """How many submitted items wait, from the kept per-state counters."""
    return _state_total([State.SUBMITTED]) if user.is_office_staff else 0


def my_claims(user: User) -> QuerySet[Submission]:
    """Items the editor holds in review."""
    if not user.is_office_staff:
        return Submission.objects.none()
    return (
        submissions_visible_to(user)
        .filter(state=State.IN_REVIEW, claimed_by=user)
        .select_related("unit")
        .order_by("-urgency_rank", "claimed_at", "pk")
    )


def issues_in_the_making(user: User) -> QuerySet[Issue]:
    """Issues being edited or in proof, for the office."""
    if not user.is_office_staff:
        return Issue.objects.none()
    return (
        issues_visible_to(user)
        .filter(state__in=[IssueState.DRAFT, IssueState.PROOF])
        .order_by("-state", "-year", "-number")
    )


def issues_to_sign(user: User) -> QuerySet[Issue]:
    """Issues in proof, waiting for a chief's signature."""
    if not user.is_chief:
        return Issue.objects.none()
    return (
        issues_visible_to(user)
        .filter(state=IssueState.PROOF)
        .select_related("updated_by")
        .order_by("year", "number", "pk")
    )


def new_issues(user: User) -> QuerySet[Issue]:
    """The latest published issues a leader may read."""
    if not user.is_leader:
        return Issue.objects.none()
    return issues_visible_to(user).filter(state=IssueState.PUBLISHED).order_by("-published_at")
