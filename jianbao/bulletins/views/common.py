"""Helpers shared by the issue pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jianbao.accounts.models import User
from jianbao.accounts.web import add_form_errors, flash_errors, render_partial
from jianbao.bulletins.policy import may_edit_issues


def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def require_office(user: User) -> None:
    """Pages that assemble issues are for the bulletin office only."""
    if not may_edit_issues(user):
        raise PermissionDenied("只有信息科编辑和签发人可以编辑期刊。")


__all__ = [
    "add_form_errors",
    "flash_errors",
    "is_htmx",
    "render_partial",
    "require_office",
    "user_of",
]
