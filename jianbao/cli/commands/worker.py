"""`jianbao worker`: run background tasks (imports, re-indexing, rendering) from the queue."""

from __future__ import annotations

import argparse

from jianbao.cli import setup_django

NAME = "worker"
HELP = "Run the background task worker (database queue)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    options: dict[str, object] = {"interval": args.interval, "no_startup_delay": True}
    if args.batch:
        options["batch"] = True
    call_command("db_worker", **options)
    return 0
