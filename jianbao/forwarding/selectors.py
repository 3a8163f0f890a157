"""Reads of forwarding packages: the office only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from jianbao.accounts.models import User
from jianbao.bulletins.models import Adoption, Entry
from jianbao.bulletins.workflow import IssueState
from jianbao.forwarding.models import ForwardPackage


def may_manage(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_office_staff


def packages_visible_to(user: User) -> QuerySet[ForwardPackage]:
    if not may_manage(user):
        return ForwardPackage.objects.none()
    return ForwardPackage.objects.select_related("created_by")


def get_package(user: User, pk: int) -> ForwardPackage:
    found = packages_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("转报记录不存在。")
    return found


def forwardable_entries(limit: int = 200) -> QuerySet[Entry]:
    """Items of published issues, newest first."""
    return (
        Entry.objects.filter(issue__state=IssueState.PUBLISHED, kind="item")
        .select_related("issue__series")
        .order_by("-issue__issue_date", "-issue__number", "order")[:limit]
    )


def outcomes_of(package: ForwardPackage) -> QuerySet[Adoption]:
    """Outside adoptions recorded for the package's items after forwarding."""
    return Adoption.objects.filter(
        entry__in=package.items.values("entry"), forwarded=True
    ).order_by("date", "pk")
