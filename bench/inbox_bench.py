"""Inbox page and submission API latency with 100,000 submissions, against a trivial view.

Usage: .venv/bin/python -m bench.inbox_bench [--submissions 100000] [--requests 200]
       [--users 10] [--per-user 40] [--database-url postgres://postgres@127.0.0.1:5432/jianbao_bench]

Builds a private database (a temporary SQLite file unless --database-url is given), fills it
with generated submissions (indexed for search), serves it with `jianbao serve` (gunicorn, one
worker so requests are measured one at a time) and times real HTTP requests from this process.
The baseline is /healthz, served by the same stack in the same run.

Then the word filter (inbox `?q=` and API `?q=`, through the search index) is timed with
`--users` concurrent users, each on its own keep-alive connection, against a second server with
the default number of workers (as `jianbao serve` runs in production); its baseline is the
unfiltered inbox and API under the same concurrency in the same run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from bench.server import wait_for_server

PORT = 8140
CONCURRENT_PORT = 8141
RARE_WORD = "河长制"  # in about 0.5 % of the generated items (bench/inbox_data.py)
COMMON_WORD = "厂房"  # in about 60 %: more matches than the index window lists
ROOT = Path(__file__).resolve().parent.parent


def recreate_postgres_database(url: str) -> None:
    """Drop and create the benchmark database so every run starts empty."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def fill_database(env: dict[str, str], submissions: int) -> None:
    """Migrate and generate units, users and submissions in the benchmark database."""
    code = f"import bench.inbox_data as d; d.generate({submissions})"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


