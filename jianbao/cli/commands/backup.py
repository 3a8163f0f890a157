"""`jianbao backup [--to DIR]` and `jianbao backup --verify DIR`: an online backup of the
database and the stored files with a SHA-256 manifest, and its check without restoring."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jianbao.cli import CommandError, setup_django

NAME = "backup"
HELP = (
    "Back up the database (SQLite backup API / pg_dump) and the files it refers to, with a "
    "SHA-256 manifest, while the site runs; --verify DIR checks a backup without restoring it."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--to", type=Path, help="an empty or new folder (default JIANBAO_BACKUP_DIR/<time>)"
    )
    target.add_argument("--verify", type=Path, metavar="DIR", help="check this backup instead")


@contextmanager
def progress_bar(desc: str) -> Iterator[Callable[[int, int], None]]:
    """A tqdm bar fed by (done, total) callbacks."""
    from tqdm import tqdm

    with tqdm(total=0, desc=desc, unit="项") as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield progress


def run(args: argparse.Namespace) -> int:
    setup_django()
    from jianbao.operations.backup import BackupError, create_backup, verify_backup

    try:
        if args.verify is not None:
            with progress_bar("校验") as progress:
                problems = verify_backup(args.verify, progress=progress)
            if problems:
                raise CommandError(f"备份有 {len(problems)} 处问题，首个：{problems[0]}")
            print(f"备份完好：{args.verify}")
            return 0
        with progress_bar("复制文件") as progress:
            result = create_backup(to=args.to, progress=progress)
    except BackupError as error:
        raise CommandError(str(error)) from error
    print(f"已备份到 {result.path}：{result.files} 个文件，共 {result.size} 字节。")
    if result.missing or result.mismatched:
        raise CommandError(
            f"备份已写出，但 {len(result.missing)} 个记录的文件缺失、"
            f"{len(result.mismatched)} 个与记录不符（见 manifest.json；运行 jianbao doctor）"
        )
    return 0
