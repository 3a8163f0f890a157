"""`jianbao reindex`: rebuild the search index from the database."""

from __future__ import annotations

import argparse

from jianbao.cli import CommandError, setup_django

NAME = "reindex"
HELP = "Rebuild the full-text search index from the database (with a progress bar)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--background",
        action="store_true",
        help="queue the rebuild for `jianbao worker` instead of running it here",
    )


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.db.utils import OperationalError, ProgrammingError
    from tqdm import tqdm

    from jianbao.search.services import rebuild_index
    from jianbao.search.tasks import rebuild_search_index

    try:
        if args.background:
            result = rebuild_search_index.enqueue()
            print(f"已排队：{result.id}（由 jianbao worker 执行）")
            return 0
        with tqdm(total=0, unit="篇", desc="重建索引") as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            count = rebuild_index(progress=progress)
    except (OperationalError, ProgrammingError) as error:
        raise CommandError(
            f"cannot read the database (run `jianbao demo` or migrate): {error}"
        ) from error
    print(f"已索引 {count} 篇。")
    return 0
