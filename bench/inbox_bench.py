"""Inbox page and submission API latency with 100,000 submissions, against a trivial view.

Usage: .venv/bin/python -m bench.inbox_bench [--submissions 100000] [--requests 200]
       [--users 10] [--per-user 40] [--think-ms 1000] [--think-requests 20]
       [--database-url postgres://postgres@127.0.0.1:5432/jianbao_bench] [--data-dir DIR]

Builds a private database (a temporary SQLite file unless --database-url is given), fills it
with generated submissions (indexed for search), serves it with `jianbao serve` (gunicorn, one
worker so requests are measured one at a time) and times real HTTP requests from this process.
The baseline is /healthz, served by the same stack in the same run.

Then the word filter (inbox `?q=` and API `?q=`, through the search index) is timed with
`--users` concurrent users, each on its own keep-alive connection, against a second server with
the default number of workers (as `jianbao serve` runs in production); its baseline is the
unfiltered inbox and API under the same concurrency in the same run. Twice: back to back (each
user sends the next request the moment an answer arrives: the server's saturation, the most
requests 2 cores can answer), then as people at work, who read a list before the next filter
(`--think-ms`, a random 0.5–1.5× pause after each answer).

`--data-dir` keeps the generated database (~2–4 min to make) for the next run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
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


def concurrent(
    sessions: list[Session], path: str, per_user: int, think_ms: float = 0
) -> tuple[list[float], float]:
    """Latencies in ms of `per_user` GETs by each session at once (one thread per user, after
    one warm-up request each), and the requests per second over the whole burst. With
    `think_ms`, each user pauses a random 0.5–1.5 × think_ms after each answer, as a person
    reads the list before the next filter; without, users fire back to back (saturation)."""
    pauses = random.Random(per_user)
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
            if think_ms:
                time.sleep(think_ms * pauses.uniform(0.5, 1.5) / 1000)
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


def measure_concurrent(
    users: int, per_user: int, think_ms: float = 0
) -> list[tuple[str, list[float], float]]:
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
        latencies, throughput = concurrent(sessions, path, per_user, think_ms)
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


def _serve(env: dict[str, str], port: int, workers: int | None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "jianbao", "serve", "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for_server(port)
    return server


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    server.wait(timeout=20)


def _print_sequential(rows: list[tuple[str, list[float]]]) -> None:
    print(f"{'request':<44} {'median ms':>10} {'p95 ms':>8} {'× baseline (median)':>20}")
    baseline = statistics.median(rows[0][1])
    for name, values in rows:
        median = statistics.median(values)
        print(f"{name:<44} {median:>10.1f} {p95(values):>8.1f} {median / baseline:>20.1f}")


def _print_concurrent(title: str, rows: list[tuple[str, list[float], float]]) -> None:
    print(f"\n{title}")
    print(f"{'request':<44} {'median ms':>10} {'p95 ms':>8} {'req/s':>7} {'p95 × baseline':>15}")
    baselines = {"inbox": p95(rows[1][1]), "API": p95(rows[5][1])}
    for name, values, throughput in rows:
        base = baselines.get(name.split(" ", 1)[0])
        ratio = f"{p95(values) / base:>15.1f}" if base and "?q=" in name else f"{'':>15}"
        median = statistics.median(values)
        print(f"{name:<44} {median:>10.1f} {p95(values):>8.1f} {throughput:>7.1f} {ratio}")


def _prepare(args: argparse.Namespace, data_dir: str) -> dict[str, str]:
    """The server's environment, with the database generated unless a kept one exists."""
    env = {**os.environ, "JIANBAO_DATA_DIR": data_dir}
    env["DJANGO_SETTINGS_MODULE"] = "jianbao.config.settings"
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.data_dir and (Path(data_dir) / "bench-filled").exists():
        print(f"reusing the database generated earlier in {data_dir}")
        return env
    if args.database_url:
        recreate_postgres_database(args.database_url)
    started = time.perf_counter()
    fill_database(env, args.submissions)
    print(f"generated {args.submissions:,} submissions in {time.perf_counter() - started:.1f} s")
    (Path(data_dir) / "bench-filled").write_text(str(args.submissions))
    return env


def _run(args: argparse.Namespace, data_dir: str) -> None:
    env = _prepare(args, data_dir)
    server = _serve(env, PORT, workers=1)
    try:
        print(f"load average before the sequential cases: {load_average()}")
        rows = measure(args.requests)
    finally:
        _stop(server)
    server = _serve(env, CONCURRENT_PORT, workers=None)
    try:
        print(f"load average before the concurrent cases: {load_average()}")
        saturated = measure_concurrent(args.users, args.per_user)
        thinking = []
        if args.think_ms:
            thinking = measure_concurrent(args.users, args.think_requests, args.think_ms)
        print(f"load average after the concurrent cases: {load_average()}")
    finally:
        _stop(server)
    database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    print(f"\nmachine: {describe_machine(database)}; {args.submissions:,} submissions")
    print(f"{args.requests} sequential requests each, one worker")
    _print_sequential(rows)
    workers = "server with the default workers"
    _print_concurrent(
        f"{args.users} users back to back (no pause: saturation), {args.per_user} requests "
        f"each, {workers}",
        saturated,
    )
    if thinking:
        _print_concurrent(
            f"{args.users} users at work (pause 0.5–1.5 × {args.think_ms:.0f} ms after each "
            f"answer), {args.think_requests} requests each, {workers}",
            thinking,
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--users", type=int, default=10, help="concurrent users (word filter)")
    parser.add_argument("--per-user", type=int, default=40, help="requests per concurrent user")
    parser.add_argument(
        "--think-ms", type=float, default=1000, help="users' mean pause; 0: no such phase"
    )
    parser.add_argument("--think-requests", type=int, default=20, help="per user, with pauses")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--data-dir", default=None, help="keep the generated data here and reuse it next time"
    )
    args = parser.parse_args()
    if args.data_dir:
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
        _run(args, args.data_dir)
    else:
        with tempfile.TemporaryDirectory() as data_dir:
            _run(args, data_dir)
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
