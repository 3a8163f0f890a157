"""A real on-disk SQLite database (WAL, as in production) for tests that need several
connections at once: the in-memory test database cannot show lock waits.

`run_in_django` runs a script in a fresh interpreter against a copy of a database migrated once
per test session, and returns the JSON the script prints last.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
PRELUDE = "import django, json, time, threading\ndjango.setup()\n"


def _env(data_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("JIANBAO_")}
    env.update(
        JIANBAO_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="jianbao.config.settings",
        **extra,
    )
    return env


def migrated_database(folder: Path) -> Path:
    """A data folder holding a freshly migrated SQLite database."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "django", "migrate", "-v0"]
    subprocess.run(command, env=_env(folder, {}), cwd=ROOT, check=True, timeout=120)
    return folder


def run_in_django(
    template: Path, folder: Path, script: str, env: dict[str, str] | None = None
) -> Any:
    """Copy the template data folder to `folder`, run `script` there, return its JSON output."""
    shutil.copytree(template, folder)
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + script],
        env=_env(folder, env or {}),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
