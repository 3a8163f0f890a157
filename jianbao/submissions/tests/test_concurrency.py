"""Two editors save one item: the stale save is refused, names who changed it, loses nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def form(item_version: int, body: str) -> dict[str, object]:
    return {
        "title": "标题",
        "body": body,
        "kind": "item",
        "urgency": "normal",
        "version": item_version,
    }


def test_stale_page_save_is_refused_and_keeps_the_refused_text(
    login: Login, reporter_a: User, editor: User, chief: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor)
    loaded_version = item.version
    # The chief (who may edit any claimed item) saves first, from the same version.
    first = login(chief).post(
        reverse("submissions:edit", args=[item.pk]), form(loaded_version, "签发人的修改。")
    )
    assert first.status_code == 302
    # The editor's save was made on the stale version.
    second = login(editor).post(
        reverse("submissions:edit", args=[item.pk]), form(loaded_version, "编辑的修改。")
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "李主任" in html and "修改" in html
    assert "编辑的修改。" in html  # the refused text is still in the form
    assert "签发人的修改。" in html  # next to the current text
    item.refresh_from_db()
    assert item.body == "签发人的修改。"


def test_stale_api_save_is_409_with_who_and_when(login: Login, reporter_a: User) -> None:
    item = make_submission(author=reporter_a)
    client = login(reporter_a)
    url = f"/api/v1/submissions/{item.pk}"
    ok = client.patch(
        url,
        {"version": item.version, "title": "新标题", "body": "第一次保存。"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    stale = client.patch(
        url,
        {"version": item.version, "title": "新标题", "body": "第二次保存。"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    payload = stale.json()
    assert payload["changed_by"] == "宣传部信息员"
    assert payload["current_version"] == item.version + 1
    assert payload["changed_at"]
    item.refresh_from_db()
    assert item.body == "第一次保存。"
