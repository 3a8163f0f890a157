"""Distribution in a real browser: an issue published to three recipients, one reads it on a
phone (390×844, no sideways scrolling) and signs; the office sees 1/3 and reminds the others.
Playwright driving Debian's headless chromium."""

from __future__ import annotations

from typing import Any

from jianbao.accounts.models import User
from jianbao.bulletins.models import Series
from jianbao.conftest import BROWSER_TEST, browser_login
from jianbao.distribution import services
from jianbao.distribution.models import Line, Receipt
from jianbao.distribution.tests.conftest import Publish
from jianbao.notifications.models import Notification, NotificationKind

pytestmark = BROWSER_TEST
NO_SIDEWAYS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def test_a_recipient_reads_and_signs_on_a_phone_and_the_office_reminds_the_rest(  # noqa: PLR0917
    browser: Any, live_server: Any, editor: User, series: Series, leaders: list[User],
    immediate_tasks: None, publish: Publish,
) -> None:  # fmt: skip
    base = live_server.url
    group = services.do_save_group(actor=editor, name="区县处级领导", members=leaders)
    services.do_add_series_recipient(
        actor=editor, series=series, line=Line.SEND, kind="group", group=group, paper=True
    )
    issue = publish()
    assert Receipt.objects.filter(issue=issue).count() == 3

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    browser_login(phone, base, leaders[0])
    phone.goto(f"{base}/distribution/")
    phone.click("#inbox >> text=上街信息")
    phone.wait_for_selector("#acknowledge")
    frame = phone.frame_locator("iframe.bulletin")
    masthead = frame.locator("header.masthead")
    masthead.wait_for()
    assert phone.evaluate(NO_SIDEWAYS), "the reading page scrolls sideways at 390 px"
    box = masthead.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert "上街信息" in masthead.inner_text()
    phone.click("#acknowledge")
    phone.wait_for_selector("text=签收本期")
    assert phone.evaluate(NO_SIDEWAYS)
    signed = Receipt.objects.get(issue=issue, recipient=leaders[0])
    assert signed.first_read_at is not None and signed.acknowledged_at is not None

    office = browser.new_page(viewport={"width": 1366, "height": 768})
    browser_login(office, base, editor)
    office.goto(f"{base}/distribution/issues/{issue.pk}/")
    counts = office.locator("#counts").inner_text()
    assert "已签收 1/3" in counts and "已阅 1/3" in counts
    office.select_option("#id_state", "unsigned")
    # A locator wait, not wait_for_function: a string predicate is eval'd, which the CSP forbids.
    from playwright.sync_api import expect

    expect(office.locator("#receipts")).not_to_contain_text("张书记")
    assert "李区长" in office.locator("#receipts").inner_text()
    office.click("#remind")
    office.wait_for_selector("text=已向 2 位未签收的分发对象发送催阅提醒")
    reminded = Notification.objects.filter(kind=NotificationKind.ISSUE_READ_REMINDER)
    assert set(reminded.values_list("recipient", flat=True)) == {leaders[1].pk, leaders[2].pk}