class Session:
    """One keep-alive HTTP connection with a logged-in session cookie."""

    def __init__(self, username: str, password: str, port: int = PORT) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.get("/accounts/login/")
        body = urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            }
        )
        status, _ = self.request(
            "POST", "/accounts/login/", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 302:
            raise SystemExit(f"login as {username} failed ({status})")

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers = {
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{self.port}/",
            **(headers or {}),
        }
        self.conn.request(method, path, body=body, headers=all_headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, data

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        return self.request("GET", path, headers=headers)


def timed(session: Session, path: str, count: int) -> list[float]:
    """Latencies in milliseconds of `count` sequential GETs (after two warm-up requests)."""
    headers = {"HX-Request": "true"} if path.endswith("#htmx") else None
    path = path.removesuffix("#htmx")
    for _ in range(2):
        session.get(path, headers)
    latencies = []
    for _ in range(count):
        start = time.perf_counter()
        status, _ = session.get(path, headers)
        latencies.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    return latencies


def concurrent(sessions: list[Session], path: str, per_user: int) -> tuple[list[float], float]:
    """Latencies in ms of `per_user` GETs by each session at once (one thread per user, after
    one warm-up request each), and the requests per second over the whole burst."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start_line = threading.Barrier(len(sessions) + 1)

    def user(session: Session) -> None:
        session.get(path)
        start_line.wait()
        mine = []
        for _ in range(per_user):
            start = time.perf_counter()
            status, _ = session.get(path)
            mine.append((time.perf_counter() - start) * 1000)
            if status != 200:
                failures.append(f"{path} answered {status}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=user, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    start_line.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(failures[0])
    return latencies, len(latencies) / elapsed


def measure_concurrent(users: int, per_user: int) -> list[tuple[str, list[float], float]]:
    """The word filter against the unfiltered inbox and API, `users` at once."""
    sessions = [Session("editor", "Bench-password1", CONCURRENT_PORT) for _ in range(users)]
    rare, common = quote(RARE_WORD), quote(COMMON_WORD)
    cases = [
        ("GET /healthz (no database)", "/healthz"),
        ("inbox, unfiltered (baseline)", "/submissions/inbox/"),
        (f"inbox ?q={RARE_WORD} (0.5 % match)", f"/submissions/inbox/?q={rare}"),
        (f"inbox ?q={COMMON_WORD} (60 % match)", f"/submissions/inbox/?q={common}"),
        (f"inbox ?q={RARE_WORD}, all states", f"/submissions/inbox/?state=all&q={rare}"),
        ("API list, unfiltered (baseline)", "/api/v1/submissions"),
        (f"API ?q={RARE_WORD}", f"/api/v1/submissions?q={rare}"),
        (f"API ?q={COMMON_WORD}", f"/api/v1/submissions?q={common}"),
    ]
    rows = []
    for name, path in cases:
        latencies, throughput = concurrent(sessions, path, per_user)
        rows.append((name, latencies, throughput))
    return rows


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def describe_machine(database: str) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {database}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--users", type=int, default=10, help="concurrent users (word filter)")
    parser.add_argument("--per-user", type=int, default=40, help="requests per concurrent user")
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
        fill_database(env, args.submissions)
        print(
            f"generated {args.submissions:,} submissions in {time.perf_counter() - started:.1f} s"
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "jianbao", "serve", "--port", str(PORT), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_server(PORT)
            print(f"load average before the sequential cases: {load_average()}")
            rows = measure(args.requests)
        finally:
            server.terminate()
            server.wait(timeout=20)
        server = subprocess.Popen(
            [sys.executable, "-m", "jianbao", "serve", "--port", str(CONCURRENT_PORT)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_server(CONCURRENT_PORT)
            print(f"load average before the concurrent cases: {load_average()}")
            concurrent_rows = measure_concurrent(args.users, args.per_user)
            print(f"load average after the concurrent cases: {load_average()}")
        finally:
            server.terminate()
            server.wait(timeout=20)
    database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    machine = describe_machine(database)
    print(f"\nmachine: {machine}; {args.submissions:,} submissions; {args.requests} requests each")
    print(f"{'request':<44} {'median ms':>10} {'p95 ms':>8} {'× baseline (median)':>20}")
    baseline = statistics.median(rows[0][1])
    for name, values in rows:
        median = statistics.median(values)
        print(f"{name:<44} {median:>10.1f} {p95(values):>8.1f} {median / baseline:>20.1f}")
    print(
        f"\n{args.users} concurrent users, {args.per_user} requests each, "
        "server with the default workers"
    )
    print(f"{'request':<44} {'median ms':>10} {'p95 ms':>8} {'req/s':>7} {'p95 × baseline':>15}")
    baselines = {"inbox": p95(concurrent_rows[1][1]), "API": p95(concurrent_rows[5][1])}
    for name, values, throughput in concurrent_rows:
        base = baselines.get(name.split(" ", 1)[0])
        ratio = f"{p95(values) / base:>15.1f}" if base and "?q=" in name else f"{'':>15}"
        median = statistics.median(values)
        print(f"{name:<44} {median:>10.1f} {p95(values):>8.1f} {throughput:>7.1f} {ratio}")
    return 0


def measure(count: int) -> list[tuple[str, list[float]]]:
    editor = Session("editor", "Bench-password1")
    reporter = Session("reporter", "Bench-password1")
    _status, body = editor.get("/api/v1/submissions?limit=1")
    first_id = int(re.search(rb'"id": ?(\d+)', body).group(1))  # type: ignore[union-attr]
    unit_id = int(re.search(rb'"unit": ?\{"id": ?(\d+)', body).group(1))  # type: ignore[union-attr]
    cases = [
        ("GET /healthz (baseline, no database)", editor, "/healthz"),
        ("inbox: editor, default (urgent, newest)", editor, "/submissions/inbox/"),
        ("inbox: filtered by state", editor, "/submissions/inbox/?state=submitted"),
        ("inbox: filtered by unit", editor, f"/submissions/inbox/?unit={unit_id}"),
        ("inbox: page 50", editor, "/submissions/inbox/?page=50"),
        (
            "inbox: htmx partial, filtered by state",
            editor,
            "/submissions/inbox/?state=in_review#htmx",
        ),
        ("unit list: reporter", reporter, "/submissions/"),
        ("API list (50 items)", editor, "/api/v1/submissions"),
        (
            "API list filtered by unit and state",
            editor,
            f"/api/v1/submissions?unit_id={unit_id}&state=submitted",
        ),
        ("API read one", editor, f"/api/v1/submissions/{first_id}"),
        (
            f"inbox ?q={RARE_WORD} (search index)",
            editor,
            f"/submissions/inbox/?q={quote(RARE_WORD)}",
        ),
        (
            f"inbox ?q={COMMON_WORD} (search index)",
            editor,
            f"/submissions/inbox/?q={quote(COMMON_WORD)}",
        ),
        (f"API ?q={RARE_WORD} (search index)", editor, f"/api/v1/submissions?q={quote(RARE_WORD)}"),
    ]
    return [(name, timed(session, path, count)) for name, session, path in cases]


if __name__ == "__main__":
    sys.exit(main())
