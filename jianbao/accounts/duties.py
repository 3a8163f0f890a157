"""Separation of duties (三权分立, GB/T 22239-2019 level 3): which roles one person may combine.

Pure rules over role names; the services refuse a combination with the Chinese reason returned
here. Decided for Jianbao:
- the system administrator (管理员) is never the auditor (审计员);
- the auditor holds no business role and changes nothing (reads the audit trail only);
- the system administrator holds no business role either (system management is kept apart from
  business operation); an office that wants an editor who also manages users gives that person
  two accounts.
Editor + chief in one account stays allowed; the four-eyes rule per series (the signer is not
the last editor of the issue) keeps one person from editing and signing the same issue.
"""

from __future__ import annotations

from collections.abc import Iterable

ADMIN = "admin"
AUDITOR = "auditor"
BUSINESS_ROLES = ("reporter", "unit_approver", "editor", "chief", "leader")
BUSINESS_NAMES = "信息员、单位审核人、编辑、签发人、领导"


def role_conflict(roles: Iterable[str]) -> str | None:
    """The Chinese reason these roles may not be held together, or None when they may."""
    held = {str(role) for role in roles}
    business = held.intersection(BUSINESS_ROLES)
    if ADMIN in held and AUDITOR in held:
        return "管理员与审计员不能由同一人担任（三权分立）。"
    if AUDITOR in held and business:
        return f"审计员不能兼任业务角色（{BUSINESS_NAMES}）（三权分立）。"
    if ADMIN in held and business:
        return f"管理员不能兼任业务角色（{BUSINESS_NAMES}），请为业务工作另设账号（三权分立）。"
    return None
