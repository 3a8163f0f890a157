"""Who may import past issues: the bulletin office (editors and chiefs)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from jianbao.accounts.models import User


def may_import(user: User | None) -> bool:
    """Editors and chiefs import the archive; `None` is the command line (shell access)."""
    if user is None:
        return True
    return bool(user.is_authenticated and user.is_active and user.is_office_staff)


def require_importer(user: User | None) -> None:
    """Refuse anyone outside the bulletin office."""
    if not may_import(user):
        raise PermissionDenied("只有信息科编辑可以导入历史简报。")
