"""Persona fixtures shared by every app's tests: who is acting matters more than what is set up.

Django is imported inside the fixtures, so the pure packages' tests also run without Django
(`pytest jianbao/text -p no:django`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from jianbao.chromium import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from playwright.sync_api import Page

    from jianbao.accounts.models import Unit, User

PASSWORD = "test-password-123"

# Browser tests: Playwright driving Debian's headless chromium against the live server.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="chromium is not installed"),
]


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless chromium for one test (the live server runs in this process's threads)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _unit(**kwargs: object) -> Unit:
    from jianbao.accounts.tests.factories import UnitFactory

    return UnitFactory(**kwargs)  # type: ignore[arg-type]


def _user(*, roles: list[str], **kwargs: object) -> User:
    from jianbao.accounts.models import Role
    from jianbao.accounts.tests.factories import UserFactory

    return UserFactory(roles=[Role(r) for r in roles], **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def unit_a(db: None) -> Unit:
    return _unit(name="区委宣传部", aliases=["中共上街区委宣传部"])


@pytest.fixture
def unit_b(db: None) -> Unit:
    return _unit(name="区总工会")


@pytest.fixture
def unit_signoff(db: None) -> Unit:
    """A unit whose items need the unit approver's sign-off before reaching the office."""
    return _unit(name="矿山街道", requires_approval=True)


@pytest.fixture
def office(db: None) -> Unit:
    return _unit(name="区委办公室")


@pytest.fixture
def reporter_a(unit_a: Unit) -> User:
    return _user(
        username="reporter_a", display_name="宣传部信息员", unit=unit_a, roles=["reporter"]
    )


@pytest.fixture
def reporter_b(unit_b: Unit) -> User:
    return _user(
        username="reporter_b", display_name="总工会信息员", unit=unit_b, roles=["reporter"]
    )


@pytest.fixture
def reporter_signoff(unit_signoff: Unit) -> User:
    return _user(
        username="reporter_ks", display_name="矿山信息员", unit=unit_signoff, roles=["reporter"]
    )


@pytest.fixture
def approver_signoff(unit_signoff: Unit) -> User:
    return _user(
        username="approver_ks",
        display_name="矿山主任",
        unit=unit_signoff,
        roles=["unit_approver"],
    )


@pytest.fixture
def editor(office: Unit) -> User:
    return _user(username="editor", display_name="王思宇", unit=office, roles=["editor"])


@pytest.fixture
def editor2(office: Unit) -> User:
    return _user(username="editor2", display_name="柴亚文", unit=office, roles=["editor"])


@pytest.fixture
def chief(office: Unit) -> User:
    return _user(username="chief", display_name="李主任", unit=office, roles=["chief"])


@pytest.fixture
def leader(db: None) -> User:
    return _user(username="leader", display_name="张书记", roles=["leader"])


@pytest.fixture
def auditor(db: None) -> User:
    return _user(username="auditor", display_name="审计员", roles=["auditor"])


@pytest.fixture
def outsider(db: None) -> User:
    """Logged in, but with no unit and no role."""
    return _user(username="outsider", display_name="访客", roles=[])


@pytest.fixture
def login() -> Callable[[User], Client]:
    """A test client logged in as the given user (second factor passed where the role needs it)."""

    def _login(user: User) -> Client:
        from django.test import Client

        client = Client()
        client.force_login(user)
        mark_second_factor_passed(client, user)
        start_session_policy(client, user)
        return client

    return _login


def mark_second_factor_passed(client: Client, user: User) -> None:
    """For users who need or have a TOTP device: give them one and mark the session verified,
    as the code page does after a correct code."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from jianbao.accounts.two_factor import has_confirmed_device, otp_required

    if not (otp_required(user) or has_confirmed_device(user)):
        return
    device = totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def start_session_policy(client: Client, user: User) -> None:
    """What the first request after a sign-in records (times, tracked session, second-factor
    check), so that a test's first request costs no more queries than the next ones."""
    import time

    from jianbao.accounts import session_policy
    from jianbao.accounts.sessions import do_track_session

    session = client.session
    now = time.time()
    session[session_policy.LOGIN_AT] = now
    session[session_policy.SEEN_AT] = now
    session[session_policy.SECOND_FACTOR_CHECKED] = True
    session[session_policy.TRACKED_KEY] = session.session_key
    session.save()
    do_track_session(user=user, session_key=session.session_key or "")


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed TOTP device, created when missing."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="测试", confirmed=True)


def browser_login(page: Page, base_url: str, user: User, password: str = PASSWORD) -> None:
    """Sign in through the real login page in Playwright, typing the TOTP code when asked."""
    from jianbao.accounts.two_factor import current_code, otp_required

    device = totp_device(user) if otp_required(user) else None
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    for steps_ahead in (0, 1):  # a code is accepted once: a second login uses the next one
        if device is None or "/accounts/otp/verify/" not in page.url:
            return
        page.fill("#id_code", current_code(device, steps_ahead=steps_ahead))
        page.click("#otp-submit")
        page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def _fast_and_isolated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Cheap password hashing and a private media folder for every test that has Django."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
