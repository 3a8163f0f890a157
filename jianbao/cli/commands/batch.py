"""`jianbao batch show|resume|cancel ID`: an archive import batch whose work stopped.

A batch is 「已中断」 when the worker (or the web request, or `jianbao import`) working on it died;
`jianbao worker` notices that at start-up and every minute. `resume` parses the files still
pending (or confirms the ready ones, if it stopped while importing): here with a progress bar,
or with `--background` by the worker. `cancel` skips the pending files with the reason; the
same files may then be uploaded again. Exit 1 when the batch does not exist or is in a state
that does not allow the action.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from jianbao.cli import CommandError, setup_django
from jianbao.cli.commands.archive_import import _actor  # the same --user check as `import`

NAME = "batch"
HELP = (
    "Show, resume (parse the files still pending) or cancel (skip them) an archive import "
    "batch, e.g. one interrupted by a crash."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """ACTION ID, --reason, --background, --user."""
    parser.add_argument("action", choices=["show", "resume", "cancel"])
    parser.add_argument("batch_id", type=int, metavar="ID", help="the batch number (第N批)")
    parser.add_argument("--reason", default="", help="why the batch is cancelled")
    parser.add_argument(
        "--background", action="store_true", help="resume: queue it for `jianbao worker`"
    )
    parser.add_argument("--user", help="record this editor as acting (default: the system)")


def _show(batch: Any) -> None:
    from jianbao.archive.selectors import state_counts

    counts = state_counts(batch)
    states = _item_states()
    shown = "，".join(f"{label} {counts[value]}" for value, label in states if counts[value])
    print(
        f"导入批次 {batch.pk}：{batch.get_state_display()}（{batch.processed}/{batch.total}）"
        f"{'，' + shown if shown else ''}"
    )
    if batch.message:
        print(f"  {batch.message}")


def _item_states() -> list[tuple[str, str]]:
    from jianbao.archive.models import ItemState

    return list(ItemState.choices)


def _resume_here(batch: Any, actor: Any) -> Any:
    from tqdm import tqdm

    from jianbao.archive.services.recovery import run_resumed_batch

    with tqdm(total=batch.items.count(), unit="个", desc="处理", file=sys.stderr) as bar:

        def progress(item: Any) -> None:
            bar.set_postfix_str(item.original_name[:30], refresh=False)
            bar.update(1)

        return run_resumed_batch(batch=batch, actor=actor, progress=progress)


def run(args: argparse.Namespace) -> int:
    """Act on one batch and print its state."""
    setup_django()
    from django.core.exceptions import ValidationError

    from jianbao.archive.models import ImportBatch
    from jianbao.archive.services.recovery import do_cancel_batch, do_resume_batch

    batch = ImportBatch.objects.filter(pk=args.batch_id).first()
    if batch is None:
        raise CommandError(f"导入批次 {args.batch_id} 不存在")
    actor = _actor(args.user)
    try:
        if args.action == "resume":
            batch = do_resume_batch(batch=batch, actor=actor, queue=args.background)
            if not args.background:
                batch = _resume_here(batch, actor)
        elif args.action == "cancel":
            batch = do_cancel_batch(batch=batch, actor=actor, reason=args.reason)
    except ValidationError as error:
        raise CommandError("；".join(error.messages)) from error
    _show(batch)
    return 0
