"""Permission-scoped reads of series and issues, and the bulletin JSON of an issue."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from jianbao.accounts.models import AuditEvent, Unit, User
from jianbao.bulletins.models import Entry, EntrySource, Issue, IssueFile, Series
from jianbao.bulletins.policy import may_edit_issues, may_manage_series
from jianbao.bulletins.workflow import LIVE_STATES, IssueState
from jianbao.submissions.models import Submission
from jianbao.submissions.workflow import State


def _sees_every_issue(user: User) -> bool:
    return user.is_office_staff or user.is_superuser


def issues_visible_to(user: User) -> QuerySet[Issue]:
    """The office (and admins) see every issue; leaders and units see published ones only."""
    qs = Issue.objects.select_related("series")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if _sees_every_issue(user):
        return qs
    if user.is_leader or user.is_reporter or user.is_unit_approver:
        return qs.filter(state=IssueState.PUBLISHED)
    return qs.none()


def get_issue(user: User, pk: int) -> Issue:
    """One issue `user` may read, or 404 (never 403, so drafts leak nothing)."""
    issue = issues_visible_to(user).select_related("signed_by", "updated_by").filter(pk=pk).first()
    if issue is None:
        raise Http404("期刊不存在或您无权查看。")
    return issue


def series_visible_to(user: User) -> QuerySet[Series]:
    """Series whose issues the user may list; inactive ones only for those who manage them."""
    if not user.is_authenticated or not user.is_active:
        return Series.objects.none()
    if may_manage_series(user) or _sees_every_issue(user):
        return Series.objects.all()
    if user.is_leader or user.is_reporter or user.is_unit_approver:
        return Series.objects.filter(active=True)
    return Series.objects.none()


def get_series(user: User, pk: int) -> Series:
    """One series the user may see, or 404."""
    series = series_visible_to(user).filter(pk=pk).first()
    if series is None:
        raise Http404("刊物不存在或您无权查看。")
    return series


def issues_of_series(user: User, series: Series, year: int | None) -> QuerySet[Issue]:
    """A series' issues the user may see, newest first, optionally of one year."""
    qs = issues_visible_to(user).filter(series=series)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("signed_by").order_by("-year", "-number", "-edition")


def years_of_series(user: User, series: Series) -> list[int]:
    """The years the user has issues of this series in, newest first."""
    qs = issues_visible_to(user).filter(series=series).order_by("-year")
    return list(qs.values_list("year", flat=True).distinct())


def entries_of(issue: Issue) -> list[Entry]:
    """The entries in print order with their credited units and submissions."""
    sources = EntrySource.objects.select_related("unit", "submission")
    return list(issue.entries.prefetch_related(Prefetch("sources", queryset=sources)))


def credited_units(submission: Submission) -> list[Unit]:
    """The units an entry printing `submission` credits: its source units, else its unit."""
    return list(submission.source_units.order_by("order", "name")) or [submission.unit]


def adoptable_submissions(user: User) -> QuerySet[Submission]:
    """Adopted submissions not printed by any live issue yet (office staff only)."""
    if not may_edit_issues(user):
        return Submission.objects.none()
    taken = EntrySource.objects.filter(
        submission__isnull=False, entry__issue__state__in=LIVE_STATES
    ).values("submission_id")
    return (
        Submission.objects.filter(state=State.ADOPTED)
        .exclude(pk__in=taken)
        .select_related("unit")
        .order_by("kind", "-updated_at", "-pk")
    )


def issue_files(issue: Issue) -> dict[str, IssueFile]:
    """The frozen files of a published issue by format."""
    return {f.format: f for f in issue.files.all()}


def editions_of(user: User, issue: Issue) -> QuerySet[Issue]:
    """Every edition of the issue's number the user may see (original and corrections)."""
    return (
        issues_visible_to(user)
        .filter(series=issue.series, year=issue.year, number=issue.number)
        .exclude(state=IssueState.VOIDED)
        .order_by("edition")
    )


def printed_source(entry: Entry) -> tuple[list[str], str | None]:
    """The units and the source line printed after an entry: overrides win over credit."""
    names = list(dict.fromkeys(source.unit.name for source in entry.sources.all()))
    if entry.source_line is None:
        return names, ("（" + "、".join(names) + "）") if names else None
    if entry.source_line == "":
        return [], None
    line = entry.source_line
    if not line.startswith("（"):
        line = f"（{line.strip('()（）')}）"
    return names, line


def _entry_json(entry: Entry) -> dict[str, Any]:
    units, raw = printed_source(entry)
    return {
        "kind": entry.kind,
        "section": entry.section or None,
        "title": entry.title or None,
        "body": entry.body,
        "source_units": units,
        "source_raw": raw,
    }


def issue_to_bulletin_json(issue: Issue) -> dict[str, Any]:
    """The issue as the bulletin JSON of DESIGN.md section 6 (the typesetter's only input)."""
    data: dict[str, Any] = {
        "series": issue.series.title,
        "year": issue.year,
        "number": issue.number,
        "total_number": issue.total_number if issue.series.cumulative_numbering else None,
        "organ": issue.organ or issue.series.organ,
        "date": issue.issue_date.isoformat(),
        "marks": list(issue.marks),
        "editor_note": issue.editor_note or None,
        "entries": [_entry_json(entry) for entry in entries_of(issue)],
        "footer": {
            "report_to": issue.report_to or None,
            "send_to": issue.send_to or None,
            "distribute_to": issue.distribute_to or None,
            "extra_to": issue.extra_to or None,
            "editors": list(issue.editors),
            "copies": issue.copies,
        },
    }
    if issue.correction_notice:
        data["correction_notice"] = issue.correction_notice
    return data


def get_issue_by_number(series_title: str, year: int, number: int) -> Issue | None:
    """The newest live edition of an issue by series title, year and number (for the CLI)."""
    title = series_title.strip().strip("《》「」")
    return (
        Issue.objects.select_related("series")
        .filter(Q(series__title=title), year=year, number=number)
        .exclude(state=IssueState.VOIDED)
        .order_by("-edition")
        .first()
    )


def bulletin_json_for_issue(*, series: str, year: int, number: int) -> dict[str, Any] | None:
    """The bulletin JSON of an issue in the database, or None (used by `jianbao render`)."""
    issue = get_issue_by_number(series, year, number)
    return issue_to_bulletin_json(issue) if issue is not None else None


# Audit actions that change what an issue prints (the four-eyes rule looks at who did the last).
ISSUE_EDIT_ACTIONS = (
    "issue.create", "issue.edit", "issue.footer", "issue.add_submissions", "issue.merge",
    "issue.create_entry", "issue.edit_entry", "issue.reorder", "issue.remove_entry",
    "issue.correction",
)  # fmt: skip


def last_editor_id(issue: Issue) -> int | None:
    """The user who last changed the issue's content, from the (append-only) audit trail."""
    return (
        AuditEvent.objects.filter(
            object_type="issue", object_id=str(issue.pk), action__in=ISSUE_EDIT_ACTIONS
        )
        .order_by("-sequence")
        .values_list("actor_id", flat=True)
        .first()
    )


def printed_entries_of(user: User, submission: Submission) -> list[Entry]:
    """The entries of published issues (visible to `user`) that print the submission."""
    issues = issues_visible_to(user).filter(state=IssueState.PUBLISHED)
    return list(
        Entry.objects.filter(sources__submission=submission, issue__in=issues)
        .select_related("issue__series")
        .distinct()
        .order_by("issue__published_at", "pk")
    )
