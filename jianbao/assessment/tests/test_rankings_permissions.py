"""Access matrix of the ranking, 通报 and statistics URLs: anonymous users go to the login page,
outsiders are refused everything; a unit sees its own rank line and the published 通报, but no
exports, drafts, statistics or other units' lines; only the chief (or an admin) publishes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.assessment.models import ReportPublication
from jianbao.assessment.services_reports import ReportDraft, do_publish_report
from jianbao.bulletins.services import do_create_series
from jianbao.ranking import Period

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def published(chief: User, editor: User) -> ReportPublication:
    series = do_create_series(actor=editor, title="信息工作通报", organ="中共上街区委办公室")
    draft = ReportDraft(series, 6, date(2024, 7, 5), "六月通报", "", Period.month(2024, 6))
    return do_publish_report(actor=chief, draft=draft)


def urls(publication: ReportPublication) -> dict[str, tuple[str, str]]:
    return {
        "rankings": ("get", reverse("assessment:rankings") + "?period=2024-06"),
        "rankings_xlsx": ("get", reverse("assessment:rankings_xlsx") + "?period=2024-06"),
        "reports": ("get", reverse("assessment:reports")),
        "report_file": ("get", reverse("assessment:report_file", args=[publication.pk, "pdf"])),
        "report_draft": ("post", reverse("assessment:report_draft", args=["docx"])),
        "report_publish": ("post", reverse("assessment:report_publish")),
        "statistics": ("get", reverse("assessment:statistics") + "?period=2024-06"),
        "statistics_xlsx": ("get", reverse("assessment:statistics_xlsx") + "?period=2024-06"),
    }


# Expected status per persona: 200 allowed, 403 refused. Drafts/publish get an empty form
# (400 / redirect back) once past the permission check.
MATRIX = {
    "rankings": {"reporter_a": 200, "leader": 200, "editor": 200, "chief": 200},
    "rankings_xlsx": {"reporter_a": 403, "leader": 403, "editor": 200, "chief": 200},
    "reports": {"reporter_a": 200, "leader": 200, "editor": 200, "chief": 200},
    "report_file": {"reporter_a": 200, "leader": 200, "editor": 200, "chief": 200},
    "report_draft": {"reporter_a": 403, "leader": 403, "editor": 400, "chief": 400},
    "report_publish": {"reporter_a": 403, "leader": 403, "editor": 403, "chief": 302},
    "statistics": {"reporter_a": 403, "leader": 200, "editor": 200, "chief": 200},
    "statistics_xlsx": {"reporter_a": 403, "leader": 200, "editor": 200, "chief": 200},
}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access_matrix(
    name: str,
    published: ReportPublication,
    login: Login,
    request: pytest.FixtureRequest,
) -> None:
    method, url = urls(published)[name]
    for persona, expected in MATRIX[name].items():
        user = request.getfixturevalue(persona)
        response = getattr(login(user), method)(url)
        assert response.status_code == expected, (name, persona, response.status_code)
    for refused in (request.getfixturevalue("outsider"), request.getfixturevalue("auditor")):
        assert getattr(login(refused), method)(url).status_code == 403, (name, refused)
    anonymous = getattr(Client(), method)(url)
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
    assert ReportPublication.objects.count() == 1  # nobody published a second one by accident
