"""`jianbao import PATH...`: past issues (TXT, DOCX, PDF) into the archive, with a summary.

Policy: a file is imported by itself only when nothing needs an editor — masthead complete,
series known, every source name resolved to a unit (names and aliases). Otherwise it waits on
the 档案导入 page as 「待核对」 with the reasons. `--accept-unknown-units` keeps unknown names
as printed text without crediting a unit; `--create-series` creates a series the table lacks.
Parser warnings that do not block (e.g. a headline read from the first sentence) are kept
with the item for later review. Exit 1 when any file failed, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from jianbao.cli import CommandError, setup_django

NAME = "import"
HELP = (
    "Import past issues (TXT/DOCX/PDF files or folders) into the archive; duplicates are skipped."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """PATH..., --json, --user, --accept-unknown-units, --create-series."""
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="a file or a folder (searched recursively)"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--user", help="record this editor as the importer (default: the system)")
    parser.add_argument(
        "--accept-unknown-units",
        action="store_true",
        help="keep unknown source units as printed text, credited to no unit (default: review)",
    )
    parser.add_argument(
        "--create-series",
        action="store_true",
        help="create a series that does not exist yet from the masthead (default: wait for review)",
    )


def _actor(username: str | None) -> Any:
    if not username:
        return None
    from jianbao.accounts.models import User
    from jianbao.archive.policy import may_import

    user = User.objects.filter(username=username).first()
    if user is None or not may_import(user):
        raise CommandError(f"用户「{username}」不存在、已停用或不是信息科编辑")
    return user


def _print_summary(summary: Any) -> None:
    print(
        f"导入 {len(summary.imported)} 期，跳过 {len(summary.skipped)} 个，"
        f"待核对 {len(summary.needs_review)} 个，失败 {len(summary.failed)} 个"
        f"（导入批次 {summary.batch_id}）"
    )
    for title, rows in (("跳过", summary.skipped), ("待核对", summary.needs_review)):
        for path, reason in rows:
            print(f"  {title} {path}: {reason}")
    if summary.needs_review:
        print(f"待核对的文件请在网页「档案导入」第{summary.batch_id}批中核对后确认导入。")


def run(args: argparse.Namespace) -> int:
    """Import everything named; a bad file is reported and the rest go on."""
    setup_django()
    from django.db.utils import OperationalError, ProgrammingError
    from tqdm import tqdm

    from jianbao.archive.services import archive_files, import_paths

    total = len(archive_files(args.paths))
    try:
        actor = _actor(args.user)
        with tqdm(total=total, unit="个", desc="导入", file=sys.stderr) as bar:

            def progress(name: str) -> None:
                bar.set_postfix_str(name[:30], refresh=False)
                bar.update(1)

            summary = import_paths(
                paths=args.paths,
                actor=actor,
                progress=progress,
                accept_unknown_units=args.accept_unknown_units,
                create_series=args.create_series,
            )
    except (OperationalError, ProgrammingError) as error:
        raise CommandError(f"数据库不可用（{error}），请先运行 `jianbao demo` 或迁移") from error
    if args.json:
        payload = {
            key: [{"file": f, ("issue" if key == "imported" else "reason"): r} for f, r in rows]
            for key, rows in vars(summary).items()
            if key != "batch_id"
        }
        json.dump({"batch": summary.batch_id, **payload}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_summary(summary)
    for path, reason in summary.failed:
        print(f"失败 {path}: {' '.join(reason.split())}", file=sys.stderr)
    return 1 if summary.failed else 0
