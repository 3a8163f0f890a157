"""Emergency reports through HTTP: access (outsiders refused, other units 404) and the flow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import AuditEvent, User
from jianbao.emergency.models import EmergencyThread
from jianbao.emergency.services import do_start_emergency

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]

REPORT = {
    "kind": "initial", "occurred": "今天9时40分", "place": "中心路", "what": "货车与公交车相撞。",
    "contact": "李明 13800000000", "casualties": "", "causes": "", "measures": "",
    "next_steps": "",
}  # fmt: skip


def item_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("emergency:detail", args=[pk])),
        ("get", reverse("emergency:report", args=[pk])),
        ("post", reverse("emergency:report", args=[pk])),
        ("post", reverse("emergency:forward", args=[pk])),
        ("get", reverse("emergency:download", args=[pk])),
    ]


@pytest.mark.parametrize("url", ["emergency:list", "emergency:start"])
def test_outsider_and_anonymous_are_refused(
    client: Client, login: Login, outsider: User, url: str
) -> None:
    assert login(outsider).get(reverse(url)).status_code == 403
    response = client.get(reverse(url))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_other_units_and_leaders_before_forwarding_get_404(
    client: Client, login: Login, reporter_a: User, request: pytest.FixtureRequest
) -> None:
    thread = do_start_emergency(actor=reporter_a, title="火情")
    for persona in ("reporter_b", "outsider", "leader"):
        other = login(request.getfixturevalue(persona))
        for method, url in item_urls(thread.pk):
            assert getattr(other, method)(url).status_code == 404, (persona, url)
    for method, url in item_urls(thread.pk):
        assert getattr(client, method)(url).status_code == 302, url


def test_reporter_starts_reports_office_forwards_leader_downloads(
    login: Login, reporter_a: User, editor: User, leader: User
) -> None:
    as_unit = login(reporter_a)
    assert "报送紧急信息" in as_unit.get("/").content.decode()
    response = as_unit.post(reverse("emergency:start"), {"title": "中心路交通事故"})
    thread = EmergencyThread.objects.get()
    assert response["Location"] == reverse("emergency:detail", args=[thread.pk])
    page = as_unit.get(response["Location"]).content.decode()
    assert "data-countdown-due" in page and "<script>" not in page
    assert as_unit.post(reverse("emergency:report", args=[thread.pk]), REPORT).status_code == 302
    bad = as_unit.post(reverse("emergency:report", args=[thread.pk]), {**REPORT, "place": ""})
    assert bad.status_code == 400
    as_office = login(editor)
    live = as_office.get(reverse("emergency:list"), HTTP_HX_REQUEST="true").content.decode()
    assert "中心路交通事故" in live and "<html" not in live
    as_office.post(reverse("emergency:forward", args=[thread.pk]))
    as_leader = login(leader)
    assert as_leader.get(reverse("emergency:detail", args=[thread.pk])).status_code == 200
    pdf = as_leader.get(reverse("emergency:download", args=[thread.pk]))
    content = b"".join(pdf.streaming_content)  # type: ignore[attr-defined]
    assert pdf.status_code == 200 and content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="download.file", object_type="emergency").exists()
