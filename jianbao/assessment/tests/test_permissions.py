"""Access matrix of the scoring pages (ledger, objections, rules, recompute, facts): anonymous
users are sent to log in, outsiders and other units are refused, the right roles get in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.assessment.models import LedgerEvent, Objection, RecomputeRun, RuleSetVersion
from jianbao.assessment.services import do_recompute, do_record_adoption, do_submit_objection
from jianbao.assessment.services.records import OutsideAdoption
from jianbao.submissions.models import Submission

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def scored(
    editor: User, reporter_a: User, rules: RuleSetVersion, reported: Submission
) -> dict[str, object]:
    adoption = OutsideAdoption(
        outlet="郑州信息", level="city", form="single", date=date(2024, 6, 3)
    )
    do_record_adoption(actor=editor, adoption=adoption, submission=reported)
    run = do_recompute(actor=editor, start=date(2024, 6, 1), end=date(2024, 6, 30))
    event = LedgerEvent.objects.get()
    objection = do_submit_objection(actor=reporter_a, event=event, reason="应按省级采用计分")
    return {"run": run, "event": event, "objection": objection, "submission": reported}


def _urls(scored: dict[str, object]) -> dict[str, tuple[str, str]]:
    """name → (method, url)."""
    event: LedgerEvent = scored["event"]  # type: ignore[assignment]
    run: RecomputeRun = scored["run"]  # type: ignore[assignment]
    objection: Objection = scored["objection"]  # type: ignore[assignment]
    submission: Submission = scored["submission"]  # type: ignore[assignment]
    return {
        "ledger": ("get", reverse("assessment:ledger") + "?period=2024-06"),
        "ledger_unit": (
            "get",
            reverse("assessment:ledger_unit", args=[event.unit_id]) + "?period=2024-06",
        ),
        "objection_new": ("post", reverse("assessment:objection_new", args=[event.pk])),
        "objections": ("get", reverse("assessment:objections")),
        "objection_answer": ("post", reverse("assessment:objection_answer", args=[objection.pk])),
        "rules": ("get", reverse("assessment:rules")),
        "rules_edit": ("get", reverse("assessment:rules_edit")),
        "recompute": ("get", reverse("assessment:recompute")),
        "recompute_run": ("get", reverse("assessment:recompute_run", args=[run.pk])),
        "recompute_confirm": ("post", reverse("assessment:recompute_confirm", args=[run.pk])),
        "adoption_new": (
            "get",
            reverse("assessment:adoption_new") + f"?submission={submission.pk}",
        ),
        "adoption_issue": ("get", reverse("assessment:adoption_issue")),
        "instruction_new": (
            "get",
            reverse("assessment:instruction_new") + f"?submission={submission.pk}",
        ),
    }


def _call(client: Client, method: str, url: str) -> int:
    return getattr(client, method)(url).status_code


def test_anonymous_is_sent_to_login(scored: dict[str, object]) -> None:
    for name, (method, url) in _urls(scored).items():
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, name
        assert reverse("accounts:login") in response["Location"], name


def test_outsider_is_refused_everywhere(scored: dict[str, object], outsider: User, login: Login):
    client = login(outsider)
    for name, (method, url) in _urls(scored).items():
        assert _call(client, method, url) == 403, name


# Who gets a page (200, or a redirect after a POST); everything else is refused (403).
ALLOWED = {
    "reporter_a": {"ledger", "ledger_unit", "objection_new", "objections"},
    "reporter_b": {"ledger", "objections"},  # ledger redirects to 区总工会's own
    "editor": {"ledger", "ledger_unit", "objections", "objection_answer", "rules",
               "adoption_new", "adoption_issue", "instruction_new"},
    "chief": {"ledger", "ledger_unit", "objections", "objection_answer", "rules", "rules_edit",
              "recompute", "recompute_run", "recompute_confirm", "adoption_new",
              "adoption_issue", "instruction_new"},
    "leader": {"ledger", "ledger_unit", "objections", "rules"},
}  # fmt: skip


@pytest.mark.parametrize("persona", sorted(ALLOWED))
def test_access_matrix(
    scored: dict[str, object], persona: str, request: pytest.FixtureRequest, login: Login
) -> None:
    client = login(request.getfixturevalue(persona))
    for name, (method, url) in _urls(scored).items():
        status = _call(client, method, url)
        if name in ALLOWED[persona]:
            assert status in (200, 302), (persona, name, status)
        else:
            assert status == 403, (persona, name, status)


def test_other_unit_cannot_read_or_object(
    scored: dict[str, object], reporter_b: User, login: Login
) -> None:
    client = login(reporter_b)
    event: LedgerEvent = scored["event"]  # type: ignore[assignment]
    assert client.get(reverse("assessment:ledger_unit", args=[event.unit_id])).status_code == 403
    response = client.post(
        reverse("assessment:objection_new", args=[event.pk]), {"reason": "我们也想要这个分"}
    )
    assert response.status_code == 403
    assert Objection.objects.count() == 1
    page = client.get(reverse("assessment:objections")).content.decode()
    assert "应按省级采用计分" not in page
