"""Who may do what in distribution (the checks shared by services, selectors and pages)."""

from __future__ import annotations

from jianbao.accounts.models import User
from jianbao.bulletins.policy import may_read_issues


def may_manage_lists(user: User) -> bool:
    """The office (editors and chiefs) and admins keep recipient lists and groups."""
    return user.is_authenticated and user.is_active and (user.is_office_staff or user.is_superuser)


def may_see_ledger(user: User) -> bool:
    """Only the bulletin office sees who has read and signed, reminds, and exports the ledger."""
    return user.is_authenticated and user.is_active and user.is_office_staff


def may_receive(user: User) -> bool:
    """Only people who may read published issues can be put on a list."""
    return user.is_active and may_read_issues(user)


def may_have_inbox(user: User) -> bool:
    """收件 is for everyone who may read issues (it is empty until something is delivered)."""
    return user.is_authenticated and user.is_active and may_read_issues(user)
