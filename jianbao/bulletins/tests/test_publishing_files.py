"""Publishing writes its files under temporary names and moves them in only after the commit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from jianbao.accounts.models import User
from jianbao.bulletins import rendering
from jianbao.bulletins.models import Issue, IssueFile
from jianbao.bulletins.services import (
    StaleIssueError,
    do_add_submissions,
    do_transition_issue,
    publishing,
)
from jianbao.bulletins.tests.conftest import AdoptedFactory, CaptureOnCommit
from jianbao.bulletins.workflow import IssueState


def _stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def signed(issue: Issue, editor: User, chief: User, adopted: AdoptedFactory) -> Issue:
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted()])
    issue = do_transition_issue(issue=issue, action="proof", actor=editor)
    return do_transition_issue(issue=issue, action="sign", actor=chief)


OFFICIAL = [f"issues/2024/上街信息-2024-1.{fmt}" for fmt in ("docx", "html", "ofd", "pdf")]


@pytest.mark.django_db
def test_failed_publication_removes_the_files_it_wrote(
    signed: Issue,
    editor: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issue = signed
    before = _stored_files()

    def fail(*args: object) -> None:
        raise RuntimeError("disk full while recording adoptions")

    monkeypatch.setattr(publishing, "_record_adoptions", fail)
    with pytest.raises(RuntimeError):
        do_transition_issue(issue=issue, action="publish", actor=editor)
    issue.refresh_from_db()
    assert issue.state == IssueState.SIGNED
    assert not IssueFile.objects.filter(issue=issue).exists()
    assert _stored_files() == before


@pytest.mark.django_db
def test_files_wait_under_temporary_names_until_the_commit(
    signed: Issue,
    editor: User,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    issue = signed
    with django_capture_on_commit_callbacks(execute=True):
        issue = do_transition_issue(issue=issue, action="publish", actor=editor)
        rows = {f.file.name: f for f in IssueFile.objects.filter(issue=issue)}
        assert sorted(rows) == OFFICIAL
        waiting = _stored_files()
        # Not committed yet: only the temporary files, each named after its row's SHA-256.
        assert len(waiting) == 4 and not set(waiting) & set(OFFICIAL)
        for name in waiting:
            final, _, tail = name.partition(".tmp-")
            assert tail.startswith(rows[final].sha256[:16])
    assert _stored_files() == OFFICIAL
    for name, row in rows.items():
        content = (Path(settings.MEDIA_ROOT) / name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == row.sha256 and len(content) == row.size


@pytest.mark.django_db
def test_a_worker_finishes_a_publication_that_stopped_before_the_rename(
    signed: Issue,
    editor: User,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # the process dies at the commit
        issue = do_transition_issue(issue=signed, action="publish", actor=editor)
    assert not set(_stored_files()) & set(OFFICIAL)
    (
        Path(settings.MEDIA_ROOT) / "issues/2024/unrelated.pdf.tmp-0123456789abcdef-01234567"
    ).write_bytes(b"no row names this")
    assert sorted(publishing.finish_interrupted_publications()) == OFFICIAL
    for row in IssueFile.objects.filter(issue=issue):
        content = (Path(settings.MEDIA_ROOT) / row.file.name).read_bytes()
        assert hashlib.sha256(content).hexdigest() == row.sha256
    # A temporary file no row claims is the doctor's to judge, after its grace period.
    assert "issues/2024/unrelated.pdf.tmp-0123456789abcdef-01234567" in _stored_files()
    assert publishing.finish_interrupted_publications() == []


@pytest.mark.django_db
def test_a_stray_file_under_the_official_name_is_replaced_not_suffixed(
    signed: Issue,
    editor: User,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    issue = signed
    stray = Path(settings.MEDIA_ROOT) / OFFICIAL[1]
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"<html>truncated by a crash")
    with django_capture_on_commit_callbacks(execute=True):
        do_transition_issue(issue=issue, action="publish", actor=editor)
    assert _stored_files() == OFFICIAL
    row = IssueFile.objects.get(issue=issue, format="html")
    assert hashlib.sha256(stray.read_bytes()).hexdigest() == row.sha256


@pytest.mark.django_db(transaction=True)
def test_rendering_runs_outside_the_write_transaction(
    signed: Issue,
    editor: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issue = signed
    render = rendering.render_issue
    seen: list[bool] = []

    def watched(current: Issue) -> list[rendering.RenderedFile]:
        seen.append(connection.in_atomic_block)
        return render(current)

    monkeypatch.setattr(publishing, "render_issue", watched)
    do_transition_issue(issue=issue, action="publish", actor=editor)
    assert seen == [False]
    # A real commit: the files are in place at once.
    assert _stored_files() == OFFICIAL


@pytest.mark.django_db(transaction=True)
def test_a_change_during_rendering_refuses_the_publication_and_leaves_no_files(
    signed: Issue,
    editor: User,
    chief: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issue = signed
    render = rendering.render_issue

    def unsigned_meanwhile(current: Issue) -> list[rendering.RenderedFile]:
        files = render(current)
        do_transition_issue(issue=current, action="unsign", actor=chief, reason="数字有误")
        return files

    monkeypatch.setattr(publishing, "render_issue", unsigned_meanwhile)
    with pytest.raises(StaleIssueError):
        do_transition_issue(issue=issue, action="publish", actor=editor)
    issue.refresh_from_db()
    assert issue.state != IssueState.PUBLISHED
    assert not IssueFile.objects.exists()
    assert _stored_files() == []


@pytest.mark.django_db
def test_a_published_file_gone_from_disk_is_served_identical_or_refused_in_chinese(
    signed: Issue,
    editor: User,
    login: Callable[[User], Client],
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        issue = do_transition_issue(issue=signed, action="publish", actor=editor)
    rows = {row.format: row for row in IssueFile.objects.filter(issue=issue)}
    for row in rows.values():
        (Path(settings.MEDIA_ROOT) / row.file.name).unlink()
    client = login(editor)
    html = client.get(reverse("bulletins:download", args=[issue.pk, "html"]))
    assert html.status_code == 200
    assert hashlib.sha256(html.content).hexdigest() == rows["html"].sha256
    # A rendering that no longer gives the recorded bytes is not passed off as the published file.
    IssueFile.objects.filter(pk=rows["pdf"].pk).update(sha256="0" * 64)
    pdf = client.get(reverse("bulletins:download", args=[issue.pk, "pdf"]))
    assert pdf.status_code == 503
    assert "jianbao doctor" in pdf.content.decode()
