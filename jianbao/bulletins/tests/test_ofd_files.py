"""OFD at publishing: rendered with the other formats, stored with its SHA-256, downloadable."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, IssueFile
from jianbao.bulletins.services import do_add_submissions, do_transition_issue
from jianbao.bulletins.tests.conftest import AdoptedFactory, CaptureOnCommit
from jianbao.cli import main
from jianbao.typeset.ofd_reader import read_ofd, structure_problems

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _streamed(response: object) -> bytes:
    return b"".join(getattr(response, "streaming_content", [getattr(response, "content", b"")]))


def test_publishing_stores_a_valid_ofd_with_its_sha256(
    real_pdf: None,
    *,
    login: Login,
    editor: User,
    chief: User,
    leader: User,
    issue: Issue,
    adopted: AdoptedFactory,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    do_add_submissions(
        issue=issue, actor=editor, submissions=[adopted(title="区委宣传部创新打造文明实践")]
    )
    office = login(editor)
    before = office.get(reverse("bulletins:download", args=[issue.pk, "ofd"]))
    assert before.status_code == 200 and before["Content-Type"] == "application/ofd"
    assert "X-Content-SHA256" not in before  # a fresh rendering before publishing
    with django_capture_on_commit_callbacks(execute=True):
        for action, actor in [("proof", editor), ("sign", chief), ("publish", editor)]:
            issue = do_transition_issue(issue=issue, action=action, actor=actor)
    stored = IssueFile.objects.get(issue=issue, format="ofd")
    content = stored.file.open("rb").read()
    assert hashlib.sha256(content).hexdigest() == stored.sha256 and len(content) == stored.size
    assert stored.file.name == f"issues/2024/上街信息-2024-{issue.number}.ofd"
    assert structure_problems(content) == []
    document = read_ofd(content)
    assert document.info["Title"] == f"上街信息 第{issue.number}期"
    assert document.custom["期号"] == str(issue.number)
    assert "区委宣传部创新打造文明实践" in document.text

    download = office.get(reverse("bulletins:download", args=[issue.pk, "ofd"]))
    assert download.status_code == 200 and download["X-Content-SHA256"] == stored.sha256
    assert _streamed(download) == content
    assert ".ofd" in download["Content-Disposition"]
    reading = office.get(reverse("bulletins:read", args=[issue.pk]))
    assert reverse("bulletins:download", args=[issue.pk, "ofd"]) in reading.content.decode()


def test_outsider_and_anonymous_cannot_download_the_ofd(
    login: Login, outsider: User, issue: Issue
) -> None:
    url = reverse("bulletins:download", args=[issue.pk, "ofd"])
    assert login(outsider).get(url).status_code in (403, 404)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_render_command_writes_an_ofd(
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
            *("render", "--series", "上街信息", "--year", "2024", "--number", str(issue.number)),
            *("--format", "ofd", "--out", str(tmp_path), "--json"),
        ]
    )
    assert status == 0
    (written,) = json.loads(capsys.readouterr().out)["written"]
    assert written.endswith(".ofd")
    assert structure_problems(Path(written).read_bytes()) == []
