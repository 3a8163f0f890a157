"""Existence never leaks: what a user may not see is refused exactly like a missing id."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from jianbao.accounts.models import Role, User
from jianbao.accounts.tests.factories import UserFactory
from jianbao.bulletins.models import Issue
from jianbao.search.selectors import SearchFilters, search
from jianbao.submissions.tests.factories import make_submission

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
MISSING = 987654


def _post(client: Client, url: str, payload: dict[str, object]) -> tuple[int, str]:
    response = client.post(url, json.dumps(payload), content_type="application/json")
    return response.status_code, response.json().get("detail", "")


@pytest.mark.parametrize("endpoint", ["entries/from-submissions", "entries/merge"])
def test_another_units_draft_is_the_same_404_as_a_missing_id(
    login: Login, editor: User, reporter_b: User, issue: Issue, endpoint: str
) -> None:
    draft = make_submission(author=reporter_b, title="总工会尚未报送的内部稿件")
    client = login(editor)
    assert client.get(f"/api/v1/submissions/{draft.pk}").status_code == 404
    url = f"/api/v1/issues/{issue.pk}/{endpoint}"
    extra = {"title": "综合"} if endpoint.endswith("merge") else {}
    hidden = _post(client, url, {"submission_ids": [draft.pk], **extra})
    missing = _post(client, url, {"submission_ids": [MISSING], **extra})
    assert hidden[0] == missing[0] == 404
    assert "总工会尚未报送" not in hidden[1]
    assert hidden[1].replace(str(draft.pk), "N") == missing[1].replace(str(MISSING), "N")


def test_an_issue_of_no_concern_is_refused_like_a_missing_one(
    login: Login, reporter_a: User, issue: Issue
) -> None:
    client = login(reporter_a)
    url = f"/api/v1/issues/{issue.pk}/transitions"
    hidden = _post(client, url, {"action": "proof", "version": 1})
    missing = _post(
        client, f"/api/v1/issues/{MISSING}/transitions", {"action": "proof", "version": 1}
    )
    assert hidden == missing  # refused the same way whether the issue exists or not


def test_search_unit_counts_leave_out_what_the_user_may_not_see(
    editor: User, reporter_b: User
) -> None:
    make_submission(author=reporter_b, title="总工会草稿里的独特词语甲乙丙")
    results = search(editor, "独特词语甲乙丙", SearchFilters())
    assert results.total == 0
    assert results.facets == []


def test_the_admin_has_no_list_of_search_documents(login: Login, reporter_b: User) -> None:
    make_submission(author=reporter_b, title="总工会尚未报送的内部稿件")
    admin = UserFactory(username="root", roles=[Role.ADMIN])
    response = login(admin).get("/admin/search/searchdocument/")
    assert response.status_code == 404
    assert "总工会尚未报送" not in response.content.decode()
