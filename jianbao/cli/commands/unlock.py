"""`jianbao unlock`: lift a login lockout (too many wrong passwords) before it expires."""

from __future__ import annotations

import argparse
import json

from jianbao.cli import CommandError, setup_django

NAME = "unlock"
HELP = "Lift the login lockout of a user name and/or a source address."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username", nargs="?", default="", help="the user name that was locked")
    parser.add_argument("--ip", default="", help="also (or only) this source address")
    parser.add_argument("--list", action="store_true", help="list current lockouts instead")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run(args: argparse.Namespace) -> int:
    setup_django()
    from jianbao.accounts.lockout import current_lockouts, do_unlock_login

    if args.list:
        rows = [
            {
                "username": lock.username,
                "ip": lock.ip_address,
                "failures": lock.failures,
                "until": lock.until.isoformat(),
            }
            for lock in current_lockouts()
        ]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        for row in [] if args.json else rows:
            print(
                f"{row['username'] or '-':<20} {row['ip']:<40} {row['failures']:>3}  {row['until']}"
            )
        return 0
    if not args.username and not args.ip:
        raise CommandError("give a user name, --ip ADDRESS, or --list")
    count = do_unlock_login(actor=None, username=args.username, ip_address=args.ip, via="cli")
    if args.json:
        print(json.dumps({"unlocked": count}))
    else:
        print(f"unlocked: {count} failure record(s) cleared")
    return 0
