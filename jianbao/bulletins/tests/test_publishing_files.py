"""A publication that fails leaves no rendered files behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from jianbao.accounts.models import User
from jianbao.bulletins.models import Issue, IssueFile
from jianbao.bulletins.services import do_add_submissions, do_transition_issue, publishing
from jianbao.bulletins.tests.conftest import AdoptedFactory
from jianbao.bulletins.workflow import IssueState

pytestmark = pytest.mark.django_db


def _stored_files() -> list[Path]:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def _signed(issue: Issue, editor: User, chief: User, adopted: AdoptedFactory) -> Issue:
    do_add_submissions(issue=issue, actor=editor, submissions=[adopted()])
    issue = do_transition_issue(issue=issue, action="proof", actor=editor)
    return do_transition_issue(issue=issue, action="sign", actor=chief)


def test_failed_publication_removes_the_files_it_wrote(
    issue: Issue,
    editor: User,
    chief: User,
    adopted: AdoptedFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    issue = _signed(issue, editor, chief, adopted)
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


def test_successful_publication_keeps_its_files(
    issue: Issue, editor: User, chief: User, adopted: AdoptedFactory
) -> None:
    issue = _signed(issue, editor, chief, adopted)
    issue = do_transition_issue(issue=issue, action="publish", actor=editor)
    files = IssueFile.objects.filter(issue=issue)
    assert {f.format for f in files} == {"docx", "pdf", "html"}
    assert all(Path(f.file.path).is_file() for f in files)
