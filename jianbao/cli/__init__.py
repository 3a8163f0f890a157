"""The `jianbao` command.

Each subcommand lives in its own module under `jianbao.cli.commands` and is discovered at start-up,
so adding a command never touches this file. A command module defines:

    NAME: str                      # the subcommand, e.g. "parse"
    HELP: str                      # one line for `jianbao --help`
    def add_arguments(parser): ... # argparse arguments
    def run(args) -> int: ...      # exit status; raise CommandError for bad input

Exit status: 0 success, 1 bad input (one-line reason on stderr), 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, TypeGuard

from jianbao.cli import commands

if TYPE_CHECKING:
    from django.db import DatabaseError


class CommandError(Exception):
    """Bad input: printed as one line on stderr, exit status 1."""


def setup_django() -> None:
    """Configure Django for commands that need the database (pure commands never call this)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianbao.config.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:  # e.g. production mode with a public SECRET_KEY
        raise CommandError(str(error)) from error


def _command_modules() -> list[ModuleType]:
    modules = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda module: module.NAME)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jianbao",
        description="Jianbao (简报): government information bulletins from report to archive.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _command_modules():
        sub = subparsers.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(handler=module.run)
    return parser


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse numbers no database can hold and text that is not valid Unicode, before any work."""
    from jianbao.bounds import DB_BIGINT_MAX, bad_character_reason

    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        option = "--" + name.replace("_", "-")
        for item in values:
            if isinstance(item, int) and not isinstance(item, bool) and abs(item) > DB_BIGINT_MAX:
                raise CommandError(f"{option}：{item} 超出范围（最大 {DB_BIGINT_MAX}）")
            # An existing path may carry undecodable bytes (old GBK file names): not ours to judge.
            if isinstance(item, str) and bad_character_reason(item) and not os.path.lexists(item):
                raise CommandError(f"{option}：含有空字符或无法解码的字节，不是有效的文本")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a non-UTF-8 file name prints escaped, not a crash
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        _check_arguments(args)
        status = args.handler(args)
    except CommandError as error:
        print(f"jianbao {args.command}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if _is_database_error(error):  # e.g. a database never migrated, or the server gone
            print(f"jianbao {args.command}: {database_error_reason(error)}", file=sys.stderr)
            return 1
        raise
    return int(status or 0)


def _is_database_error(error: BaseException) -> TypeGuard[DatabaseError]:
    """True for Django's DatabaseError, without importing Django (~0.4 s) for commands that never
    touch the database: if `django.db` was never imported, no database error can have occurred."""
    database = sys.modules.get("django.db")
    return database is not None and isinstance(error, database.DatabaseError)


def database_error_reason(error: DatabaseError) -> str:
    """One Chinese line for a database failure; an unmigrated schema names the fixing command."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    if "no such table" in text or "does not exist" in text:
        return (
            f"数据库尚未初始化或版本较旧（{text}）；请先运行 "
            "python -m django migrate --settings=jianbao.config.settings"
        )
    return f"数据库出错：{text}"


if __name__ == "__main__":
    sys.exit(main())
