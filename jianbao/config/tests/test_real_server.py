"""Through a real gunicorn (`jianbao serve`): an over-long URI gets the app's Chinese 414 page."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

PORT = 8102
BASE = f"http://127.0.0.1:{PORT}"


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JIANBAO_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'jianbao.sqlite3'}",
        DJANGO_SETTINGS_MODULE="jianbao.config.settings",
    )
    return env


def _wait_until_up(server: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError("jianbao serve exited before answering")
        try:
            with urllib.request.urlopen(f"{BASE}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("jianbao serve did not answer in time")


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """`jianbao serve`, gunicorn and its worker all at once (how they stop is not tested here)."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[None]:
    env = _env(tmp_path)
    migrate = [sys.executable, "-m", "django", "migrate", "-v0"]
    subprocess.run(migrate, env=env, check=True, timeout=120)
    command = [sys.executable, "-m", "jianbao", "serve", "--port", str(PORT), "--workers", "1"]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: gunicorn is stopped with it
    )
    try:
        _wait_until_up(process)
        yield
    finally:
        _stop_group(process)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_gunicorn_lets_the_app_answer_an_over_long_uri_in_chinese(server: None) -> None:
    query = urllib.parse.urlencode({"q": "a" * 10_000})
    status, page = _get(f"{BASE}/search/?{query}")
    assert status == 414
    assert "请求地址过长" in page
    assert "URI Too Long" not in page
    status, body = _get(f"{BASE}/api/v1/search?{query}")
    assert status == 414
    assert "请求地址过长" in body
