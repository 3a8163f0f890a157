"""The 500 page looks like the rest of the application and speaks Chinese (issue 18)."""

from __future__ import annotations

from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_server_error_page_is_styled_and_in_chinese() -> None:
    response = server_error(RequestFactory().get("/issues/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出现错误" in page and "返回工作台" in page
    assert 'href="/static/css/jianbao.css"' in page and 'name="viewport"' in page
    assert "<script" not in page and "style=" not in page
