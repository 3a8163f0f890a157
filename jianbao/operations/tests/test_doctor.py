"""`jianbao doctor`: what it finds, what --repair does (with audit events), exit status."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianbao.accounts.models import AuditEvent, User
from jianbao.cli import main
from jianbao.media import temp_name
from jianbao.operations.doctor import run_doctor
from jianbao.submissions.services import do_add_attachment
from jianbao.submissions.tests.factories import make_submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _folders(settings: Any, tmp_path: Path) -> None:
    settings.JIANBAO_QUARANTINE_DIR = tmp_path / "quarantine"
    settings.JIANBAO_DOCTOR_GRACE_SECONDS = 0


def _attachment(reporter_a: User, content: bytes = b"attached bytes") -> Path:
    item = make_submission(author=reporter_a)
    upload = SimpleUploadedFile("附件.txt", content)
    attachment = do_add_attachment(submission=item, actor=reporter_a, uploaded=upload)
    return Path(attachment.file.path)


def _kinds(repair: bool = False) -> list[tuple[str, bool]]:
    return [(f.kind, f.repaired) for f in run_doctor(repair=repair).findings]


def test_a_healthy_site_has_no_findings(reporter_a: User) -> None:
    _attachment(reporter_a)
    report = run_doctor()
    assert report.healthy and report.records == 1 and report.files == 1


def test_orphans_go_to_the_quarantine_and_temp_files_are_removed(
    reporter_a: User, settings: Any
) -> None:
    stored = _attachment(reporter_a)
    orphan = stored.parent / "nobody.txt"
    orphan.write_bytes(b"left by a crashed upload")
    temp = Path(settings.MEDIA_ROOT) / temp_name("issues/2024/x.pdf", "ab" * 32)
    temp.parent.mkdir(parents=True)
    temp.write_bytes(b"half a pdf")
    assert sorted(_kinds()) == [("orphan", False), ("temp", False)]
    assert orphan.exists() and temp.exists()  # nothing changes without --repair

    assert sorted(_kinds(repair=True)) == [("orphan", True), ("temp", True)]
    assert not orphan.exists() and not temp.exists()
    quarantined = list(Path(settings.JIANBAO_QUARANTINE_DIR).rglob("nobody.txt"))
    assert [path.read_bytes() for path in quarantined] == [b"left by a crashed upload"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"operations.doctor.orphan", "operations.doctor.temp"} <= actions
    assert run_doctor().healthy


def test_new_files_are_left_alone(reporter_a: User, settings: Any) -> None:
    settings.JIANBAO_DOCTOR_GRACE_SECONDS = 600
    (_attachment(reporter_a).parent / "uploading.txt").write_bytes(b"a write under way")
    report = run_doctor(repair=True)
    assert report.healthy and report.skipped_recent == 1


def test_a_missing_or_changed_attachment_is_reported_not_repaired(
    reporter_a: User, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = _attachment(reporter_a)
    stored.write_bytes(b"changed on disk")
    assert _kinds(repair=True) == [("mismatch", False)]
    stored.unlink()
    assert main(["doctor", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["healthy"] is False
    assert [f["kind"] for f in report["findings"]] == ["missing"]


def test_a_crash_after_the_commit_is_finished_from_the_temp_file(
    reporter_a: User, settings: Any
) -> None:
    stored = _attachment(reporter_a, b"the committed bytes")
    content = stored.read_bytes()
    relative = stored.relative_to(settings.MEDIA_ROOT).as_posix()
    digest = hashlib.sha256(content).hexdigest()
    stored.rename(Path(settings.MEDIA_ROOT) / temp_name(relative, digest))
    assert _kinds(repair=True) == [("missing", True)]
    assert stored.read_bytes() == content
    assert run_doctor().healthy
