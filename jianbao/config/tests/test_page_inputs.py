"""Every page's filters and forms take hostile values without a 500 (a 4xx or the form again)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from jianbao.accounts.models import User
from jianbao.archive.models import ImportItem, ItemState
from jianbao.archive.services import do_create_batch
from jianbao.bulletins import rendering
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.services import do_create_entry
from jianbao.submissions.models import Submission

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

HOSTILE = [
    "9223372036854775808",
    "-9223372036854775809",
    "2147483648",
    "99999999999999999999999999999999",
    "1e309",
    "-1",
    "abc",
    "长" * 3000,
]
FIELDS = [
    "unit", "kind", "state", "date_from", "date_to", "q", "page", "series", "year", "doc_type",
    "sort", "action", "a", "b", "version", "number", "total_number", "copies", "source_units",
    "submission_ids", "entry-count", "start", "end", "issue_date", "title", "body", "reason",
    "direction", "next",
]  # fmt: skip

GET_PAGES = [
    "/submissions/inbox/", "/submissions/", "/search/", "/issues/", "/issues/new/",
    "/archive/", "/accounts/audit/", "/submissions/{draft}/compare/",
]  # fmt: skip
POST_PAGES = [
    "/submissions/new/", "/submissions/{draft}/edit/", "/submissions/{draft}/transition/",
    "/issues/new/", "/issues/series/new/", "/issues/{issue}/header/", "/issues/{issue}/footer/",
    "/issues/{issue}/transition/", "/issues/{issue}/add/", "/issues/{issue}/merge/",
    "/issues/{issue}/entries/new/", "/issues/{issue}/entries/{entry}/edit/",
    "/issues/{issue}/entries/{entry}/move/", "/archive/items/{item}/edit/",
    "/archive/items/{item}/unit/", "/proofreading/submissions/{draft}/accept/",
    "/proofreading/issues/{issue}/entries/{entry}/accept/",
]  # fmt: skip


@pytest.fixture
def ids(
    editor: User, draft: Submission, issue: Issue, series: Series, monkeypatch: pytest.MonkeyPatch
) -> dict[str, int]:
    monkeypatch.setattr(rendering, "render_pdf", lambda bulletin: b"%PDF-1.7\n")
    entry = do_create_entry(issue=issue, actor=editor, kind="item", title="标题", body="正文。")
    item = ImportItem.objects.create(
        batch=do_create_batch(actor=editor), original_name="a.txt", sha256="0" * 64,
        state=ItemState.NEEDS_REVIEW,
    )  # fmt: skip
    return {"draft": draft.pk, "issue": issue.pk, "entry": entry.pk, "item": item.pk}


def _client(login: Login, url: str, editor: User, reporter_a: User) -> Client:
    return login(reporter_a if url.startswith("/submissions/") else editor)


@pytest.mark.parametrize("value", HOSTILE)
def test_page_filters_never_500(
    *, login: Login, editor: User, reporter_a: User, auditor: User, ids: dict[str, int], value: str
) -> None:
    query = dict.fromkeys(FIELDS, value)
    for url in GET_PAGES:
        client = login(auditor) if "audit" in url else _client(login, url, editor, reporter_a)
        response = client.get(url.format(**ids), query)
        assert response.status_code < 500, (url, value, response.status_code)


@pytest.mark.parametrize("value", HOSTILE)
def test_page_forms_never_500(
    login: Login, editor: User, reporter_a: User, ids: dict[str, int], value: str
) -> None:
    form = dict.fromkeys(FIELDS, value)
    for url in POST_PAGES:
        response = _client(login, url, editor, reporter_a).post(url.format(**ids), form)
        assert response.status_code < 500, (url, value, response.status_code)


def test_nul_in_any_page_form_is_refused_before_the_view(
    login: Login, editor: User, ids: dict[str, int]
) -> None:
    client = login(editor)
    for url in POST_PAGES:
        if url.startswith("/submissions/"):
            continue
        response = client.post(url.format(**ids), {"title": "标\x00题", "body": "正文"})
        assert response.status_code == 400, url
        assert "空字符" in response.content.decode()


def test_an_invalid_inbox_filter_is_ignored_with_a_message(login: Login, editor: User) -> None:
    response = login(editor).get("/submissions/inbox/", {"unit": "9223372036854775808"})
    assert response.status_code == 200
    assert "筛选条件无效，已忽略" in response.content.decode()
