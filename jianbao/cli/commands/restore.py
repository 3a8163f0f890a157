"""`jianbao restore DIR`: a backup into an empty data folder and an empty database."""

from __future__ import annotations

import argparse
from pathlib import Path

from jianbao.cli import CommandError, setup_django
from jianbao.cli.commands.backup import progress_bar

NAME = "restore"
HELP = (
    "Restore a `jianbao backup` folder into an empty data folder (JIANBAO_DATA_DIR) and an empty "
    "database (DATABASE_URL), checking every SHA-256; refused if either holds anything."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, metavar="DIR", help="the backup folder")


def run(args: argparse.Namespace) -> int:
    setup_django()
    from jianbao.operations.backup import BackupError
    from jianbao.operations.restore import restore_site

    try:
        with progress_bar("恢复") as progress:
            result = restore_site(source=args.source, progress=progress)
    except BackupError as error:
        raise CommandError(str(error)) from error
    print(f"已恢复数据库和 {result.files} 个文件（{result.size} 字节），校验全部通过。")
    return 0
