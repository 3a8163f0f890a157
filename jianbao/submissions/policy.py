"""Who may do what to a submission: the write-side permission checks used by the services."""

from __future__ import annotations

from jianbao.accounts.models import User
from jianbao.submissions.models import Submission
from jianbao.submissions.workflow import (
    EDITABLE_BY_EDITOR,
    EDITABLE_BY_REPORTER,
    Actor,
    State,
    Transition,
    actions_from,
)

# States the office has not seen (mirrors `selectors.UNIT_PRIVATE_STATES`).
UNIT_PRIVATE = frozenset({State.DRAFT, State.AWAITING_UNIT_APPROVAL, State.SENT_BACK})


def is_unit_reporter(user: User, submission: Submission) -> bool:
    """A reporter of the unit that owns the item."""
    return user.is_reporter and user.unit_id is not None and user.unit_id == submission.unit_id


def is_unit_approver(user: User, submission: Submission) -> bool:
    """An approver of the unit that owns the item."""
    return user.is_unit_approver and user.unit_id is not None and user.unit_id == submission.unit_id


def holds_claim(user: User, submission: Submission) -> bool:
    """The editor holding the claim, or a chief (who may act on any claimed item)."""
    return user.is_chief or (user.is_editor and submission.claimed_by_id == user.pk)


def may_perform(user: User, submission: Submission, transition: Transition) -> bool:
    """Whether `user` is the kind of actor the transition asks for, on this item."""
    checks = {
        Actor.REPORTER: is_unit_reporter,
        Actor.UNIT_APPROVER: is_unit_approver,
        Actor.EDITOR: lambda u, _s: u.is_office_staff,
        Actor.CLAIM_HOLDER: holds_claim,
        Actor.SYSTEM: lambda _u, _s: False,
    }
    return checks[transition.actor](user, submission)


def available_transitions(user: User, submission: Submission) -> list[Transition]:
    """The transitions this user may perform on the item now (for buttons and the API)."""
    state = State(submission.state)
    return [t for t in actions_from(state) if may_perform(user, submission, t)]


def may_edit(user: User, submission: Submission) -> bool:
    """Reporters edit drafts and returned items of their unit; editors edit what they hold."""
    if submission.state in EDITABLE_BY_REPORTER and is_unit_reporter(user, submission):
        return True
    return submission.state in EDITABLE_BY_EDITOR and holds_claim(user, submission)


def claims_by_editing(user: User, submission: Submission) -> bool:
    """An editor may edit an unclaimed item directly: saving claims it."""
    return user.is_office_staff and submission.state == State.SUBMITTED


def held_by_another(user: User, submission: Submission) -> bool:
    """The item is in review under another editor's claim (the user is not a chief)."""
    return (
        user.is_office_staff
        and not user.is_chief
        and submission.state == State.IN_REVIEW
        and submission.claimed_by_id not in (None, user.pk)
    )


def may_comment(user: User, submission: Submission) -> bool:
    """The item's unit (reporters, approvers) and the office talk in its thread; the office
    only once the item reached it."""
    if is_unit_reporter(user, submission) or is_unit_approver(user, submission):
        return True
    return user.is_office_staff and submission.state not in UNIT_PRIVATE
