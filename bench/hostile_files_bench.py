"""Isolated parsing benchmark: the sample issue parsed in a forked child under the limits
(`jianbao.parsing.parse_archive_file`, as the archive import does) against a direct
in-process parse, per format; then the time to refuse each case of the hostile corpus.

Run: .venv/bin/python -m bench.hostile_files_bench [--repeat N]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_JSON = ROOT / "jianbao" / "samples" / "shangjie-xinxi-2024-35.json"
SAMPLE_TEXT = ROOT / "jianbao" / "text" / "tests" / "fixtures" / "shangjie-xinxi-2024-35.txt"


def _setup_django() -> None:
    """Settings loaded as in the worker (the child is forked from a process of that size)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianbao.config.settings")
    os.environ.setdefault("JIANBAO_DATA_DIR", tempfile.mkdtemp(prefix="jianbao-bench-"))
    import django

    django.setup()


def _samples() -> dict[str, bytes]:
    from jianbao.typeset import Bulletin, render_docx, render_pdf

    bulletin = Bulletin.from_json(json.loads(SAMPLE_JSON.read_text(encoding="utf-8")))
    return {
        "text": SAMPLE_TEXT.read_bytes(),
        "docx": render_docx(bulletin),
        "pdf": render_pdf(bulletin),
    }


def _median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm up (first-use imports, caches)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _compare(repeat: int) -> None:
    from jianbao.parsing import parse_archive_file
    from jianbao.text.extract import parse_file

    print(f"{'format':<6} {'bytes':>8} {'direct ms':>10} {'isolated ms':>12} {'overhead':>9} ratio")
    for kind, data in _samples().items():
        name = f"sample.{kind}"
        direct = _median_ms(functools.partial(parse_file, data, name), repeat)
        isolated = _median_ms(functools.partial(parse_archive_file, data, name), repeat)
        print(
            f"{kind:<6} {len(data):>8} {direct:>10.1f} {isolated:>12.1f} "
            f"{isolated - direct:>8.1f}  {isolated / direct:.2f}x"
        )


def _hostile() -> None:
    from jianbao.parsing import UntrustedFileError, parse_archive_file
    from jianbao.text.tests.hostile_files import CORPUS

    print(f"\n{'hostile file':<16} {'bytes':>9} {'refused in ms':>14}  message")
    for case in CORPUS:
        data = case.make()
        started = time.perf_counter()
        try:
            parse_archive_file(data, case.name)
            message = "(accepted!)"
        except UntrustedFileError as error:
            message = str(error)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"{case.name:<16} {len(data):>9} {elapsed:>14.1f}  {message[:60]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    _setup_django()
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    _compare(args.repeat)
    _hostile()


if __name__ == "__main__":
    main()
