"""Fault injection: `kill -9` of a process in the middle of publishing, at random moments.

After every kill the issue is either still signed with no file rows and no official files (only
temporary ones may be left), or published with its four rows whose bytes are on disk (under the
official name, or still under the temporary name that `jianbao doctor --repair` moves in). The
doctor then leaves a healthy site, and the retry publishes under the official names, unsuffixed.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jianbao.operations.tests.processes import CHECKOUT, Site, kill9, make_site
from jianbao.operations.tests.seeding import media_files, publish_code, seed_signed_issue

OFFICIAL = {f"issues/2024/上街信息-2024-1.{fmt}" for fmt in ("docx", "pdf", "html", "ofd")}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield from make_site(tmp_path / "site", "publish_crash")


def _publish_and_kill(site: Site, issue_id: int, moment: Callable[[], object]) -> bool:
    """Start a publish and kill -9 it once `moment()` is truthy; whether it finished first."""
    script = "from jianbao.cli import setup_django; setup_django()\n" + publish_code(issue_id)
    child = subprocess.Popen(
        [sys.executable, "-c", script], cwd=CHECKOUT, env=site.env, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    while child.poll() is None and not moment():
        time.sleep(0.002)
    finished = child.poll() is not None
    if not finished:
        kill9(child.pid)
        child.wait()
    return finished


def _after(seconds: float) -> Callable[[], bool]:
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


def _check_invariant(site: Site, issue_id: int) -> str:
    """Old state or new state, nothing in between; the state found."""
    [(state,)] = site.query("SELECT state FROM bulletins_issue WHERE id = %s", issue_id)
    rows = dict(
        site.query("SELECT file, sha256 FROM bulletins_issuefile WHERE issue_id = %s", issue_id)
    )
    files = media_files(site)
    official = {name: digest for name, digest in files.items() if ".tmp-" not in name}
    if state == "signed":
        assert rows == {} and official == {}, (rows, files)
        return state
    assert state == "published" and set(rows) == OFFICIAL, (state, rows)
    for name, digest in rows.items():
        # Either moved into place, or waiting under a temporary name carrying the same bytes.
        waiting = [temp for temp, sha in files.items() if temp.startswith(name + ".tmp-")]
        assert official.get(name) == digest or any(files[t] == digest for t in waiting), name
    return state


def _doctor(site: Site, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**site.env, "JIANBAO_DOCTOR_GRACE_SECONDS": "0"}
    return subprocess.run(
        [sys.executable, "-m", "jianbao", "doctor", *args], cwd=CHECKOUT, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_a_publish_killed_at_any_moment_leaves_the_old_or_the_new_state(site: Site) -> None:
    issue_id = seed_signed_issue(site)
    randomness = random.Random(14)
    media = site.data_dir / "media" / "issues"
    rows = "SELECT count(*) FROM bulletins_issuefile"
    moments = [
        _after(randomness.uniform(0.0, 0.5)),  # while loading and rendering
        lambda: any(media.rglob("*.tmp-*")),  # while the temporary files are written
        _after(randomness.uniform(0.3, 1.5)),
        lambda: site.query(rows)[0][0] > 0,  # just after the commit
    ]
    states = []
    for moment in moments:
        _publish_and_kill(site, issue_id, moment)
        states.append(_check_invariant(site, issue_id))
        repaired = _doctor(site, "--repair")  # exit 0: nothing left unrepaired
        assert repaired.returncode == 0, repaired.stdout + repaired.stderr
        assert all(".tmp-" not in name for name in media_files(site))
        if states[-1] == "published":
            break
    if states[-1] == "signed":  # the retry, to the end
        assert _publish_and_kill(site, issue_id, _after(120))
        states.append(_check_invariant(site, issue_id))
    assert states[-1] == "published" and "signed" in states, states
    files = dict(site.query("SELECT file, sha256 FROM bulletins_issuefile"))
    assert media_files(site) == files and set(files) == OFFICIAL  # official names, never suffixed
