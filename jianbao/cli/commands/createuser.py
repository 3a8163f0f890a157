"""`jianbao createuser`: add a user with a unit and roles."""

from __future__ import annotations

import argparse
import getpass

from jianbao.cli import CommandError, setup_django

NAME = "createuser"
HELP = "Create a user with a unit and roles."

ROLE_NAMES = ["reporter", "unit_approver", "editor", "chief", "leader", "admin", "auditor"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username")
    parser.add_argument("--name", default="", help="display name, e.g. 王思宇")
    parser.add_argument("--unit", help="unit name or alias (required for reporters and approvers)")
    parser.add_argument(
        "--roles", default="", help=f"comma-separated roles: {', '.join(ROLE_NAMES)}"
    )
    parser.add_argument("--password", help="password (asked for when omitted)")
    parser.add_argument("--phone", default="")


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.exceptions import ValidationError

    from jianbao.accounts.models import Role
    from jianbao.accounts.selectors import resolve_unit
    from jianbao.accounts.services import do_create_user

    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    unknown = [r for r in roles if r not in ROLE_NAMES]
    if unknown:
        raise CommandError(
            f"unknown role(s) {', '.join(unknown)}; choose from {', '.join(ROLE_NAMES)}"
        )
    unit = None
    if args.unit:
        unit = resolve_unit(args.unit)
        if unit is None:
            raise CommandError(f"unknown unit {args.unit!r}")
    password = args.password if args.password is not None else getpass.getpass("密码: ")
    try:
        # The password policy applies (AUTH_PASSWORD_VALIDATORS); the user changes this initial
        # password at first login.
        user = do_create_user(
            username=args.username,
            password=password,
            display_name=args.name,
            unit=unit,
            roles=[Role(r) for r in roles],
            phone=args.phone,
            must_change_password=True,
        )
    except ValidationError as error:
        raise CommandError("".join(error.messages)) from error
    print(f"created user {user.username} ({', '.join(r.label for r in user.roles) or '无角色'})")
    return 0
