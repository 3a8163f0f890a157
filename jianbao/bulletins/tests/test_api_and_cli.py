"""The issue API (same services as the pages) and `jianbao render` from the database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, Series
from jianbao.bulletins.services import do_add_submissions
from jianbao.bulletins.tests.conftest import AdoptedFactory
from jianbao.cli import main

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def call(client: Client, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json")


def test_api_assembles_signs_and_publishes(
    login: Login, editor: User, chief: User, series: Series, adopted: AdoptedFactory
) -> None:
    office, signer = login(editor), login(chief)
    item, part_a, part_b = (
        adopted(),
        adopted(title="甲", body="甲文。"),
        adopted(title="乙", body="乙文。"),
    )

    created = call(
        office, "post", "/api/v1/issues", {"series_id": series.pk, "issue_date": "2024-06-17"}
    )
    assert created.status_code == 201
    issue = created.json()
    assert (issue["number"], issue["state"], issue["allowed_actions"]) == (
        1,
        "draft",
        ["proof", "void"],
    )
    url = f"/api/v1/issues/{issue['id']}"

    added = call(office, "post", f"{url}/entries/from-submissions", {"submission_ids": [item.pk]})
    assert added.status_code == 200 and len(added.json()["entries"]) == 1
    merged = call(
        office,
        "post",
        f"{url}/entries/merge",
        {"submission_ids": [part_a.pk, part_b.pk], "title": "综合", "print_sources": True},
    )
    entries = merged.json()["entries"]
    assert entries[1]["credited_units"] == ["区委宣传部"]
    assert entries[1]["submission_ids"] == [part_a.pk, part_b.pk]
    assert entries[1]["printed_source"] == "（区委宣传部）"
    written = call(office, "post", f"{url}/entries", {"kind": "note", "body": "编者按语。"})
    assert written.status_code == 201

    entry = entries[0]
    patch = {"version": entry["version"], "kind": "item", "title": "新标题", "body": "新正文。"}
    assert call(office, "patch", f"{url}/entries/{entry['id']}", patch).status_code == 200
    stale = call(office, "patch", f"{url}/entries/{entry['id']}", patch)
    assert stale.status_code == 409
    assert stale.json()["current_version"] == entry["version"] + 1

    order = [e["id"] for e in reversed(call(office, "get", url).json()["entries"])]
    assert call(office, "put", f"{url}/order", {"entry_ids": order}).status_code == 200
    assert [e["id"] for e in call(office, "get", url).json()["entries"]] == order
    bulletin = call(office, "get", f"{url}/bulletin").json()
    assert bulletin["entries"][-1]["title"] == "新标题" and bulletin["series"] == "上街信息"

    version = call(office, "get", url).json()["version"]
    assert (
        call(
            office, "post", f"{url}/transitions", {"action": "proof", "version": version - 1}
        ).status_code
        == 409
    )
    proof = call(office, "post", f"{url}/transitions", {"action": "proof", "version": version})
    assert proof.json()["state"] == "proof"
    refused = call(office, "post", f"{url}/transitions", {"action": "sign"})
    assert refused.status_code == 403 and "签发人" in refused.json()["detail"]
    assert (
        call(signer, "post", f"{url}/transitions", {"action": "sign"}).json()["state"] == "signed"
    )
    done = call(office, "post", f"{url}/transitions", {"action": "publish"}).json()
    assert done["state"] == "published"
    assert {f["format"] for f in done["files"] if f["sha256"]} == {"docx", "pdf", "html", "ofd"}

    illegal = call(office, "post", f"{url}/transitions", {"action": "back_to_draft"})
    assert illegal.status_code == 400 and "不能执行「退回编辑」" in illegal.json()["detail"]
    correction = call(office, "post", f"{url}/correction", {"notice": "第1条有误，特此更正。"})
    assert correction.status_code == 201 and correction.json()["edition"] == 2


def test_render_command_reads_the_issue_from_the_database(
    real_pdf: None,
    *,
    editor: User,
    issue: Issue,
    adopted: AdoptedFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted()])
    status = main(
        [
            "render",
            "--series",
            "上街信息",
            "--year",
            "2024",
            "--number",
            str(issue.number),
            "--format",
            "docx,pdf,html",
            "--out",
            str(tmp_path),
            "--json",
        ]
    )
    assert status == 0
    written = json.loads(capsys.readouterr().out)["written"]
    assert [Path(p).suffix for p in written] == [".docx", ".pdf", ".html"]
    assert Path(written[1]).read_bytes()[:5] == b"%PDF-"
    assert "区委宣传部创新打造文明实践" in Path(written[2]).read_text(encoding="utf-8")
    missing = main(["render", "--series", "上街信息", "--year", "2024", "--number", "99"])
    assert missing == 1


def test_preview_pdf_at_any_state(
    real_pdf: None, login: Login, editor: User, issue: Issue, adopted: AdoptedFactory
) -> None:
    office = login(editor)
    empty = office.get(reverse("bulletins:preview_pdf", args=[issue.pk]))
    assert empty.status_code == 409 and "没有任何条目" in empty.content.decode()
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted()])
    response = office.get(reverse("bulletins:preview_pdf", args=[issue.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-" and "inline" in response["Content-Disposition"]
