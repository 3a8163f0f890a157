"""Every main page at a phone's 390×844 and at the office's 1366×768 (issue 18), in a real browser.

At both sizes no page is wider than the screen; axe-core (vendored, injected from the server's
static files so the Content-Security-Policy stays on) finds no serious or critical violation.
At phone width the menu collapses behind 「菜单」; the skip link leads to the content; a reporter
writes an item, takes a photo and submits it, all at 390×844 on a touch screen.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from jianbao.accounts.models import Role, User
from jianbao.accounts.tests.factories import UserFactory
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services import do_add_submissions, do_create_issue, do_create_series
from jianbao.conftest import BROWSER_TEST, browser_login
from jianbao.submissions.models import Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = BROWSER_TEST
AXE = "/static/vendor/axe-core-4.14.1.min.js"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}
# A 1×1 JPEG, as a phone's camera would hand over (only the suffix and size are checked).
PHOTO = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c"
    "1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0"
    "000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bff"
    "da0008010100003f00d2cf20ffd9"
)
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ')[0] : ''))"""
SERIOUS = """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.id + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))"""


@dataclass(frozen=True)
class World:
    item: Submission
    issue: Issue


@pytest.fixture
def world(reporter_a: User, editor: User, unit_b: object) -> World:
    item = make_submission(author=reporter_a, state=State.SUBMITTED, title="夜间模式开放")
    make_submission(author=reporter_a, state=State.RETURNED, editor=editor, title="退回的稿件")
    adopted = make_submission(author=reporter_a, state=State.ADOPTED, editor=editor)
    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted])
    return World(item=item, issue=issue)


def main_pages(world: World) -> dict[str, list[str]]:
    """The pages each persona opens in a day (the screenshot pages and the new ones)."""
    return {
        "reporter": [
            "/",
            "/submissions/",
            "/submissions/new/",
            f"/submissions/{world.item.pk}/",
            "/commissions/",
            "/notifications/",
            "/issues/",
            "/distribution/",
            "/assessment/rankings/",
            "/assessment/ledger/",
            "/help/",
            "/help/reporter/",
        ],
        "editor": [
            "/",
            "/submissions/inbox/",
            f"/submissions/{world.item.pk}/",
            "/issues/",
            f"/issues/{world.issue.pk}/",
            f"/issues/{world.issue.pk}/read/",
            "/search/?q=夜间",
            "/commissions/",
            "/assessment/statistics/",
            "/archive/",
            "/proofreading/settings/",
            "/accounts/tokens/",
        ],
        "chief": ["/", "/accounts/security/"],
        "leader": ["/", "/issues/", "/distribution/"],
        "admin": ["/", "/accounts/lockouts/"],
        "auditor": ["/accounts/audit/"],
        "anonymous": ["/accounts/login/", "/help/editor/"],
    }


def check_page(page: Any, base: str, path: str, size: dict[str, int]) -> list[str]:
    """What is wrong with one page at one size (an empty list when nothing is). axe runs at
    phone width with the menu open, so the header's controls are checked too."""
    page.set_viewport_size(size)
    response = page.goto(base + path)
    page.wait_for_load_state("networkidle")
    where = f"{path} at {size['width']}px"
    if response is None or response.status != 200:
        return [f"{where}: status {response and response.status}"]
    problems = []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > size["width"]:
        problems.append(f"{where}: {scroll_width}px wide, {page.evaluate(WIDE)}")
    if size == PHONE:
        toggle = page.locator("#menu-toggle")
        if toggle.count():
            toggle.click()
        page.add_script_tag(url=base + AXE)
        problems.extend(f"{where}: axe {found}" for found in page.evaluate(SERIOUS))
    return problems


def test_every_main_page_fits_a_phone_and_the_desk_with_no_serious_axe_violation(  # noqa: PLR0917
    browser: Any,
    live_server: Any,
    world: World,
    reporter_a: User,
    editor: User,
    chief: User,
    leader: User,
    auditor: User,
) -> None:
    admin = UserFactory(username="admin_p", roles=[Role.ADMIN])
    people = {
        "reporter": reporter_a,
        "editor": editor,
        "chief": chief,
        "leader": leader,
        "admin": admin,
        "auditor": auditor,
        "anonymous": None,
    }
    base = live_server.url
    problems: list[str] = []
    for persona, paths in main_pages(world).items():
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        page = context.new_page()
        person = people[persona]
        if person is not None:
            browser_login(page, base, person)
        for path in paths:
            for size in (PHONE, DESK):
                problems.extend(check_page(page, base, path, size))
        context.close()
    assert not problems, "\n".join(problems)


def test_the_menu_collapses_on_a_phone_and_the_skip_link_leads_to_the_content(
    browser: Any, live_server: Any, editor: User
) -> None:
    base = live_server.url
    page = browser.new_page(viewport=PHONE)
    browser_login(page, base, editor)
    nav, toggle = page.locator("nav[aria-label=主菜单]"), page.locator("#menu-toggle")
    assert toggle.is_visible() and toggle.inner_text() == "菜单" and not nav.is_visible()
    assert page.locator("header .bell").is_visible()  # the count stays in sight
    toggle.click()
    assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    box = nav.locator("a", has_text="收稿箱").bounding_box()
    assert box is not None and box["height"] >= 44  # a finger-sized target
    page.locator("details.user-menu > summary").click()
    assert page.locator(".user-menu-list button", has_text="退出").is_visible()
    nav.locator("a", has_text="收稿箱").click()
    page.wait_for_load_state("networkidle")
    assert "/submissions/inbox/" in page.url and not nav.is_visible()

    page.set_viewport_size(DESK)
    page.reload()
    assert nav.is_visible() and not toggle.is_visible()
    assert not page.locator(".user-menu-list").is_visible()  # behind the name until opened
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "跳到正文" and skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_reporter_writes_takes_a_photo_and_submits_on_a_phone(
    browser: Any, live_server: Any, reporter_a: User
) -> None:
    base = live_server.url
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    browser_login(page, base, reporter_a)
    page.locator("#menu-toggle").tap()
    page.locator("nav a", has_text="写信息").tap()
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", "街道开展夜间文明实践")
    page.fill("#id_body", "延长新时代文明实践中心开放时间。\n晚间持续开展公益课堂。")
    camera = page.locator("#id_attachments_camera")
    assert camera.is_visible() and camera.get_attribute("capture") == "environment"
    assert page.locator("label[for=id_attachments_camera]").inner_text() == "拍照上传"
    camera.set_input_files(
        files=[{"name": "现场照片.jpg", "mimeType": "image/jpeg", "buffer": PHOTO}]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("button[value=submit]").tap()
    page.wait_for_selector("text=操作成功")
    item = Submission.objects.get(title="街道开展夜间文明实践")
    assert item.state == State.SUBMITTED
    assert [a.original_name for a in item.attachments.all()] == ["现场照片.jpg"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
