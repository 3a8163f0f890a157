"""Distribution at scale: publishing an issue to 3,000 recipients (from the publish call until
the worker has created every receipt and notification), then the receipt ledger and 收件 pages
over HTTP against the /healthz baseline of the same run.

Usage: .venv/bin/python -m bench.distribution_bench [--recipients 3000] [--requests 200]
       [--database-url postgres://postgres@127.0.0.1:5432/jianbao_distribution]

Builds a private database (a temporary SQLite file unless --database-url is given), publishes in
a child process whose in-process worker runs the queued delivery, then serves the database with
`jianbao serve` (gunicorn, one worker) and times real requests. Targets: delivered in < 10 s,
ledger page p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from urllib.parse import quote

from bench import inbox_bench
from bench.inbox_bench import ROOT, Session, describe_machine, p95, recreate_postgres_database
from bench.server import wait_for_server

PORT = 8221
TARGET_DELIVERY_S = 10.0
TARGET_P95_MS = 200.0


def publish(env: dict[str, str], recipients: int) -> dict[str, object]:
    code = f"import bench.distribution_data as d; d.generate({recipients})"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def measure(facts: dict[str, object], count: int) -> list[tuple[str, list[float]]]:
    editor = Session("editor", "Bench-password1", port=PORT)
    reader = Session(str(facts["recipient"]), "Bench-password1", port=PORT)
    ledger = f"/distribution/issues/{facts['issue']}/"
    cases = [
        ("GET /healthz (baseline, no database)", editor, "/healthz"),
        ("签收情况 page 1 (editor)", editor, ledger),
        ("签收情况 未签收 filter, htmx", editor, ledger + "?state=unsigned#htmx"),
        ("签收情况 name search, htmx", editor, ledger + "?q=" + quote("领导02") + "#htmx"),
        ("分发签收 overview (editor)", editor, "/distribution/issues/"),
        ("收件 (a recipient)", reader, "/distribution/"),
        ("阅读页 (a recipient, records the read)", reader, f"/issues/{facts['issue']}/read/"),
    ]
    return [(name, inbox_bench.timed(session, path, count)) for name, session, path in cases]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--recipients", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "JIANBAO_DATA_DIR": data_dir,
               "DJANGO_SETTINGS_MODULE": "jianbao.config.settings"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        if args.database_url:
            recreate_postgres_database(args.database_url)
            env["DATABASE_URL"] = args.database_url
        facts = publish(env, args.recipients)
        server = subprocess.Popen(
            [sys.executable, "-m", "jianbao", "serve", "--port", str(PORT), "--workers", "1"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for_server(PORT, server)
            rows = measure(facts, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=20)
    database = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    print(f"machine: {describe_machine(database)}; {args.requests} requests each")
    print(
        f"publish to {facts['receipts']:,} recipients ({facts['paper']} paper copies): "
        f"publish call {facts['publish_s']:.2f} s (renders the files), background delivery "
        f"{facts['deliver_s']:.2f} s, total {facts['total_s']:.2f} s; state {facts['state']} "
        f"(the worker's start-up import of the URLconf, not counted: "
        f"{facts['worker_warm_up_s']:.2f} s)"
    )
    print(f"{'request':<44} {'median ms':>10} {'p95 ms':>8} {'× baseline (median)':>20}")
    baseline = statistics.median(rows[0][1])
    for name, values in rows:
        median = statistics.median(values)
        print(f"{name:<44} {median:>10.1f} {p95(values):>8.1f} {median / baseline:>20.1f}")
    ledger_p95 = max(p95(values) for _, values in rows[1:4])
    total = float(str(facts["total_s"]))
    ok = (
        total < TARGET_DELIVERY_S
        and ledger_p95 < TARGET_P95_MS
        and facts["receipts"] == args.recipients
    )
    print(
        f"\ndelivery {total:.2f} s (target < {TARGET_DELIVERY_S:.0f} s), ledger p95 "
        f"{ledger_p95:.1f} ms (target < {TARGET_P95_MS:.0f} ms): {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
