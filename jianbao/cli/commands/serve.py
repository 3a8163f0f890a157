"""`jianbao serve`: gunicorn with static files, optionally with the background worker.

Stopping (SIGTERM, or Ctrl+C) takes at most JIANBAO_STOP_TIMEOUT_SECONDS (4 s) plus a moment:
gunicorn gets SIGTERM (its graceful stop: the requests in flight are finished) and the worker
gets SIGTERM (it finishes the file it is parsing and queues the rest of its batch); whatever still
runs after the timeout is killed with its process group. The children run in process groups of
their own, so a Ctrl+C reaches only this process, which stops them gracefully, and they are
sent SIGTERM should this process die (Linux). With `--with-worker` the worker is supervised:
one that exits is restarted after a pause that doubles from 1 s up to
JIANBAO_WORKER_MAX_BACKOFF_SECONDS (reset once a worker has run for a minute).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from jianbao.cli import CommandError, setup_django

NAME = "serve"
HELP = (
    "Serve the web application with gunicorn (static files included); --with-worker also runs "
    "the background worker and restarts it if it dies. SIGTERM/Ctrl+C stop both within 5 s."
)

# A worker that ran this long before dying starts the back-off from its first step again.
HEALTHY_RUN_SECONDS = 60.0
POLL_SECONDS = 0.2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=os.environ.get("JIANBAO_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("JIANBAO_PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("JIANBAO_WORKERS", "3")))
    parser.add_argument(
        "--with-worker",
        action="store_true",
        help="also run the background worker (restarted if it dies); both stop together",
    )


def _collect_static() -> None:
    setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def _log(message: str) -> None:
    print(f"[jianbao serve] {message}", file=sys.stderr, flush=True)


def _child_setup() -> None:
    """In the child before exec: receive SIGTERM when `jianbao serve` dies (Linux only)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _spawn(command: Sequence[str]) -> subprocess.Popen[bytes]:
    # A process group of its own: a terminal's Ctrl+C reaches only us, and a final kill takes
    # the child's own children (the worker's parse processes) with it.
    return subprocess.Popen(command, process_group=0, preexec_fn=_child_setup)  # noqa: PLW1509


class _SupervisedWorker:
    """The background worker child, restarted with a growing pause whenever it exits."""

    def __init__(self, max_backoff: float) -> None:
        self.command = [sys.executable, "-m", "jianbao", "worker"]
        self.max_backoff = max_backoff
        self.delay = 1.0
        self.restart_at: float | None = None
        self.process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        self.started = time.monotonic()
        return _spawn(self.command)

    def check(self) -> None:
        """Notice a worker that died and restart it once its pause is over."""
        if self.process.poll() is None:
            return
        now = time.monotonic()
        if self.restart_at is None:
            if now - self.started >= HEALTHY_RUN_SECONDS:
                self.delay = 1.0
            code = self.process.returncode
            _log(f"后台处理进程 {self.process.pid} 已退出（状态 {code}），{self.delay:g} 秒后重启")
            self.restart_at = now + self.delay
            self.delay = min(self.delay * 2, self.max_backoff)
        elif now >= self.restart_at:
            self.restart_at = None
            self.process = self._start()
            _log(f"后台处理进程已重启（pid {self.process.pid}）")


def _stop(processes: Sequence[subprocess.Popen[bytes]], timeout: float) -> None:
    """SIGTERM to each child, then SIGKILL to the process group of any still running."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + timeout
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _log(f"进程 {process.pid} 未在 {timeout:g} 秒内退出，强制结束")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _gunicorn_command(args: argparse.Namespace, graceful: float) -> list[str]:
    return [
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
        f"{graceful:g}",
        "--preload",  # load the app (and the segmentation dictionary) once, before forking
        # No request-line limit in gunicorn: the app refuses over-long URIs itself, in Chinese
        # (JIANBAO_MAX_URI_LENGTH, jianbao/config/input_guard.py).
        "--limit-request-line",
        "0",
    ]


def run(args: argparse.Namespace) -> int:
    """Serve until SIGTERM/Ctrl+C (exit 0) or until gunicorn itself ends (its status)."""
    _collect_static()
    from django.conf import settings

    timeout = settings.JIANBAO_STOP_TIMEOUT_SECONDS
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    worker = (
        _SupervisedWorker(settings.JIANBAO_WORKER_MAX_BACKOFF_SECONDS) if args.with_worker else None
    )
    try:
        server = _spawn(_gunicorn_command(args, timeout))
    except OSError as error:
        _stop([worker.process] if worker else [], timeout)
        raise CommandError(f"cannot start gunicorn: {error}") from error
    print(f"简报系统已启动：http://{args.host}:{args.port}/  （Ctrl+C 停止）", flush=True)
    try:
        while not stopping.wait(POLL_SECONDS) and server.poll() is None:
            if worker is not None:
                worker.check()
    finally:
        _stop([server, *([worker.process] if worker else [])], timeout)
    return 0 if stopping.is_set() else (server.returncode or 0)
