"""Proofreading on the item page and through the API: findings, accept, ignore, rule switches."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.proofreading.models import IgnoredTerm
from jianbao.submissions.tests.factories import make_submission
from jianbao.submissions.workflow import State

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

BODY = (
    "重点治理辖区环境卫生、占道游商、突店经营、夜市摊点等。"
    "持续深入企业面对面指导解决协商中的遇到的各种问题。"
)


def test_editor_sees_findings_inline_and_accepts_one_as_a_revision(
    login: Login, reporter_a: User, editor: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor, body=BODY)
    office = login(editor)
    panel = office.get(reverse("proofreading:submission", args=[item.pk])).content.decode()
    assert "突店经营" in panel and "出店经营" in panel
    assert "<mark" in panel
    start = item.body.index("突店经营")
    response = office.post(
        reverse("proofreading:accept", args=[item.pk]),
        {
            "field": "body",
            "start": start,
            "end": start + 4,
            "text": "突店经营",
            "suggestion": "出店经营",
            "version": item.version,
        },
        follow=True,
    )
    assert "已采纳" in response.content.decode()
    item.refresh_from_db()
    assert "出店经营" in item.body and "突店经营" not in item.body
    latest = item.revisions.last()
    assert latest is not None and latest.author == editor and latest.by_office


def test_accepting_an_outdated_finding_changes_nothing(
    login: Login, reporter_a: User, editor: User
) -> None:
    item = make_submission(author=reporter_a, state=State.IN_REVIEW, editor=editor, body=BODY)
    response = login(editor).post(
        reverse("proofreading:accept", args=[item.pk]),
        {
            "field": "body",
            "start": 0,
            "end": 4,
            "text": "突店经营",
            "suggestion": "出店经营",
            "version": item.version,
        },
        follow=True,
    )
    assert "已过期" in response.content.decode()
    item.refresh_from_db()
    assert item.body == BODY


def test_ignored_term_is_remembered_for_the_office(
    login: Login, reporter_a: User, editor: User
) -> None:
    item = make_submission(author=reporter_a, state=State.SUBMITTED, body=BODY)
    office = login(editor)
    office.post(reverse("proofreading:ignore"), {"term": "突店经营", "next": "/"})
    assert IgnoredTerm.objects.filter(term="突店经营").exists()
    panel = office.get(reverse("proofreading:submission", args=[item.pk])).content.decode()
    assert "出店经营" not in panel
    api = office.post("/api/v1/proofread", {"text": BODY}, content_type="application/json").json()
    assert all(f["text"] != "突店经营" for f in api)


def test_reporters_cannot_change_the_office_settings(login: Login, reporter_a: User) -> None:
    client = login(reporter_a)
    client.post(reverse("proofreading:ignore"), {"term": "突店经营"})
    assert not IgnoredTerm.objects.exists()
    assert client.get(reverse("proofreading:settings")).status_code == 403


def test_a_rule_switched_off_stays_off(login: Login, editor: User) -> None:
    office = login(editor)
    office.post(reverse("proofreading:settings"), {"rule": "terms", "enabled": "0"})
    findings = office.post(
        "/api/v1/proofread", {"text": BODY}, content_type="application/json"
    ).json()
    assert all(f["rule"] != "terms" for f in findings)
    office.post(reverse("proofreading:settings"), {"rule": "terms", "enabled": "1"})
    findings = office.post(
        "/api/v1/proofread", {"text": BODY}, content_type="application/json"
    ).json()
    assert any(f["rule"] == "terms" for f in findings)


def test_api_returns_offsets_into_the_text(login: Login, reporter_a: User) -> None:
    text = "持续面向广大学生和家長讲解法律知识。"
    findings = (
        login(reporter_a)
        .post("/api/v1/proofread", {"text": text}, content_type="application/json")
        .json()
    )
    traditional = [f for f in findings if f["rule"] == "traditional"]
    assert traditional
    assert text[traditional[0]["start"] : traditional[0]["end"]] == traditional[0]["text"] == "長"
    bad = login(reporter_a).post(
        "/api/v1/proofread",
        {"text": text, "disabled_rules": ["nope"]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "未知的校对规则" in bad.json()["detail"]


def test_outsiders_are_refused(
    client: Client, login: Login, reporter_a: User, reporter_b: User, outsider: User
) -> None:
    item = make_submission(author=reporter_a, state=State.SUBMITTED, body=BODY)
    assert (
        login(reporter_b).get(reverse("proofreading:submission", args=[item.pk])).status_code == 404
    )
    assert (
        login(outsider).get(reverse("proofreading:submission", args=[item.pk])).status_code == 404
    )
    assert login(outsider).get(reverse("proofreading:settings")).status_code == 403
    assert (
        login(outsider).post(reverse("proofreading:accept", args=[item.pk]), {}).status_code == 404
    )
    assert (
        client.post(
            "/api/v1/proofread", {"text": BODY}, content_type="application/json"
        ).status_code
        == 401
    )
    assert client.get(reverse("proofreading:settings")).status_code == 302
    # Only the office decides what is ignored.
    login(outsider).post(reverse("proofreading:ignore"), {"term": "突店经营"})
    login(reporter_a).post(reverse("proofreading:ignore"), {"term": "突店经营"})
    client.post(reverse("proofreading:ignore"), {"term": "突店经营"})
    assert not IgnoredTerm.objects.exists()


def test_issue_entries_are_proofread_and_a_suggestion_applies_to_the_printed_text(
    login: Login, reporter_a: User, editor: User, outsider: User
) -> None:
    import datetime

    from jianbao.bulletins.services import do_create_entry, do_create_issue, do_create_series

    series = do_create_series(actor=editor, title="上街信息", organ="中共上街区委办公室")
    issue = do_create_issue(series=series, actor=editor, issue_date=datetime.date(2024, 6, 17))
    entry = do_create_entry(
        issue=issue,
        actor=editor,
        kind="item",
        title="工业路街道多措并举改善街区风貌",
        body="推进企业集体协商工作有序开展，突店经营得到整治。",
    )
    office = login(editor)
    panel = office.get(reverse("proofreading:issue", args=[issue.pk])).content.decode()
    assert "第1条正文" in panel and "出店经营" in panel
    start = entry.body.index("突店经营")
    office.post(
        reverse("proofreading:accept_entry", args=[issue.pk, entry.pk]),
        {
            "field": "body",
            "start": start,
            "end": start + 4,
            "text": "突店经营",
            "suggestion": "出店经营",
            "version": entry.version,
        },
    )
    entry.refresh_from_db()
    assert "出店经营得到整治" in entry.body
    # Readers and outsiders never reach the panel of an unpublished issue, nor change its text.
    for stranger in (login(reporter_a), login(outsider)):
        assert stranger.get(reverse("proofreading:issue", args=[issue.pk])).status_code == 404
        accept = reverse("proofreading:accept_entry", args=[issue.pk, entry.pk])
        refused = {
            "field": "body",
            "start": 0,
            "end": 2,
            "text": entry.body[:2],
            "suggestion": "改",
        }
        assert stranger.post(accept, refused | {"version": entry.version}).status_code == 404
    entry.refresh_from_db()
    assert "出店经营得到整治" in entry.body and not entry.body.startswith("改")
