"""A throw-away installation for tests that run real processes (worker, server) and kill them.

The pytest database is in memory (SQLite) or per test run (PostgreSQL) and invisible to a child
process, so these tests migrate a database of their own: a SQLite file in a temporary data
folder, or, when the tests run on PostgreSQL, a database named after the test database with
`_proc` appended. The test reads that database directly (sqlite3 / psycopg) to watch progress
without starting Django in a child every time.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

CHECKOUT = Path(__file__).resolve().parents[3]
REFERENCE_TEXT = CHECKOUT / "jianbao/text/tests/fixtures/shangjie-xinxi-2024-35.txt"


@dataclass
class Site:
    """A migrated data folder and database, and the environment that points a child at them."""

    data_dir: Path
    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def spawn(self, *args: str, log: str) -> subprocess.Popen[bytes]:
        """`python -m jianbao ARGS` in the background, its output in data_dir/LOG."""
        with open(self.data_dir / log, "ab") as out:
            child = subprocess.Popen(
                [sys.executable, "-m", "jianbao", *args], cwd=CHECKOUT, env=self.env,
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.children.append(child)
        return child

    def jianbao(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`python -m jianbao ARGS`, to the end."""
        return subprocess.run(
            [sys.executable, "-m", "jianbao", *args], cwd=CHECKOUT, env=self.env, check=False,
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    def python(self, code: str) -> str:
        """Run Django code in a child against this site; its stdout."""
        script = "from jianbao.cli import setup_django; setup_django()\n" + code
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=CHECKOUT, env=self.env, capture_output=True,
            text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of one SQL statement (`%s` placeholders) read straight from the site's database."""
        if self.database_url.startswith("sqlite"):
            path = self.database_url.removeprefix("sqlite:///")
            with closing(sqlite3.connect(path, timeout=10)) as connection:
                return connection.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(sql, params).fetchall()

    def upload(self, files: dict[str, str]) -> int:
        """A new batch of text files, queued for the worker; its id."""
        code = (
            "from jianbao.archive.services import do_upload_files\n"
            f"files = [(name, text.encode()) for name, text in {files!r}.items()]\n"
            "print(do_upload_files(actor=None, files=files).pk)\n"
        )
        return int(self.python(code).split()[-1])

    def batch(self, batch_id: int) -> tuple[str, int, int]:
        """(state, processed, total) of a batch."""
        [row] = self.query(
            "SELECT state, processed, total FROM archive_importbatch WHERE id = %s", batch_id
        )
        return row[0], row[1], row[2]

    def stop_children(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.kill()
                child.wait()


def wait_for(condition: Callable[[], Any], timeout: float, what: str, step: float = 0.02) -> Any:
    """Poll until `condition()` is truthy; its value. Fails the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def numbered_issues(count: int) -> dict[str, str]:
    """`count` distinct copies of the reference issue as text files (numbers 1..count)."""
    text = REFERENCE_TEXT.read_text(encoding="utf-8")
    return {f"{n:02}.txt": text.replace("第 35 期", f"第 {n} 期") for n in range(1, count + 1)}


def _postgres_url(base: str, suffix: str) -> str:
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "jianbao"
    if not name.startswith("test_"):
        name = f"test_{name}"
    return urlunsplit(parts._replace(path=f"/{name}_{suffix}"))


def _create_postgres(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def make_site(data_dir: Path, suffix: str) -> Iterator[Site]:
    """A migrated site under `data_dir` (fixture body: yields it, then kills what is left)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        url = _postgres_url(base, f"{suffix}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
        _create_postgres(url)
    else:
        url = f"sqlite:///{data_dir / 'jianbao.sqlite3'}"
    env = {
        **os.environ, "JIANBAO_DATA_DIR": str(data_dir), "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "jianbao.config.settings", "JIANBAO_INLINE_PARSE_FILES": "0",
        "JIANBAO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "JIANBAO_LOG_LEVEL": "WARNING",
    }  # fmt: skip
    site = Site(data_dir, url, env)
    done = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"], cwd=CHECKOUT, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    try:
        yield site
    finally:
        site.stop_children()


def kill9(process: subprocess.Popen[bytes] | int) -> None:
    """SIGKILL, as a crash would."""
    pid = process if isinstance(process, int) else process.pid
    os.kill(pid, signal.SIGKILL)
    if not isinstance(process, int):
        process.wait()
