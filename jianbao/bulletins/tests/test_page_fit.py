"""The proof's page-fit check: who may see it, and what it says about 《上街信息》第35期."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.services import do_add_submissions, do_transition_issue
from jianbao.bulletins.tests.conftest import AdoptedFactory
from jianbao.bulletins.tests.test_golden_issue import _build_issue_35

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _url(issue: Issue) -> str:
    return reverse("bulletins:page_fit", args=[issue.pk])


def test_access_matrix(  # noqa: PLR0917 - pytest fixtures
    client: Client,
    login: Login,
    outsider: User,
    leader: User,
    editor: User,
    issue: Issue,
    adopted: AdoptedFactory,
) -> None:
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted()])
    response = client.get(_url(issue))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(outsider).get(_url(issue)).status_code == 404
    assert login(leader).get(_url(issue)).status_code == 404  # a draft is invisible to readers
    page = login(editor).get(_url(issue), headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert "版面正常" in page.content.decode()


def test_footer_alone_on_a_page_is_reported_with_remedies(
    login: Login, editor: User, chief: User, series: Series
) -> None:
    issue = _build_issue_35(editor, series)
    text = login(editor).get(_url(issue)).content.decode()
    assert "报尾单独占了第5页" in text
    assert "压缩一行" in text and "移到下一期" in text
    # The proof page loads the check; the chief sees it too once the text is frozen.
    issue = do_transition_issue(issue=issue, action="proof", actor=editor)
    assert (
        _url(issue)
        in login(chief).get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    )
    proof = login(chief).get(_url(issue)).content.decode()
    assert "报尾单独占了第5页" in proof and "退回编辑" in proof
