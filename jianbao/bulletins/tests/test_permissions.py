"""Who may see and do what: every page, download and endpoint refuses outsiders."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.services import do_add_submissions, do_create_issue, do_transition_issue
from jianbao.bulletins.tests.conftest import AdoptedFactory, CaptureOnCommit

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def draft(issue: Issue, editor: User, adopted: AdoptedFactory) -> Issue:
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted()])
    return issue


@pytest.fixture
def published(
    series: Series,
    editor: User,
    chief: User,
    adopted: AdoptedFactory,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> Issue:
    issue = do_create_issue(series=series, actor=editor)
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted(title="另一条")])
    # The files move into place when publishing commits (never, in a test's transaction).
    with django_capture_on_commit_callbacks(execute=True):
        for action, actor in [("proof", editor), ("sign", chief), ("publish", editor)]:
            issue = do_transition_issue(issue=issue, action=action, actor=actor)
    return issue


def _reads(issue: Issue) -> list[str]:
    return [
        reverse("bulletins:detail", args=[issue.pk]),
        reverse("bulletins:read", args=[issue.pk]),
        reverse("bulletins:preview_pdf", args=[issue.pk]),
        *(
            reverse("bulletins:download", args=[issue.pk, fmt])
            for fmt in ("docx", "pdf", "html", "ofd")
        ),
    ]


def _writes(issue: Issue) -> list[str]:
    entry = issue.entries.get()
    return [
        reverse("bulletins:header", args=[issue.pk]),
        reverse("bulletins:footer", args=[issue.pk]),
        reverse("bulletins:transition", args=[issue.pk]),
        reverse("bulletins:correction", args=[issue.pk]),
        reverse("bulletins:add_submissions", args=[issue.pk]),
        reverse("bulletins:merge", args=[issue.pk]),
        reverse("bulletins:create_entry", args=[issue.pk]),
        reverse("bulletins:edit_entry", args=[issue.pk, entry.pk]),
        reverse("bulletins:move_entry", args=[issue.pk, entry.pk]),
        reverse("bulletins:remove_entry", args=[issue.pk, entry.pk]),
    ]


def _office_pages() -> list[str]:
    return [
        reverse("bulletins:create"),
        reverse("bulletins:series_list"),
        reverse("bulletins:series_create"),
    ]


def test_anonymous_is_sent_to_login(client: Client, draft: Issue, series: Series) -> None:
    urls = [reverse("bulletins:list"), *_office_pages(), *_reads(draft), *_writes(draft)]
    urls.append(reverse("bulletins:series_edit", args=[series.pk]))
    for url in urls:
        response = client.get(url) if url in _reads(draft) else client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_outsider_sees_and_does_nothing(
    login: Login, outsider: User, draft: Issue, published: Issue, series: Series
) -> None:
    client = login(outsider)
    assert client.get(reverse("bulletins:list")).status_code == 403
    for url in [*_office_pages(), reverse("bulletins:series_edit", args=[series.pk])]:
        assert client.get(url).status_code in {403, 404}, url
    for issue in (draft, published):
        for url in _reads(issue):
            assert client.get(url).status_code == 404, url
        for url in _writes(issue):
            assert client.post(url, {"action": "proof"}).status_code in {403, 404}, url


@pytest.mark.parametrize("persona", ["leader", "reporter_b"])
def test_readers_see_published_issues_only_and_change_nothing(
    request: pytest.FixtureRequest, persona: str, login: Login, draft: Issue, published: Issue
) -> None:
    client = login(request.getfixturevalue(persona))
    listing = client.get(reverse("bulletins:list")).content.decode()
    assert f"{published.year}年第{published.number}期" in listing
    assert f"{draft.year}年第{draft.number}期" not in listing
    for url in _reads(draft):
        assert client.get(url).status_code == 404, url
    # The reading page and the frozen files of a published issue are theirs to read.
    assert client.get(reverse("bulletins:detail", args=[published.pk])).status_code == 302
    for url in _reads(published)[1:]:
        assert client.get(url).status_code == 200, url
    for url in [*_office_pages(), reverse("bulletins:series_edit", args=[draft.series.pk])]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "改名", "organ": "改"}).status_code == 403, url
    for issue in (draft, published):
        for url in _writes(issue):
            assert client.post(url, {"action": "void", "reason": "x"}).status_code in {403, 404}
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.state, published.state) == ("draft", "published")


def test_api_refuses_outsiders_and_readers(
    login: Login, outsider: User, leader: User, draft: Issue, published: Issue
) -> None:
    entry, series = draft.entries.get(), draft.series
    for user in (outsider, leader):
        client = login(user)
        listing = client.get("/api/v1/issues").json()
        expected = [] if user == outsider else [published.pk]
        assert [item["id"] for item in listing["items"]] == expected
        assert client.get(f"/api/v1/issues/{draft.pk}").status_code == 404
        assert client.get(f"/api/v1/issues/{draft.pk}/bulletin").status_code == 404
        writes = [
            ("post", "/api/v1/issues", {"series_id": series.pk}),
            ("post", f"/api/v1/issues/{draft.pk}/entries/from-submissions", {"submission_ids": []}),
            (
                "post",
                f"/api/v1/issues/{draft.pk}/entries/merge",
                {"submission_ids": [], "title": "x"},
            ),
            ("post", f"/api/v1/issues/{draft.pk}/entries", {"body": "x", "title": "x"}),
            (
                "patch",
                f"/api/v1/issues/{draft.pk}/entries/{entry.pk}",
                {"version": 1, "kind": "item", "title": "x", "body": "x"},
            ),
            ("delete", f"/api/v1/issues/{draft.pk}/entries/{entry.pk}", None),
            ("put", f"/api/v1/issues/{draft.pk}/order", {"entry_ids": [entry.pk]}),
            ("post", f"/api/v1/issues/{draft.pk}/transitions", {"action": "proof"}),
            ("post", f"/api/v1/issues/{published.pk}/correction", {"notice": "x"}),
        ]
        for method, url, body in writes:
            response = getattr(client, method)(
                url,
                data=json.dumps(body) if body is not None else None,
                content_type="application/json",
            )
            assert response.status_code == 403, (user, url, response.content)
    anonymous = Client()
    assert anonymous.get("/api/v1/issues").status_code == 401
