"""The search page, the API and the CLI: same results, outsiders refused, output escaped."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from jianbao.accounts.models import User
from jianbao.cli import main
from jianbao.search.models import DocType
from jianbao.search.services import index_document
from jianbao.submissions.services import do_create_submission, do_transition
from jianbao.submissions.workflow import Action

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


@pytest.fixture
def item(reporter_b: User) -> None:
    submission = do_create_submission(
        author=reporter_b, title="集体协商推进会", body="部署集体协商“要约行动”。<script>x</script>"
    )
    do_transition(submission=submission, action=Action.SUBMIT, actor=reporter_b)


def test_page_marks_the_words_and_escapes_the_text(login: Login, editor: User, item: None) -> None:
    response = login(editor).get("/search/", {"q": "集体协商"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>集体协商</mark>推进会" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script>x</script>" not in html
    assert "区总工会" in html  # the unit facet


def test_htmx_gets_only_the_results(login: Login, editor: User, item: None) -> None:
    response = login(editor).get("/search/", {"q": "集体协商"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html


def test_outsider_is_refused(login: Login, outsider: User) -> None:
    assert login(outsider).get("/search/", {"q": "集体协商"}).status_code == 403
    assert login(outsider).get("/api/v1/search", {"q": "集体协商"}).status_code == 403
    assert Client().get("/search/").status_code == 302  # to the login page
    assert Client().get("/api/v1/search", {"q": "x"}).status_code == 401


def test_api_returns_hits_spans_and_facets(login: Login, editor: User, item: None) -> None:
    response = login(editor).get("/api/v1/search", {"q": "集体协商", "sort": "date"})
    data = response.json()
    assert response.status_code == 200
    assert data["total"] == 1
    hit = data["hits"][0]
    assert hit["title"] == "集体协商推进会"
    assert hit["title_spans"] == [[0, 4]]
    assert hit["state"] == "submitted"
    assert data["unit_facets"][0]["name"] == "区总工会"


def test_api_reporter_sees_only_own_unit(login: Login, reporter_a: User, item: None) -> None:
    assert login(reporter_a).get("/api/v1/search", {"q": "集体协商"}).json()["total"] == 0


def test_cli_json_as_user_and_office_default(
    capsys: pytest.CaptureFixture[str], item: None, reporter_a: User, unit_a: object
) -> None:
    index_document(
        doc_type=DocType.ARCHIVE_ENTRY, object_id=1, title="集体协商经验", body="档案。",
        unit_ids=[], unit_names="", visibility=["office", "published"],
    )  # fmt: skip
    assert main(["search", "集体协商", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 2
    assert main(["search", "集体协商", "--json", "--as", "reporter_a"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 1
    assert main(["search", "集体协商"]) == 0
    assert "【集体协商】推进会" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["search", "x", "--as", "nobody"], "unknown user"),
        (["search", "x", "--unit", "不存在的单位"], "unknown unit"),
        (["search", ""], "give a query"),
        (["search", "x", "--as", "outsider"], "may not search"),
    ],
)
def test_cli_bad_input(
    capsys: pytest.CaptureFixture[str], outsider: User, argv: list[str], reason: str
) -> None:
    assert main(argv) == 1
    assert reason in capsys.readouterr().err


def test_cli_reindex(capsys: pytest.CaptureFixture[str], item: None) -> None:
    assert main(["reindex"]) == 0
    assert "已索引 1 篇" in capsys.readouterr().out


def test_admin_status_page_and_background_rebuild(login: Login, editor: User, item: None) -> None:
    from jianbao.accounts.models import Role
    from jianbao.accounts.tests.factories import UserFactory

    admin = UserFactory(username="admin_x", roles=[Role.ADMIN])
    assert admin.is_superuser
    client = login(admin)
    page = client.get("/search/status/").content.decode()
    assert "已索引 1 篇" in page
    assert client.post("/search/status/rebuild/").status_code == 302
    assert "READY" in client.get("/search/status/").content.decode()
    assert login(editor).get("/search/status/").status_code == 403
    assert login(editor).post("/search/status/rebuild/").status_code == 403
