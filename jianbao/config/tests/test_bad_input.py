"""Every bad input found in issue 14 is a clean 4xx with a Chinese reason, and writes nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from jianbao.accounts.models import User
from jianbao.bulletins.models import Entry, Issue, Series
from jianbao.submissions.models import Submission

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
HUGE = 2**63
HAN = "\u4e00-\u9fff"


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _raw_post(client: Client, url: str, body: str) -> tuple[int, str]:
    response = client.generic(
        "POST", url, body.encode("utf-8", "surrogatepass"), "application/json"
    )
    detail = response.json()["detail"]
    assert isinstance(detail, str)
    assert _chinese(detail), detail
    return response.status_code, detail


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"title": "\\ud800", "body": "正文"}', "代理项"),
        ('{"title": "标题", "body": "正\\u0000文"}', "空字符"),
        ('{"title": "标题", "body": "正文", "\\udfff": 1}', "代理项"),
        ('{"title": "标题", "body": "正文", "contact": ["\\u0000"]}', "空字符"),
    ],
)
def test_json_with_nul_or_lone_surrogate_is_refused(
    login: Login, reporter_a: User, body: str, reason: str
) -> None:
    status, detail = _raw_post(login(reporter_a), "/api/v1/submissions", body)
    assert status == 400
    assert reason in detail
    assert Submission.objects.count() == 0


def test_utf8_encoded_surrogate_bytes_are_refused(login: Login, reporter_a: User) -> None:
    response = login(reporter_a).generic(
        "POST", "/api/v1/submissions", b'{"title": "\xed\xa0\x80", "body": "x"}', "application/json"
    )
    assert response.status_code == 400
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"title": "标题", "body": "正文", "source_unit_ids": [%s]}' % HUGE, "source_unit_ids"),  # noqa: UP031
        ('{"title": "标题", "body": "正文", "source_unit_ids": ["x"]}', "应为整数"),
        ('{"title": "标题", "body": 5}', "应为字符串"),
        ('{"title": "%s", "body": "正文"}' % ("长" * 201), "200"),
        ('{"title": "标题"}', "缺少必填项"),
        ('{"title": "标题", "body": "正文", "kind": "poem"}', "kind"),
        ("[" * 5000 + "]" * 5000, "请求"),
        ('{"title": ', "JSON"),
        ("[1, 2]", "请求"),
    ],
)
def test_wrong_types_and_sizes_are_422_in_chinese(
    login: Login, reporter_a: User, body: str, expected: str
) -> None:
    status, detail = _raw_post(login(reporter_a), "/api/v1/submissions", body)
    assert status in (400, 422)
    assert expected in detail
    assert Submission.objects.count() == 0


def test_huge_numbers_in_issue_endpoints(
    login: Login, editor: User, series: Series, issue: Issue
) -> None:
    client = login(editor)
    status, detail = _raw_post(
        client, "/api/v1/issues", f'{{"series_id": {series.pk}, "number": {HUGE}}}'
    )
    assert (status, "number") == (422, detail.split("：")[1])
    status, detail = _raw_post(
        client,
        f"/api/v1/issues/{issue.pk}/entries/from-submissions",
        f'{{"submission_ids": [{HUGE}]}}',
    )
    assert status == 422
    assert "不能大于 9223372036854775807" in detail
    assert Issue.objects.count() == 1
    assert Entry.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        {"offset": HUGE},
        {"unit_id": HUGE},
        {"limit": HUGE},
        {"offset": -1},
        {"date_from": "2024-13-45"},
    ],
)
def test_huge_query_parameters_are_422(
    login: Login, editor: User, query: dict[str, str | int]
) -> None:
    response = login(editor).get("/api/v1/submissions", query)
    assert response.status_code == 422
    assert _chinese(response.json()["detail"])


def test_nul_in_a_query_parameter_is_400(login: Login, editor: User) -> None:
    response = login(editor).get("/api/v1/search", {"q": "文明\x00实践"})
    assert response.status_code == 400
    assert "空字符" in response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/submissions/{HUGE}",
        f"/api/v1/issues/{HUGE}",
        f"/api/v1/issues/1/entries/{HUGE * 10}",
        f"/api/v1/archive/items/{HUGE}",
    ],
)
def test_ids_beyond_the_database_in_the_path_are_404(login: Login, editor: User, url: str) -> None:
    response = login(editor).get(url)
    assert response.status_code == 404
    assert _chinese(response.json()["detail"])


def test_an_over_long_uri_gets_a_chinese_414(login: Login, editor: User) -> None:
    client = login(editor)
    api = client.get("/api/v1/search", {"q": "文" * 10_000})
    assert api.status_code == 414
    assert "请求地址过长" in api.json()["detail"]
    page = client.get("/search/", {"q": "文" * 10_000})
    assert page.status_code == 414
    assert "请求地址过长" in page.content.decode()


def test_unauthenticated_and_unparsable_requests_answer_in_chinese(client: Client) -> None:
    response = client.get("/api/v1/submissions")
    assert response.status_code == 401
    assert response.json()["detail"] == "未登录或令牌无效。"


def test_a_form_posted_to_a_json_endpoint_is_415_not_500(login: Login, editor: User) -> None:
    before = Submission.objects.count()
    response = login(editor).post("/api/v1/submissions", {"title": "表单提交"})
    assert response.status_code == 415
    assert "JSON" in response.json()["detail"]
    assert Submission.objects.count() == before


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"/submissions/inbox/?unit={HUGE}",
        f"/submissions/inbox/?unit={HUGE}&page={HUGE}",
        "/submissions/inbox/?page=99999999999999999999999",
        f"/search/?q=文明&unit={HUGE}&page={HUGE}",
        f"/issues/?series={HUGE}&year={HUGE}",
    ],
)
def test_page_filters_with_huge_values_never_500(login: Login, editor: User, url: str) -> None:
    response = login(editor).get(url)
    assert response.status_code < 500


@pytest.mark.parametrize(
    "url",
    [f"/submissions/{HUGE}/", f"/issues/{HUGE}/", f"/archive/items/{HUGE}/"],
)
def test_page_ids_beyond_the_database_are_404(login: Login, editor: User, url: str) -> None:
    response = login(editor).get(url)
    assert response.status_code == 404


def test_page_form_with_nul_or_huge_ids_is_refused(
    login: Login, reporter_a: User, draft: Submission
) -> None:
    client = login(reporter_a)
    nul = client.post("/submissions/new/", {"title": "标\x00题", "body": "正文", "kind": "item"})
    assert nul.status_code == 400
    assert "空字符" in nul.content.decode()
    huge = client.post(
        "/submissions/new/",
        {
            "title": "标题",
            "body": "正文",
            "kind": "item",
            "urgency": "normal",
            "source_units": [str(HUGE)],
        },
    )
    assert huge.status_code == 200  # the form again, with its error
    assert "不在可选范围内" in huge.content.decode()
    assert Submission.objects.count() == 1


def test_the_safety_net_turns_a_database_overflow_into_400(
    login: Login, editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jianbao.submissions import api as submissions_api

    def overflow(*args: object, **kwargs: object) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(submissions_api.selectors, "get_submission", overflow)
    response = login(editor).get("/api/v1/submissions/5")
    assert response.status_code == 400
    assert "超出允许范围" in response.json()["detail"]


# --- the CLI -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["render", "--series", "上街信息", "--year", "2024", "--number", str(HUGE)], "--number"),
        (["render", "--series", "上街信息", "--year", str(-HUGE), "--number", "1"], "--year"),
        (["search", "文" * 10_000], "检索词超过 200 个字符"),
        (["search", "文明\udcff实践"], "不是有效的文本"),
        (["search", "文明", "--unit", "区委\x00宣传部"], "--unit"),
    ],
)
def test_cli_bad_numbers_and_text_are_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], argv: list[str], reason: str
) -> None:
    from jianbao.cli import main

    assert main(argv) == 1
    err = capsys.readouterr().err
    assert reason in err
    assert err.count("\n") == 1


def test_cli_accepts_an_existing_file_whose_name_is_not_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jianbao.cli import main

    path = os.path.join(os.fsencode(tmp_path), "上街信息".encode("gb18030") + b".txt")
    with open(path, "wb") as handle:
        handle.write("上街信息\n2024年第35期\n".encode())
    main(["parse", os.fsdecode(path)])
    assert "不是有效的文本" not in capsys.readouterr().err


API_READS = [
    "/api/v1/submissions", "/api/v1/issues", "/api/v1/search", "/api/v1/proofread/rules",
    "/api/v1/submissions/1", "/api/v1/submissions/1/revisions", "/api/v1/issues/1/bulletin",
    "/api/v1/archive/batches/1", "/api/v1/archive/items/1",
]  # fmt: skip
API_PARAMS = [
    "state", "unit_id", "kind", "date_from", "date_to", "q", "limit", "offset", "series_id",
    "year", "series", "doc_type", "sort", "page",
]  # fmt: skip
HOSTILE_VALUES = [str(HUGE), str(-HUGE - 1), "1e309", "-1", "abc", "9" * 40, "文" * 300]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_api_reads_never_500_and_explain_in_chinese(login: Login, editor: User, value: str) -> None:
    client = login(editor)
    for url in API_READS:
        response = client.get(url, dict.fromkeys(API_PARAMS, value))
        assert response.status_code < 500, (url, value)
        if response.status_code >= 400:
            assert _chinese(response.json()["detail"]), (url, value, response.content[:200])
