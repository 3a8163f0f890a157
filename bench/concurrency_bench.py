"""Mixed load: 20 reporters creating and submitting items through the API, alone and beside
background work (an archive batch of 200 issues parsing in the worker while an issue is
assembled, signed and published; then `jianbao reindex` of the seeded submissions).

Usage: .venv/bin/python -m bench.concurrency_bench [--db sqlite|postgres] [--reporters 20]
       [--seconds 30] [--submissions 5000] [--issues 200] [--port 8105] [--max-seconds 300]

Builds a private database (a temporary SQLite file, or the PostgreSQL database `jianbao_load`,
created and dropped here), seeds units, users and tokens through the services and submissions in
bulk, starts a real `jianbao serve --with-worker` (gunicorn) on 127.0.0.1 and drives it from
threads, each reporter with its own API token. Every phase is bounded in time; the baseline is
the same reporters with nothing in the background, in the same run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.import_bench import write_text_issues
from bench.inbox_bench import recreate_postgres_database
from bench.server import wait_for_server

ROOT = Path(__file__).resolve().parent.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/jianbao_load"
BODY = "今年以来，我单位强化工作部署，召开专题会议研究推进重点工作，累计开展活动120余场。"
Call = Callable[..., tuple[int, Any]]
UPLOAD_FILES = 100


def seed(submissions: int, reporters: int, out: str) -> None:
    """(Run in the benchmark's environment.) Migrate; units, users, tokens, series; bulk items."""
    import bench.inbox_data as data  # sets Django up
    from jianbao.accounts.models import Role, Unit, User
    from jianbao.accounts.services import do_create_unit, do_create_user, do_issue_api_token
    from jianbao.bulletins.models import Series
    from jianbao.demo.units import DEMO_UNITS

    data.generate(submissions)  # 60 units, `editor`, `reporter` and the submissions
    for name, short, kind, aliases, _approval in DEMO_UNITS:
        if not Unit.objects.filter(name=name).exists():
            do_create_unit(name=name, short_name=short, kind=kind, aliases=aliases)
    office = Unit.objects.get(name="区委办公室")
    chief = do_create_user(username="chief", password="Bench-password1", unit=office,
                           roles=[Role.CHIEF])  # fmt: skip
    series = Series.objects.create(title="上街信息", organ="中共上街区委办公室")
    units = list(Unit.objects.filter(name__startswith="单位").order_by("name")[:reporters])
    tokens = []
    for index in range(reporters):
        user = do_create_user(username=f"load{index:02d}", password="Bench-password1",
                              unit=units[index % len(units)], roles=[Role.REPORTER])  # fmt: skip
        tokens.append(do_issue_api_token(user=user, name="bench")[1])
    editor = User.objects.get(username="editor")
    keys = {"reporters": tokens, "series_id": series.pk,
            "editor": do_issue_api_token(user=editor, name="bench")[1],
            "chief": do_issue_api_token(user=chief, name="bench")[1]}  # fmt: skip
    Path(out).write_text(json.dumps(keys), encoding="utf-8")


@dataclass
class Tally:
    """Latencies and errors of the reporters' requests in one phase."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


def client(port: int, token: str) -> Call:
    """A JSON API caller on its own connection: (method, path, payload) → (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(method: str, path: str, payload: Any = None, raw: bytes = b"",
             content_type: str = "application/json") -> tuple[int, Any]:  # fmt: skip
        body = raw or (json.dumps(payload).encode() if payload is not None else None)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            conn.close()
            return 0, repr(error)
        try:
            return response.status, json.loads(data) if data else None
        except ValueError:
            return response.status, data[:200].decode(errors="replace")

    return call


def reporter(call: Call, tally: Tally, stop: threading.Event) -> None:
    """Create a draft and submit it, again and again, until told to stop."""
    while not stop.is_set():
        started = time.perf_counter()
        status, item = call("POST", "/api/v1/submissions", {"title": "并发报送测试", "body": BODY})
        tally.add(time.perf_counter() - started, "" if status == 201 else f"create {status} {item}")
        if status != 201:
            continue
        started = time.perf_counter()
        path = f"/api/v1/submissions/{item['id']}/transitions"
        status, out = call("POST", path, {"action": "submit", "version": item["version"]})
        tally.add(time.perf_counter() - started, "" if status == 200 else f"submit {status} {out}")


def run_phase(port: int, tokens: list[str], background: Callable[[], None] | None,
              seconds: float, max_seconds: float) -> tuple[Tally, float, float]:  # fmt: skip
    """Reporters for `seconds` (baseline) or for as long as `background` runs (up to
    `max_seconds`); returns the tally, the wall time and the background's duration."""
    tally, stop = Tally(), threading.Event()
    threads = [threading.Thread(target=reporter, args=(client(port, t), tally, stop), daemon=True)
               for t in tokens]  # fmt: skip
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    took = 0.0
    try:
        if background is None:
            time.sleep(seconds)
        else:
            worker = threading.Thread(target=background, daemon=True)
            worker.start()
            worker.join(max_seconds)
            took = time.perf_counter() - started
            if worker.is_alive():
                tally.errors.append(f"background work still running after {max_seconds:.0f} s")
    finally:
        stop.set()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started, took


def archive_and_publish(port: int, keys: dict[str, Any], folder: Path) -> Callable[[], None]:
    """Upload the generated issues as one batch and wait for the worker to parse them, while an
    issue is opened, filled, proofed, signed and published through the API."""

    def upload(call: Call, paths: list[Path]) -> int:
        boundary = uuid.uuid4().hex
        parts = []
        for path in paths:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
                         f'filename="{path.name}"\r\nContent-Type: text/plain\r\n\r\n'.encode()
                         + path.read_bytes() + b"\r\n")  # fmt: skip
        raw = b"".join(parts) + f"--{boundary}--\r\n".encode()
        status, batch = call("POST", "/api/v1/archive/batches", raw=raw,
                             content_type=f"multipart/form-data; boundary={boundary}")  # fmt: skip
        assert status == 201, (status, batch)
        return int(batch["id"])

    def parse_all() -> None:
        call, files = client(port, keys["editor"]), sorted(folder.iterdir())
        # Django takes at most 100 files per request (DATA_UPLOAD_MAX_NUMBER_FILES).
        ids = [
            upload(call, files[i : i + UPLOAD_FILES]) for i in range(0, len(files), UPLOAD_FILES)
        ]
        for batch_id in ids:
            while True:
                status, batch = call("GET", f"/api/v1/archive/batches/{batch_id}")
                if status == 200 and batch["state"] not in ("pending", "running"):
                    break
                time.sleep(0.5)
            print(f"  archive batch: {batch['state']}, {batch['processed']}/{batch['total']} "
                  f"files, {batch['counts']}", file=sys.stderr)  # fmt: skip

    def publish() -> None:
        editor, chief = client(port, keys["editor"]), client(port, keys["chief"])
        status, issue = editor("POST", "/api/v1/issues", {"series_id": keys["series_id"]})
        assert status == 201, (status, issue)
        path = f"/api/v1/issues/{issue['id']}"
        for n in range(3):
            status, out = editor("POST", f"{path}/entries", {"title": f"稿件{n}", "body": BODY})
            assert status == 201, (status, out)
        for call, action in ((editor, "proof"), (chief, "sign"), (editor, "publish")):
            status, issue = call("POST", f"{path}/transitions", {"action": action})
            assert status == 200, (action, status, issue)
        print(
            f"  issue published: 第{issue['number']}期, {len(issue['files'])} files",
            file=sys.stderr,
        )

    def both() -> None:
        publisher = threading.Thread(target=publish)
        publisher.start()
        parse_all()
        publisher.join()

    return both


def reindex(env: dict[str, str]) -> Callable[[], None]:
    """`jianbao reindex` in its own process, as an administrator would run it."""

    def run() -> None:
        command = [sys.executable, "-m", "jianbao", "reindex"]
        quiet = subprocess.DEVNULL
        subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=quiet, stderr=quiet)

    return run


