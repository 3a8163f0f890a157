"""The issue editor in a real browser: drag-and-drop ordering and the merge editor.

Playwright drives Debian's headless chromium against the live server; axe-core (vendored) checks
the new pages for serious accessibility violations, at 1366×768 and at a phone's 390×844.
"""

from __future__ import annotations

from typing import Any

import pytest

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services import do_add_submissions
from jianbao.bulletins.tests.conftest import AdoptedFactory
from jianbao.conftest import BROWSER_TEST, browser_login

pytestmark = BROWSER_TEST
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
AXE = "/static/vendor/axe-core-4.14.1.min.js"
SERIOUS = """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.id + ' ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))"""
WIDE = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''))"""


def signed_in(browser: Any, base: str, user: User, viewport: dict[str, int] = DESK) -> Any:
    page = browser.new_page(viewport=viewport)
    browser_login(page, base, user)
    return page


def serious_violations(page: Any, base: str) -> list[str]:
    page.add_script_tag(url=base + AXE)
    return list(page.evaluate(SERIOUS))


def drag(page: Any, source: Any, target: Any) -> None:
    """Press on `source`, move in steps to just below `target`'s top edge, release."""
    source.scroll_into_view_if_needed()
    target.scroll_into_view_if_needed()
    source.scroll_into_view_if_needed()
    start = source.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 4, start["y"] + 4, steps=3)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 5, steps=20)
    page.mouse.up()


def _titles(issue: Issue) -> list[str]:
    return list(issue.entries.values_list("title", flat=True))


def test_dragging_an_entry_saves_the_new_order(
    browser: Any, live_server: Any, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    items = [adopted(title=title) for title in ("甲稿", "乙稿", "丙稿")]
    do_add_submissions(issue=issue, actor=editor, submissions=items)
    first, _second, third = issue.entries.all()
    page = signed_in(browser, live_server.url, editor)
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    assert page.locator("#entries .drag-handle").count() == 3
    with page.expect_response(lambda r: r.url.endswith("/entries/order/")) as answer:
        drag(
            page,
            page.locator(f"#entry-{third.pk} .drag-handle"),
            page.locator(f"#entry-{first.pk}"),
        )
    assert answer.value.status == 200
    page.locator(".order-message", has_text="已保存新的顺序").wait_for()
    assert _titles(issue) == ["丙稿", "甲稿", "乙稿"]
    # The refreshed list shows the saved order with fresh numbers; a reload shows the same.
    badges = page.locator("#entries .entry .badge").all_inner_texts()
    assert [b.split(" · ")[0] for b in badges] == ["1", "2", "3"]
    page.reload()
    texts = page.locator("#entries .entry .lead").all_inner_texts()
    assert texts == ["丙稿", "甲稿", "乙稿"]
    # A second drop on the refreshed list works too (the list is set up again after the swap).
    entries = issue.entries.all()
    with page.expect_response(lambda r: r.url.endswith("/entries/order/")):
        drag(
            page,
            page.locator(f"#entry-{entries[2].pk} .drag-handle"),
            page.locator(f"#entry-{entries[1].pk}"),
        )
    page.locator(".order-message", has_text="已保存新的顺序").wait_for()
    assert _titles(issue) == ["丙稿", "乙稿", "甲稿"]
    # ↑/↓ remain for the keyboard.
    page.locator(f"#entry-{first.pk} button[title=上移]").focus()
    with page.expect_response(lambda r: r.url.endswith(f"/entries/{first.pk}/move/")):
        page.keyboard.press("Enter")
    assert _titles(issue) == ["丙稿", "甲稿", "乙稿"]
    assert blocked == []  # SortableJS and the order script run under the strict CSP
    assert serious_violations(page, live_server.url) == []


def test_a_drop_on_a_stale_page_is_refused_with_a_message(
    browser: Any, live_server: Any, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    items = [adopted(title=title) for title in ("甲稿", "乙稿")]
    do_add_submissions(issue=issue, actor=editor, submissions=items)
    first, second = issue.entries.all()
    page = signed_in(browser, live_server.url, editor)
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    # Someone else adds an entry meanwhile: this page's order is stale.
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted(title="丙稿")])
    with page.expect_response(lambda r: r.url.endswith("/entries/order/")) as answer:
        drag(
            page,
            page.locator(f"#entry-{second.pk} .drag-handle"),
            page.locator(f"#entry-{first.pk}"),
        )
    assert answer.value.status == 409
    page.locator(".order-message", has_text="您的保存未生效").wait_for()
    assert _titles(issue) == ["甲稿", "乙稿", "丙稿"]
    assert page.locator("#entries .entry .lead").all_inner_texts() == ["甲稿", "乙稿", "丙稿"]


@pytest.mark.parametrize("viewport", [DESK, PHONE], ids=["desk", "phone"])
def test_merging_two_items_in_the_merge_editor(  # noqa: PLR0917
    browser: Any,
    live_server: Any,
    editor: User,
    issue: Issue,
    adopted: AdoptedFactory,
    viewport: dict[str, int],
) -> None:
    adopted(title="区司法局当天受理未成年人求助", body="区司法局当天受理。\n当天答复。")
    adopted(title="区检察院开展双排查", body="区检察院开展双排查。", unit_name="区检察院")
    page = signed_in(browser, live_server.url, editor, viewport)
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    if viewport is PHONE:
        page.locator(".pick").scroll_into_view_if_needed()
    page.locator(".pick input[name=submissions]").nth(0).check()
    page.locator(".pick input[name=submissions]").nth(1).check()
    page.locator("#open-merge-editor").click()
    page.wait_for_load_state("networkidle")
    assert f"/issues/{issue.pk}/merge/editor/" in page.url

    # Both sources, each with its unit, title and text, side by side (stacked on a phone).
    sources = page.locator(".merge-source")
    assert sources.count() == 2
    text = page.locator(".merge-sources").inner_text()
    for expected in (
        "区司法局当天受理未成年人求助",
        "区检察院开展双排查",
        "区司法局当天受理。",
        "当天答复。",
        "区检察院开展双排查。",
        "区委宣传部",
        "区检察院",
    ):
        assert expected in text
    left, right = sources.nth(0).bounding_box(), sources.nth(1).bounding_box()
    if viewport is DESK:
        assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"] - 1
    else:
        assert abs(left["x"] - right["x"]) < 2 and right["y"] >= left["y"] + left["height"]
    assert page.evaluate(WIDE) == []
    # The form starts from the first title and the texts joined; credit goes to both units.
    assert page.locator("#id_title").input_value() == "区司法局当天受理未成年人求助"
    assert "当天答复。\n区检察院开展双排查。" in page.locator("#id_body").input_value()
    assert "区委宣传部、区检察院" in page.locator(".merge-credit").inner_text()
    assert serious_violations(page, live_server.url) == []

    page.fill("#id_title", "我区多部门联动筑牢未成年人保护防线")
    page.fill("#id_body", "司法、检察部门联动，当天受理、双排查。")
    page.locator(".merge-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("#")[0].rstrip("/").endswith(f"/issues/{issue.pk}")
    entry = issue.entries.get()
    assert entry.title == "我区多部门联动筑牢未成年人保护防线"
    assert {s.unit.name for s in entry.sources.all()} == {"区委宣传部", "区检察院"}
    shown = page.locator(f"#entry-{entry.pk}").inner_text()
    assert "我区多部门联动筑牢未成年人保护防线" in shown
    assert "司法、检察部门联动，当天受理、双排查。" in shown
    assert "综合采用 2 篇" in shown
