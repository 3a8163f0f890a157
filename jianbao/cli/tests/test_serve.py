"""`jianbao serve --with-worker` as a real process: it restarts a worker killed with SIGKILL (the
new one processes a batch) and stops within 5 s on SIGTERM, its children with it."""

from __future__ import annotations

import signal
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from jianbao.operations.tests.processes import Site, kill9, make_site, numbered_issues, wait_for

PORT = 8103  # this test's own port (never 8000)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    yield from make_site(tmp_path / "site", "serve")


def _answers() -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=2) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def _children(pid: int) -> dict[int, str]:
    """The direct children of a process and their command lines."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
            except FileNotFoundError:
                continue
            found[int(child)] = cmdline.decode()
    return found


def _worker_pid(pid: int) -> int | None:
    return next((c for c, cmd in _children(pid).items() if "jianbao worker" in cmd), None)


def _alive(pid: int) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def test_serve_restarts_its_worker_and_stops_within_five_seconds(site: Site) -> None:
    server = site.spawn("serve", "--port", str(PORT), "--workers", "1", "--with-worker", log="s")
    wait_for(_answers, 60, "the server to answer", step=0.2)
    first = wait_for(lambda: _worker_pid(server.pid), 10, "the worker")
    kill9(first)
    wait_for(lambda: (_worker_pid(server.pid) or first) != first, 15, "a new worker")
    second = _worker_pid(server.pid)

    # The supervisor logs the restart just after starting the process: wait for the line too.
    def restart_logged() -> str | None:
        text = (site.data_dir / "s").read_text()
        return text if "后台处理进程已重启" in text else None

    log = wait_for(restart_logged, 10, "the restart to be logged")
    assert f"后台处理进程 {first} 已退出（状态 -9），1 秒后重启" in log
    assert f"后台处理进程已重启（pid {second}）" in log

    batch = site.upload(numbered_issues(2))
    wait_for(lambda: site.batch(batch)[0] == "done", 60, "the new worker to parse the batch")

    children = list(_children(server.pid))
    assert second in children and len(children) == 2  # the worker and gunicorn
    started = time.monotonic()
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=10) == 0
    took = time.monotonic() - started
    print(f"serve stopped in {took:.2f} s")  # shown with -s: the figure for the README
    assert took < 5, f"serve took {took:.1f} s to stop"
    assert not any(_alive(pid) for pid in children)
    assert not _answers()
