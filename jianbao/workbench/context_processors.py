"""The counts in the header (bell, 收稿箱, 待签发 …), computed only when a template reads them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from jianbao.workbench.selectors import MenuCounts, menu_counts_for


def menu_counts(request: HttpRequest) -> dict[str, Any]:
    """`menu`: lazy per-request counts; pages that do not show the header run no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"menu": SimpleLazyObject(lambda: _counts(user))}


def _counts(user: Any) -> MenuCounts:
    return menu_counts_for(user)
