"""The `jianbao` command: help, exit codes, createuser, and a demo built from scratch."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from jianbao.accounts.models import User
from jianbao.cli import main


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ["serve", "worker", "demo", "createuser"]:
        assert command in out


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["fly"])
    assert exit_info.value.code == 2


@pytest.mark.django_db
def test_createuser_with_unit_alias_and_roles(
    capsys: pytest.CaptureFixture[str], unit_a: object
) -> None:
    status = main(
        [
            "createuser",
            "zhang",
            "--name",
            "张三",
            "--unit",
            "中共上街区委宣传部",
            "--roles",
            "reporter",
            "--password",
            "long-enough-1",
        ]
    )
    assert status == 0
    user = User.objects.get(username="zhang")
    assert user.is_reporter and user.unit == unit_a
    assert user.check_password("long-enough-1")


@pytest.mark.django_db
def test_createuser_bad_input_is_one_line_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["createuser", "li", "--roles", "wizard", "--password", "long-enough-1"]) == 1
    assert main(["createuser", "li", "--unit", "不存在的单位", "--password", "long-enough-1"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert "unknown role" in err[0] and "unknown unit" in err[1]
    assert not User.objects.filter(username="li").exists()


def test_demo_builds_a_database_from_scratch(tmp_path: Path) -> None:
    env = {**os.environ, "JIANBAO_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # always SQLite in the temporary folder, never the CI database
    result = subprocess.run(
        [sys.executable, "-m", "jianbao", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "wangsiyu" in result.stdout and "Jianbao-demo1" in result.stdout
    assert "JIANBAODEMOTOTPKEYFORDEMOONLY234" in result.stdout  # the demo TOTP key
    assert (tmp_path / "jianbao.sqlite3").exists()
    again = subprocess.run(
        [sys.executable, "-m", "jianbao", "demo", "--if-missing"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0
    assert "保留现有数据" in again.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_runs_gunicorn_with_static_files_and_stops_its_worker(tmp_path: Path) -> None:
    import signal
    import time
    import urllib.request

    env = {**os.environ, "JIANBAO_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "migrate",
            "--settings=jianbao.config.settings",
            "-v",
            "0",
        ],
        env=env,
        check=True,
        timeout=300,
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jianbao",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--with-worker",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        body = b""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/jianbao.css") as r:
                    body = r.read()
                    server_header = r.headers.get("Server", "")
                break
            except OSError:
                time.sleep(0.2)
        assert b"--red" in body
        assert "gunicorn" in server_header.lower()
        running = subprocess.run(
            ["pgrep", "-a", "-s", str(server.pid)], capture_output=True, text=True, check=False
        ).stdout
        assert "jianbao worker" in running  # the task worker runs beside the server
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=30)
    leftover = subprocess.run(["pgrep", "-s", str(server.pid)], capture_output=True, check=False)
    assert leftover.stdout == b"", "processes of `jianbao serve` outlived it"
