"""Who may do what to series and issues: the write-side checks used by the services and pages."""

from __future__ import annotations

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.workflow import IssueActor, IssueState, IssueTransition, issue_actions_from


def may_manage_series(user: User) -> bool:
    """Editors and admins define series."""
    return user.is_authenticated and (user.is_editor or user.is_superuser)


def may_read_issues(user: User) -> bool:
    """The office and admins read every issue; leaders and units read published ones."""
    return user.is_authenticated and (
        user.is_office_staff
        or user.is_superuser
        or user.is_leader
        or user.is_reporter
        or user.is_unit_approver
    )


def may_edit_issues(user: User) -> bool:
    """The bulletin office (editors and chiefs) assembles issues."""
    return user.is_authenticated and user.is_office_staff


def may_perform_issue(user: User, transition: IssueTransition) -> bool:
    """Whether `user` is the kind of actor the transition asks for."""
    if transition.actor == IssueActor.CHIEF:
        return user.is_chief
    return user.is_office_staff


def available_issue_transitions(user: User, issue: Issue) -> list[IssueTransition]:
    """The transitions this user may perform on the issue now (for buttons and the API)."""
    state = IssueState(issue.state)
    return [t for t in issue_actions_from(state) if may_perform_issue(user, t)]
