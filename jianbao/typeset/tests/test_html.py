"""The HTML reading page: standalone, with screen and print styles and the issue's structure."""

from __future__ import annotations

import json

from jianbao.typeset import Bulletin, render_html
from jianbao.typeset.tests.extract import REFERENCE_JSON


def test_structure() -> None:
    data = json.loads(REFERENCE_JSON.read_text(encoding="utf-8"))
    data["entries"][0]["section"] = "工作动态"
    page = render_html(Bulletin.from_json(data))
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    assert "@media print" in page
    assert "@page { size: A4" in page
    assert "<h1>上街信息</h1>" in page
    assert '<h2 class="section">【工作动态】</h2>' in page
    assert page.count('<div class="entry item">') == 8
    assert page.count('<div class="entry brief">') == 2
    assert "<strong>我区多部门联动筑牢未成年人保护防线</strong>" in page
    assert '<p class="brief">△近日' in page
    assert '<footer class="colophon">' in page
    assert "<span>责任编辑：王思宇 柴亚文</span>" in page
    assert "http" not in page.replace("http-equiv", "")  # nothing fetched from elsewhere
