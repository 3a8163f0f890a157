"""Sign-off behind a confirmation page with an optional 签发意见 and the proof's SHA-256;
出校样 with open proofreading findings shows them and asks first (issue 18)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, User
from jianbao.bulletins.models import Issue
from jianbao.bulletins.services import do_create_entry, do_transition_issue
from jianbao.bulletins.tests.conftest import FAKE_PDF

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _proof(issue: Issue, editor: User, body: str = "正文。") -> Issue:
    do_create_entry(issue=issue, actor=editor, kind="item", title="一条信息", body=body)
    return do_transition_issue(issue=issue, action="proof", actor=editor)


def test_sign_page_shows_what_is_signed_and_keeps_the_comment(
    login: Login, issue: Issue, editor: User, chief: User
) -> None:
    issue = _proof(issue, editor)
    signer = login(chief)
    page = signer.get(reverse("bulletins:sign", args=[issue.pk])).content.decode()
    assert "您将签发的内容" in page and "一条信息" in page and "签发意见（可选）" in page
    assert reverse("bulletins:preview_pdf", args=[issue.pk]) in page
    assert Issue.objects.get(pk=issue.pk).state == "proof"  # looking signs nothing

    response = signer.post(
        reverse("bulletins:sign", args=[issue.pk]),
        {"comment": "同意印发。", "version": issue.version},
    )
    assert response.status_code == 302
    signed = Issue.objects.get(pk=issue.pk)
    assert (signed.state, signed.signed_by, signed.sign_comment) == ("signed", chief, "同意印发。")
    assert signed.signed_proof_sha256 == hashlib.sha256(FAKE_PDF).hexdigest()
    event = AuditEvent.objects.get(action="issue.sign", object_id=str(issue.pk))
    assert event.detail["comment"] == "同意印发。"
    assert event.detail["proof_sha256"] == signed.signed_proof_sha256
    editor_page = login(editor).get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    assert "签发意见：同意印发。" in editor_page
    reading = login(editor).get(reverse("bulletins:read", args=[issue.pk])).content.decode()
    assert "同意印发" not in reading  # printed nowhere


def test_the_editor_page_offers_sign_only_through_the_confirmation(
    login: Login, issue: Issue, editor: User, chief: User
) -> None:
    issue = _proof(issue, editor)
    page = login(chief).get(reverse("bulletins:detail", args=[issue.pk])).content.decode()
    assert reverse("bulletins:sign", args=[issue.pk]) in page
    assert 'name="action" value="sign"' not in page


def test_sign_page_says_why_the_last_editor_may_not_sign(
    login: Login, issue: Issue, chief: User
) -> None:
    issue = _proof(issue, chief)
    page = login(chief).get(reverse("bulletins:sign", args=[issue.pk])).content.decode()
    assert "双人复核" in page and "确认签发</button>" not in page


def test_a_stale_sign_is_refused(login: Login, issue: Issue, editor: User, chief: User) -> None:
    issue = _proof(issue, editor)
    response = login(chief).post(
        reverse("bulletins:sign", args=[issue.pk]), {"version": issue.version - 1}, follow=True
    )
    assert Issue.objects.get(pk=issue.pk).state == "proof"
    assert "已被" in response.content.decode() or "刷新" in response.content.decode()


def test_proof_with_open_findings_asks_first(login: Login, issue: Issue, editor: User) -> None:
    do_create_entry(
        issue=issue, actor=editor, kind="item", title="一条信息", body="我区按排部署了工作。。"
    )
    office = login(editor)
    url = reverse("bulletins:transition", args=[issue.pk])
    asked = office.post(url, {"action": "proof", "version": issue.version})
    html = asked.content.decode()
    assert asked.status_code == 200 and "出校样前请核对" in html and "第1条" in html
    assert Issue.objects.get(pk=issue.pk).state == "draft"
    office.post(url, {"action": "proof", "version": issue.version, "confirm": "1"})
    assert Issue.objects.get(pk=issue.pk).state == "proof"


def test_sign_page_is_for_the_office(
    login: Login, issue: Issue, editor: User, *, reporter_a: User, outsider: User, client: Client
) -> None:
    issue = _proof(issue, editor)
    url = reverse("bulletins:sign", args=[issue.pk])
    for user in (reporter_a, outsider):
        assert login(user).get(url).status_code == 403
        assert login(user).post(url, {"version": issue.version}).status_code == 403
    assert client.get(url).status_code == 302
    assert Issue.objects.get(pk=issue.pk).state == "proof"
