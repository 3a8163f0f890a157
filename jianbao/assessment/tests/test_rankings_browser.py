"""Rankings, the 通报 and statistics in a real browser: open the ranking, drill into a unit's
ledger, download the XLSX and the DOCX, see the statistics charts (canvas) beside their tables.
Playwright with Debian's headless chromium."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import docx
import openpyxl
import pytest

from jianbao.accounts.models import Unit, UnitKind, User
from jianbao.assessment.models import UnitClass
from jianbao.assessment.tests.rankings_data import adoption, points, unit
from jianbao.bulletins.services import do_create_series
from jianbao.conftest import BROWSER_TEST, browser_login

pytestmark = BROWSER_TEST


@pytest.fixture
def june(editor: User) -> dict[str, Unit]:
    do_create_series(actor=editor, title="信息工作通报", organ="中共上街区委办公室")
    # A transactional test before this one may have flushed the classes the migration made.
    UnitClass.objects.get_or_create(
        name="区直单位", defaults={"order": 10, "default_for_kind": UnitKind.DISTRICT_OFFICE}
    )
    sifa, caizheng = unit("区司法局", order=1), unit("区财政局", order=2)
    points(sifa, date(2024, 6, 3), "37")
    adoption(sifa, date(2024, 6, 3), level="city", outlet="郑州信息")
    points(caizheng, date(2024, 6, 12), "12")
    adoption(caizheng, date(2024, 6, 12))
    return {"sifa": sifa, "caizheng": caizheng}


def _page(browser: Any, base: str, user: User) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    browser_login(page, base, user)
    return page


def test_ranking_drill_down_and_both_exports(
    browser: Any, live_server: Any, editor: User, june: dict[str, Unit]
) -> None:
    page = _page(browser, live_server.url, editor)
    page.click("text=排名通报")
    page.select_option("#id_kind", "month")
    page.fill("#id_year", "2024")
    page.select_option("#id_month", "6")
    page.click("form.period-form button[type=submit]")
    page.wait_for_selector("text=信息工作排名 · 2024年6月")
    rows = page.locator("table.ranking tbody tr")
    assert "区司法局" in rows.nth(0).inner_text() and "区财政局" in rows.nth(1).inner_text()

    with page.expect_download() as xlsx_download:
        page.click("text=导出 XLSX")
    with open(xlsx_download.value.path(), "rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    assert book["区直单位"]["B2"].value == "区司法局" and book["区直单位"]["C2"].value == 37

    page.fill("#id_introduction", "现将6月份情况通报如下，请各单位对照改进。")
    with page.expect_download() as docx_download:
        page.click("text=下载 DOCX 草稿")
    with open(docx_download.value.path(), "rb") as handle:
        document = docx.Document(io.BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "现将6月份情况通报如下，请各单位对照改进。" in text
    assert document.tables[0].rows[1].cells[1].text == "区司法局"

    page.click("table.ranking tbody tr:first-child a")  # the total opens the unit's ledger
    page.wait_for_load_state("networkidle")
    assert f"/ledger/units/{june['sifa'].pk}/" in page.url
    assert "37" in page.content()


def test_statistics_draw_charts_beside_tables(
    browser: Any, live_server: Any, leader: User, june: dict[str, Unit]
) -> None:
    page = _page(browser, live_server.url, leader)
    page.goto(f"{live_server.url}/assessment/statistics/?period=2024-06")
    page.wait_for_selector("[data-chart=units] canvas")
    assert page.locator(".chart-block").count() == 7
    assert page.locator("[data-chart] canvas").count() >= 7
    assert page.locator(".chart-block table.data").count() == 7
    table = page.locator(".chart-block").first.locator("table.data").inner_text()
    assert "区司法局" in table
    # Chart and table side by side at 1366×768: the table starts right of the chart.
    chart_box = page.locator("[data-chart=units]").bounding_box()
    table_box = page.locator(".chart-block").first.locator("table.data").bounding_box()
    assert table_box["x"] >= chart_box["x"] + chart_box["width"] - 1
    page.emulate_media(media="print")
    assert page.locator("header.top").is_hidden()
