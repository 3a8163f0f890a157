"""Who may change the office's proofreading choices."""

from __future__ import annotations

from jianbao.accounts.models import User


def may_tune_proofreading(user: User) -> bool:
    """The bulletin office (and administrators) decide what is ignored and which rules run."""
    return user.is_office_staff or user.is_superuser
