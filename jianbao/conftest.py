"""Persona fixtures shared by every app's tests: who is acting matters more than what is set up."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from jianbao.accounts.models import Role, Unit, User
from jianbao.accounts.tests.factories import UnitFactory, UserFactory

PASSWORD = "test-password-123"


@pytest.fixture
def unit_a(db: None) -> Unit:
    return UnitFactory(name="区委宣传部", aliases=["中共上街区委宣传部"])


@pytest.fixture
def unit_b(db: None) -> Unit:
    return UnitFactory(name="区总工会")


@pytest.fixture
def unit_signoff(db: None) -> Unit:
    """A unit whose items need the unit approver's sign-off before reaching the office."""
    return UnitFactory(name="矿山街道", requires_approval=True)


@pytest.fixture
def office(db: None) -> Unit:
    return UnitFactory(name="区委办公室")


@pytest.fixture
def reporter_a(unit_a: Unit) -> User:
    return UserFactory(
        username="reporter_a", display_name="宣传部信息员", unit=unit_a, roles=[Role.REPORTER]
    )


@pytest.fixture
def reporter_b(unit_b: Unit) -> User:
    return UserFactory(
        username="reporter_b", display_name="总工会信息员", unit=unit_b, roles=[Role.REPORTER]
    )


@pytest.fixture
def reporter_signoff(unit_signoff: Unit) -> User:
    return UserFactory(
        username="reporter_ks", display_name="矿山信息员", unit=unit_signoff, roles=[Role.REPORTER]
    )


@pytest.fixture
def approver_signoff(unit_signoff: Unit) -> User:
    return UserFactory(
        username="approver_ks",
        display_name="矿山主任",
        unit=unit_signoff,
        roles=[Role.UNIT_APPROVER],
    )


@pytest.fixture
def editor(office: Unit) -> User:
    return UserFactory(username="editor", display_name="王思宇", unit=office, roles=[Role.EDITOR])


@pytest.fixture
def editor2(office: Unit) -> User:
    return UserFactory(username="editor2", display_name="柴亚文", unit=office, roles=[Role.EDITOR])


@pytest.fixture
def chief(office: Unit) -> User:
    return UserFactory(username="chief", display_name="李主任", unit=office, roles=[Role.CHIEF])


@pytest.fixture
def leader(db: None) -> User:
    return UserFactory(username="leader", display_name="张书记", roles=[Role.LEADER])


@pytest.fixture
def auditor(db: None) -> User:
    return UserFactory(username="auditor", display_name="审计员", roles=[Role.AUDITOR])


@pytest.fixture
def outsider(db: None) -> User:
    """Logged in, but with no unit and no role."""
    return UserFactory(username="outsider", display_name="访客", roles=[])


@pytest.fixture
def login() -> Callable[[User], Client]:
    """A test client logged in as the given user."""

    def _login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_and_isolated(
    settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Cheap password hashing and a private media folder for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # type: ignore[attr-defined]
