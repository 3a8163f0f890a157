"""The 工作台 (home page) latency for an editor with 100,000 submissions and 10,000 unread
notifications in the database, against the /healthz baseline of the same run.

Usage: .venv/bin/python -m bench.workbench_bench [--submissions 100000] [--notifications 10000]
       [--requests 200] [--database-url postgres://postgres@127.0.0.1:5432/jianbao_workbench]

Builds a private database (a temporary SQLite file unless --database-url is given), serves it
with `jianbao serve` (gunicorn, one worker, so requests are measured one at a time) and times
real HTTP requests from this process. Target: home page p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from bench import inbox_bench
from bench.inbox_bench import ROOT, Session, describe_machine, p95, recreate_postgres_database
from bench.server import wait_for_server

PORT = 8241  # not the inbox benchmark's 8140/8141: they may run at the same time
TARGET_P95_MS = 150.0


def fill_database(env: dict[str, str], submissions: int, notifications: int) -> None:
    code = f"import bench.workbench_data as d; d.generate({submissions}, {notifications})"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


def measure(count: int) -> list[tuple[str, list[float]]]:
    editor = Session("editor", "Bench-password1", port=PORT)
    reporter = Session("reporter", "Bench-password1", port=PORT)
    cases = [
        ("GET /healthz (baseline, no database)", editor, "/healthz"),
        ("工作台: editor (100k items, 10k unread)", editor, "/"),
        ("工作台: reporter", reporter, "/"),
        ("消息: editor's unread list", editor, "/notifications/"),
        ("收稿箱 with the menu counts: editor", editor, "/submissions/inbox/"),
    ]
    return [(name, inbox_bench.timed(session, path, count)) for name, session, path in cases]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ,
            "JIANBAO_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "jianbao.config.settings",
        }
        env.pop("DATABASE_URL", None)
        if args.database_url:
            recreate_postgres_database(args.database_url)
            env["DATABASE_URL"] = args.database_url
        started = time.perf_counter()
        fill_database(env, args.submissions, args.notifications)
        print(
            f"generated {args.submissions:,} submissions and {args.notifications:,} unread "
            f"notifications in {time.perf_counter() - started:.1f} s"
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "jianbao", "serve", "--port", str(PORT), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_server(PORT, server)
            rows = measure(args.requests)
        finally:
            server.terminate()
            server.wait(timeout=20)
    database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    print(f"\nmachine: {describe_machine(database)}; {args.requests} requests each")
    print(f"{'request':<44} {'median ms':>10} {'p95 ms':>8} {'× baseline (median)':>20}")
    baseline = statistics.median(rows[0][1])
    for name, values in rows:
        median = statistics.median(values)
        print(f"{name:<44} {median:>10.1f} {p95(values):>8.1f} {median / baseline:>20.1f}")
    home_p95 = p95(rows[1][1])
    verdict = "met" if home_p95 < TARGET_P95_MS else "MISSED"
    print(f"\n工作台 p95 {home_p95:.1f} ms: target < {TARGET_P95_MS:.0f} ms {verdict}")
    return 0 if home_p95 < TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
