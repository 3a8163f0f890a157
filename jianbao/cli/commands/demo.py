"""`jianbao demo`: build the demo database from scratch (migrations included)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jianbao.cli import CommandError, setup_django

NAME = "demo"
HELP = "Build the demo database of 上街区 from scratch and print the demo accounts."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="only migrate when the database already has users (keeps your data)",
    )


def _wipe_database() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        connection.close()
        name = str(database["NAME"])
        for suffix in ("", "-wal", "-shm"):
            path = Path(name + suffix)
            if path.exists():
                path.unlink()
    else:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("flush", verbosity=0, interactive=False)


def _print_accounts() -> None:
    from jianbao.demo.build import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_TOTP_USERS, DEMO_USERS

    print(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
    for spec in DEMO_USERS:
        print(f"  {spec.username:<12} {spec.display_name:<10} {spec.purpose}")
    print(
        f"\n{'、'.join(DEMO_TOTP_USERS)} 登录还需动态验证码（双因素认证）：在手机验证器应用中"
        f"手动添加密钥 {DEMO_TOTP_SECRET}（演示专用，基于时间，6 位）。"
    )
    print()


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.utils import OperationalError

    from jianbao.accounts.models import User
    from jianbao.demo.build import build_demo

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    if args.if_missing:
        call_command("migrate", verbosity=0, interactive=False)
        if User.objects.exists():
            print("数据库已存在，已完成迁移，保留现有数据。", file=sys.stderr)
            _print_accounts()
            return 0
    try:
        _wipe_database()
        call_command("migrate", verbosity=0, interactive=False)
    except OperationalError as error:
        raise CommandError(f"cannot prepare the database: {error}") from error
    build_demo()
    print(f"演示数据已生成：{settings.DATABASES['default']['NAME']}")
    _print_accounts()
    return 0
