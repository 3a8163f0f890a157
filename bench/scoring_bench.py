"""Scoring at province scale: recompute a year, then the ranking and statistics pages, against
/healthz in the same run.

Usage: .venv/bin/python -m bench.scoring_bench [--submissions 200000] [--adoptions 60000]
       [--requests 100] [--database-url postgres://postgres@127.0.0.1:5432/jianbao_rankings]
       [--port 8171]

Builds a private database (a temporary SQLite file unless --database-url is given) with 3,000
units in three classes, the submissions and adoptions of 2025 and the R5 rule set, times
`do_recompute` of the whole year (twice: first and replacing), then serves it with
`jianbao serve` (gunicorn, one worker, so requests are measured one at a time) and times real
HTTP requests from this process. Targets: recompute < 10 s, ranking p95 < 200 ms, statistics
p95 < 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.inbox_bench import Session, describe_machine, p95, recreate_postgres_database, timed
from bench.server import wait_for_server

PORT = 8171
ROOT = Path(__file__).resolve().parent.parent


def fill_database(env: dict[str, str], submissions: int, adoptions: int) -> None:
    code = f"import bench.scoring_data as d; d.generate({submissions}, {adoptions})"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


CASES = [
    ("GET /healthz (baseline, no database)", "/healthz"),
    ("ranking: year, one class (1,200 units)", "/assessment/rankings/?period=2025"),
    ("ranking: month, one class", "/assessment/rankings/?period=2025-06"),
    ("ranking: quarter, all classes (3,000)", "/assessment/rankings/?period=2025-Q2&kind="),
    ("statistics: year, all classes", "/assessment/statistics/?period=2025"),
    ("statistics: month, all classes", "/assessment/statistics/?period=2025-06"),
]


def measure(count: int, port: int) -> list[tuple[str, list[float]]]:
    # The port explicitly: Session's default is the inbox benchmark's (bound when it was
    # defined), so the figures were taken from whatever server listened there.
    editor = Session("editor", "Bench-Scoring-2025!", port=port)
    return [(name, timed(editor, path, count)) for name, path in CASES]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=200_000)
    parser.add_argument("--adoptions", type=int, default=60_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--port", type=int, default=PORT)
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
        fill_database(env, args.submissions, args.adoptions)
        print(f"generated and recomputed in {time.perf_counter() - started:.1f} s")
        server = subprocess.Popen(
            [sys.executable, "-m", "jianbao", "serve", "--port", str(args.port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_server(args.port, server)
            rows = measure(args.requests, args.port)
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