def row(label: str, tally: Tally, wall: float, background: float, base_p95: float) -> str:
    """One Markdown row: requests, errors, p50/p95/max, throughput, p95 ratio, background time."""
    ms = sorted(1000 * s for s in tally.latencies) or [0.0]
    p50, p95 = ms[len(ms) // 2], ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    ratio = f"{p95 / base_p95:.2f}×" if base_p95 else "1.00×"
    took = f"{background:.1f}" if background else "–"
    return (f"| {label} | {len(ms):,} | {len(tally.errors)} | {p50:.0f} | {p95:.0f} | "
            f"{ms[-1]:.0f} | {len(ms) / wall:.1f} | {ratio} | {took} |")  # fmt: skip


def measure(args: argparse.Namespace, env: dict[str, str], data: Path) -> list[str]:
    """Seed, serve, run the three phases; the table rows."""
    keys_file = data / "keys.json"
    call = f"seed({args.submissions}, {args.reporters}, {str(keys_file)!r})"
    code = f"import bench.concurrency_bench as b; b.{call}"
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    keys = json.loads(keys_file.read_text(encoding="utf-8"))
    write_text_issues(data / "issues", args.issues, seed=14)
    command = [sys.executable, "-m", "jianbao", "serve", "--port", str(args.port),
               "--workers", str(args.workers), "--with-worker"]  # fmt: skip
    log = (data / "server.log").open("wb")
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)
    try:
        wait_for_server(args.port, server)
        tokens = keys["reporters"]
        publish = archive_and_publish(args.port, keys, data / "issues")
        phases: list[tuple[str, Callable[[], None] | None]] = [
            ("alone (baseline)", None),
            (f"archive batch of {args.issues} + publish", publish),
            (f"`jianbao reindex` of {args.submissions:,}", reindex(env)),
        ]
        # Warm-up, not counted: every gunicorn worker loads jieba's dictionary on its first save.
        run_phase(args.port, tokens, None, 5.0, 5.0)
        rows, base_p95 = [], 0.0
        for label, background in phases:
            print(f"phase: {label}", file=sys.stderr)
            tally, wall, took = run_phase(args.port, tokens, background, args.seconds,
                                          args.max_seconds)  # fmt: skip
            rows.append(row(label, tally, wall, took, base_p95))
            base_p95 = base_p95 or sorted(tally.latencies)[int(len(tally.latencies) * 0.95)] * 1000
            for error in sorted(set(tally.errors))[:5]:
                print(f"  error: {error[:300]}", file=sys.stderr)
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    options.add_argument("--reporters", type=int, default=20)
    options.add_argument("--seconds", type=float, default=30.0, help="baseline duration")
    options.add_argument("--submissions", type=int, default=5000, help="seeded, then reindexed")
    options.add_argument("--issues", type=int, default=200, help="archive batch size")
    options.add_argument("--port", type=int, default=8105)
    options.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    options.add_argument("--max-seconds", type=float, default=600.0, help="cap per phase")
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="jianbao-load-bench-") as tmp:
        data = Path(tmp)
        env = {key: value for key, value in os.environ.items() if not key.startswith("JIANBAO_")}
        env.update(JIANBAO_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="jianbao.config.settings")
        if args.db == "postgres":
            recreate_postgres_database(PG_URL)
            env["DATABASE_URL"] = PG_URL
        else:
            env["DATABASE_URL"] = f"sqlite:///{data / 'load.sqlite3'}"
        try:
            rows = measure(args, env, data)
        finally:
            if args.db == "postgres":
                drop_postgres_database(PG_URL)
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}")
    print(f"database: {'PostgreSQL' if args.db == 'postgres' else 'SQLite (WAL)'}, "
          f"{args.submissions:,} seeded submissions, {args.reporters} reporters, "
          f"{args.workers} gunicorn workers + the task worker")  # fmt: skip
    print("| phase | requests | errors | p50 ms | p95 ms | max ms | requests/s | p95 vs alone "
          "| background s |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    print("\n".join(rows))


def drop_postgres_database(url: str) -> None:
    """Drop the benchmark's own database."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
