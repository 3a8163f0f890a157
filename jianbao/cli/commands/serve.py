"""`jianbao serve`: gunicorn with static files, optionally with the background worker."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from jianbao.cli import CommandError, setup_django

NAME = "serve"
HELP = "Serve the web application with gunicorn (static files included)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=os.environ.get("JIANBAO_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("JIANBAO_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("JIANBAO_WORKERS", "3")))
    parser.add_argument(
        "--with-worker",
        action="store_true",
        help="also run the background worker; both stop together",
    )


def _collect_static() -> None:
    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def run(args: argparse.Namespace) -> int:
    _collect_static()
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "jianbao.config.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
        "--preload",  # load the app (and the segmentation dictionary) once, before forking
        # No request-line limit in gunicorn: the app refuses over-long URIs itself, in Chinese
        # (JIANBAO_MAX_URI_LENGTH, jianbao/config/input_guard.py).
        "--limit-request-line",
        "0",
    ]
    processes: list[subprocess.Popen[bytes]] = []
    if args.with_worker:
        processes.append(subprocess.Popen([sys.executable, "-m", "jianbao", "worker"]))
    try:
        server = subprocess.Popen(gunicorn)
    except OSError as error:
        _stop(processes)
        raise CommandError(f"cannot start gunicorn: {error}") from error
    processes.append(server)
    print(f"简报系统已启动：http://{args.host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: _stop(processes))
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        _stop(processes)
