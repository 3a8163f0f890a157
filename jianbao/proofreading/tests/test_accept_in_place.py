"""「采纳」 without a reload or a revision per fix; 「全部采纳」 per type and for the item."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.proofreading.selectors import check_submission
from jianbao.submissions.models import Submission
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

BODY = (
    "重点治理辖区环境卫生、占道游商、突店经营、夜市摊点等。"
    "持续深入企业面对面指导解决协商中的遇到的各种问题。"
)


def _accept_first(client: Client, item: Submission) -> str:
    finding = next(
        (field.field, f)
        for field in check_submission(item)
        for f in field.findings
        if f.suggestion is not None
    )
    field, f = finding
    response = client.post(
        reverse("proofreading:accept", args=[item.pk]),
        {"field": field, "start": f.start, "end": f.end, "text": f.text,
         "suggestion": f.suggestion, "version": item.version},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 200
    return response.content.decode()


def test_accepts_swap_the_panel_and_fold_into_one_revision(
    login: Login, reporter_a: User, editor: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor, body=BODY)
    before = item.revisions.count()
    office = login(editor)
    html = _accept_first(office, item)
    assert html.lstrip().startswith('<div id="proofread-panel">')  # a partial, not a page
    assert "<html" not in html and "已采纳" in html
    assert 'id="item-text" hx-swap-oob="true"' in html and 'id="id_version"' in html
    item.refresh_from_db()
    _accept_first(office, item)
    item.refresh_from_db()
    assert item.revisions.count() == before + 1  # two fixes, one new revision
    assert item.revisions.last().note == "校对采纳"  # type: ignore[union-attr]
    assert "出店经营" in item.body


def test_accept_all_for_the_item(login: Login, reporter_a: User, editor: User) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor, body=BODY)
    office = login(editor)
    panel = office.get(reverse("proofreading:submission", args=[item.pk])).content.decode()
    assert "全部采纳" in panel
    response = office.post(
        reverse("proofreading:accept_all", args=[item.pk]),
        {"version": item.version},
        HTTP_HX_REQUEST="true",
    )
    assert "已采纳" in response.content.decode()
    item.refresh_from_db()
    assert "出店经营" in item.body
    remaining = [f for c in check_submission(item) for f in c.findings if f.suggestion is not None]
    assert remaining == []


def test_accept_all_of_one_type_leaves_the_others(
    login: Login, reporter_a: User, editor: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor, body=BODY)
    findings = [f for c in check_submission(item) for f in c.findings if f.suggestion is not None]
    rules = {f.rule for f in findings}
    rule = sorted(rules)[0]
    login(editor).post(
        reverse("proofreading:accept_all", args=[item.pk]), {"version": item.version, "rule": rule}
    )
    item.refresh_from_db()
    left = {f.rule for c in check_submission(item) for f in c.findings if f.suggestion is not None}
    assert rule not in left
    assert left == rules - {rule}


def test_accept_all_is_refused_to_others(
    login: Login, reporter_a: User, editor: User, editor2: User, outsider: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor, body=BODY)
    url = reverse("proofreading:accept_all", args=[item.pk])
    assert login(outsider).post(url, {"version": item.version}).status_code == 404
    login(editor2).post(url, {"version": item.version})
    assert Submission.objects.get(pk=item.pk).body == item.body
