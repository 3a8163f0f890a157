"""The JSON API: token auth for integrations, the same services and rules as the pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from jianbao.accounts.models import User
from jianbao.accounts.services import do_issue_api_token
from jianbao.submissions.models import Submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def bearer(user: User) -> dict[str, str]:
    _token, key = do_issue_api_token(user=user, name="测试")
    return {"Authorization": f"Bearer {key}"}


def test_openapi_schema_is_published(client: Client, reporter_a: User) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 302  # signed-in users only
    client.force_login(reporter_a)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/submissions" in schema["paths"]
    assert "/api/v1/submissions/{submission_id}/transitions" in schema["paths"]


def test_token_client_creates_edits_and_submits(
    client: Client, reporter_a: User, editor: User
) -> None:
    headers = bearer(reporter_a)
    created = client.post(
        "/api/v1/submissions",
        {"title": "区委宣传部开展文明实践活动", "body": "一是……\n二是……", "kind": "item"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["state"] == "draft"
    assert data["unit"]["name"] == "区委宣传部"
    assert "submit" in data["allowed_actions"]
    submitted = client.post(
        f"/api/v1/submissions/{data['id']}/transitions",
        {"action": "submit", "version": data["version"]},
        content_type="application/json",
        headers=headers,
    )
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"
    # The editor sees it through the API and claims it.
    office = bearer(editor)
    listing = client.get("/api/v1/submissions", {"state": "submitted"}, headers=office).json()
    assert listing["count"] == 1
    claimed = client.post(
        f"/api/v1/submissions/{data['id']}/transitions",
        {"action": "claim"},
        content_type="application/json",
        headers=office,
    )
    assert claimed.json()["state"] == "in_review"
    history = client.get(f"/api/v1/submissions/{data['id']}/history", headers=office).json()
    assert [h["action"] for h in history] == ["create", "submit", "claim"]


def test_bad_input_gets_a_4xx_with_a_reason(client: Client, reporter_a: User) -> None:
    headers = bearer(reporter_a)
    empty = client.post(
        "/api/v1/submissions",
        {"title": "标题", "body": " "},
        content_type="application/json",
        headers=headers,
    )
    assert empty.status_code == 400
    assert "正文不能为空" in empty.json()["detail"]
    wrong_kind = client.post(
        "/api/v1/submissions",
        {"title": "标题", "body": "正文", "kind": "poem"},
        content_type="application/json",
        headers=headers,
    )
    assert wrong_kind.status_code == 422
    assert Submission.objects.count() == 0
    unknown_action = client.post(
        "/api/v1/submissions/999/transitions",
        {"action": "fly"},
        content_type="application/json",
        headers=headers,
    )
    assert unknown_action.status_code == 404


def test_transition_errors_are_clear(client: Client, reporter_a: User) -> None:
    headers = bearer(reporter_a)
    item = client.post(
        "/api/v1/submissions",
        {"title": "标题", "body": "正文"},
        content_type="application/json",
        headers=headers,
    ).json()
    refused = client.post(
        f"/api/v1/submissions/{item['id']}/transitions",
        {"action": "adopt"},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 400
    assert "不能执行「采用」" in refused.json()["detail"]
    unknown = client.post(
        f"/api/v1/submissions/{item['id']}/transitions",
        {"action": "fly"},
        content_type="application/json",
        headers=headers,
    )
    assert unknown.status_code == 400
    assert Submission.objects.get().state == State.DRAFT


def test_revoked_or_unknown_token_is_refused(client: Client) -> None:
    response = client.get("/api/v1/submissions", headers={"Authorization": "Bearer jb_nope"})
    assert response.status_code == 401
