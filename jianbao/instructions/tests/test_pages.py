"""Instruction follow-up through HTTP: access (outsiders refused, other units 404) and the flow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jianbao.accounts.models import User
from jianbao.instructions.models import FollowUp, FollowUpState, TargetState
from jianbao.instructions.tests.factories import make_follow_up, printed_entry

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

LIST_URLS = ["instructions:list", "instructions:create"]


def item_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("instructions:detail", args=[pk])),
        ("get", reverse("instructions:feedback", args=[pk])),
        ("post", reverse("instructions:feedback", args=[pk])),
        ("post", reverse("instructions:ask_more", args=[pk])),
        ("post", reverse("instructions:remind", args=[pk])),
        ("post", reverse("instructions:close", args=[pk])),
    ]


@pytest.mark.parametrize("url", [*LIST_URLS, "instructions:mine"])
def test_outsider_and_anonymous_are_refused(
    client: Client, login: Login, outsider: User, url: str
) -> None:
    assert login(outsider).get(reverse(url)).status_code == 403
    response = client.get(reverse(url))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_units_cannot_record_and_only_leaders_have_my_page(
    login: Login, reporter_a: User, editor: User
) -> None:
    assert login(reporter_a).get(reverse("instructions:create")).status_code == 403
    assert login(editor).get(reverse("instructions:mine")).status_code == 403


@pytest.mark.usefixtures("outsider", "reporter_b")
def test_other_units_outsiders_and_anonymous_cannot_reach_one(
    client: Client, login: Login, editor: User, reporter_a: User, request: pytest.FixtureRequest
) -> None:
    outsider = request.getfixturevalue("outsider")
    reporter_b = request.getfixturevalue("reporter_b")
    follow_up = make_follow_up(actor=editor, units=[reporter_a.unit])
    for method, url in item_urls(follow_up.pk):
        assert getattr(login(outsider), method)(url).status_code == 404, url
        assert getattr(login(reporter_b), method)(url).status_code == 404, url
        assert getattr(client, method)(url).status_code == 302, url
    assert login(reporter_a).get(item_urls(follow_up.pk)[0][1]).status_code == 200


def test_leader_records_unit_answers_office_closes(
    login: Login, leader: User, editor: User, reporter_a: User
) -> None:
    entry = printed_entry(units=[reporter_a.unit])
    today = timezone.localdate()
    as_leader = login(leader)
    page = as_leader.get(reverse("instructions:create") + f"?entry={entry.pk}")
    assert page.status_code == 200
    response = as_leader.post(
        reverse("instructions:create"),
        {
            "entry": entry.pk, "leader_name": "", "leader_level": "district",
            "date": today.isoformat(), "text": "请抓紧推进。", "units": [reporter_a.unit_id],
            "due_date": (today + timedelta(days=3)).isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    follow_up = FollowUp.objects.get()
    assert follow_up.leader == leader and follow_up.instruction.leader_name == str(leader)
    as_unit = login(reporter_a)
    assert "批示待反馈" in as_unit.get("/").content.decode()
    response = as_unit.post(
        reverse("instructions:feedback", args=[follow_up.pk]), {"text": "已推进，完成 80%。"}
    )
    assert response.status_code == 302
    assert follow_up.targets.get().state == TargetState.ANSWERED
    assert "已推进，完成 80%" in as_leader.get(reverse("instructions:mine")).content.decode()
    as_office = login(editor)
    assert "批示督办" in as_office.get("/").content.decode()
    answered = as_office.get(reverse("instructions:list") + "?state=answered").content.decode()
    assert "请抓紧推进" in answered
    as_office.post(reverse("instructions:close", args=[follow_up.pk]))
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.CLOSED


def test_empty_feedback_is_refused_in_chinese(login: Login, editor: User, reporter_a: User) -> None:
    follow_up = make_follow_up(actor=editor, units=[reporter_a.unit])
    response = login(reporter_a).post(
        reverse("instructions:feedback", args=[follow_up.pk]), {"text": "  "}
    )
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode() or "请填写" in response.content.decode()


def test_the_reading_page_leads_a_leader_to_instruct_on_an_entry(
    login: Login, leader: User, editor: User, reporter_a: User
) -> None:
    entry = printed_entry(units=[reporter_a.unit])
    url = reverse("bulletins:read", args=[entry.issue_id])
    page = login(leader).get(url).content.decode()
    link = f"{reverse('instructions:create')}?entry={entry.pk}"
    assert "批示此条" in page and link in page
    assert "SHA-256" not in page  # file fingerprints are for the office, not the reader
    form = login(leader).get(link).content.decode()
    assert f'value="{entry.pk}"' in form and str(leader) in form  # entry and leader prefilled
    assert "批示此条" not in login(reporter_a).get(url).content.decode()
