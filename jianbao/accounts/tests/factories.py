"""Factories that go through the services, so test data obeys the same rules as real data."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import count

from jianbao.accounts.models import Role, Unit, User
from jianbao.accounts.services import do_create_unit, do_create_user

_sequence = count(1)


def UnitFactory(
    *, name: str | None = None, requires_approval: bool = False, aliases: Iterable[str] = ()
) -> Unit:
    """A unit with a unique name unless one is given."""
    return do_create_unit(
        name=name or f"测试单位{next(_sequence)}",
        requires_approval=requires_approval,
        aliases=aliases,
    )


def UserFactory(
    *,
    username: str | None = None,
    display_name: str = "",
    unit: Unit | None = None,
    roles: Iterable[Role] = (),
    password: str = "test-password-123",
) -> User:
    """A user with the given roles; the password is the same for every test user."""
    return do_create_user(
        username=username or f"user{next(_sequence)}",
        password=password,
        display_name=display_name,
        unit=unit,
        roles=roles,
    )
