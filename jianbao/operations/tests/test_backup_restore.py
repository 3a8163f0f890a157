"""`jianbao backup` while writes go on, then `jianbao restore` into an empty site: every item
committed before the backup began is there, and every row's file is there with its SHA-256."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from jianbao.operations.tests.processes import CHECKOUT, Site, make_site, wait_for
from jianbao.operations.tests.seeding import seed_signed_issue, writer_code

ITEMS = 40


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield from make_site(tmp_path / "site", "backup_src")


def _empty_site(site: Site, data_dir: Path) -> Site:
    """Another data folder and an empty database (no migrations) for the restore."""
    url = f"sqlite:///{data_dir / 'jianbao.sqlite3'}"
    if site.database_url.startswith("postgres"):
        import psycopg

        url = site.database_url + "_restored"
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(site.database_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    env = {**site.env, "JIANBAO_DATA_DIR": str(data_dir), "DATABASE_URL": url}
    return Site(data_dir, url, env)


def _start_writer(site: Site, issue_id: int) -> tuple[subprocess.Popen[str], list[str]]:
    script = "from jianbao.cli import setup_django; setup_django()\n"
    child = subprocess.Popen(
        [sys.executable, "-c", script + writer_code(issue_id, ITEMS, publish_after=6)],
        cwd=CHECKOUT, env=site.env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines: list[str] = []
    assert child.stdout is not None
    stream = child.stdout
    threading.Thread(target=lambda: lines.extend(iter(stream.readline, "")), daemon=True).start()
    return child, lines


def _rows_have_their_files(restored: Site) -> int:
    """Every attachment and issue file row of the restored site has its bytes; how many."""
    rows = restored.query("SELECT file, sha256 FROM submissions_attachment") + restored.query(
        "SELECT file, sha256 FROM bulletins_issuefile"
    )
    for name, digest in rows:
        path = restored.data_dir / "media" / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name
    return len(rows)


def test_a_backup_taken_during_writes_restores_every_committed_item(
    site: Site, tmp_path: Path
) -> None:
    issue_id = seed_signed_issue(site)
    writer, lines = _start_writer(site, issue_id)
    wait_for(lambda: sum(line.startswith("item") for line in lines) >= 3, 60, "first items")
    committed_before = {int(line.split()[1]) for line in list(lines) if line.startswith("item")}
    published_before = "published\n" in lines
    backup = site.jianbao("backup", "--to", str(tmp_path / "backup"))
    during = sum(line.startswith("item") for line in lines) - len(committed_before)
    assert writer.wait(timeout=120) == 0
    assert backup.returncode == 0, backup.stderr[-2000:]
    assert during > 0, "the writer was not writing during the backup"
    assert site.jianbao("backup", "--verify", str(tmp_path / "backup")).returncode == 0

    restored = _empty_site(site, tmp_path / "restored")
    done = restored.jianbao("restore", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr[-2000:]
    ids = {row[0] for row in restored.query("SELECT id FROM submissions_submission")}
    assert committed_before <= ids
    # Each item in the snapshot came with its attachment (one transaction), and its file.
    assert len(restored.query("SELECT id FROM submissions_attachment")) == len(ids)
    assert _rows_have_their_files(restored) >= len(ids)
    [(state,)] = restored.query("SELECT state FROM bulletins_issue WHERE id = %s", issue_id)
    assert state == "published" if published_before else state in {"signed", "published"}
    doctor = restored.jianbao("doctor")
    assert doctor.returncode == 0, doctor.stdout

    again = restored.jianbao("restore", str(tmp_path / "backup"))
    assert again.returncode == 1 and "不是空的" in again.stderr
