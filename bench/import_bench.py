"""Archive import benchmark: 1,000 generated issues stored into a fresh SQLite database.

Each issue goes the whole way of `jianbao import`: read, SHA-256, store the original, parse,
resolve the units, write the archive issue with its entries, credits and adoptions, index the
entries for search. A second pass over the same files measures the duplicate check (all
skipped). A few DOCX and PDF issues from our own typesetter show the cost of those formats.

Run: .venv/bin/python -m bench.import_bench [--issues 1000] [--docx 50] [--pdf 20] [--seed 35]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.parse_bench import SERIES, UNITS, _cpu_model, _entries, _sentences, _wrap

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "jianbao" / "samples" / "shangjie-xinxi-2024-35.json"
ORGAN = "中共上街区委办公室"
FOOTER = ["本期送：区县处级领导", "发：峡窝镇、各街道办事处、区直各单位负责同志",
          "责任编辑：王思宇 柴亚文"]  # fmt: skip


def _setup_django(data_dir: Path) -> None:
    """A private data folder and SQLite database, migrated, before Django reads its settings."""
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["JIANBAO_DATA_DIR"] = str(data_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "jianbao.config.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _reference_data() -> None:
    """The units every generated source names, and the series the mastheads print."""
    from jianbao.accounts.services import do_create_unit
    from jianbao.bulletins.models import Series
    from jianbao.demo.units import DEMO_UNITS

    for name, short, kind, aliases, _approval in DEMO_UNITS:
        do_create_unit(name=name, short_name=short, kind=kind, aliases=aliases)
    for name in UNITS:
        if not any(name == row[0] for row in DEMO_UNITS):
            do_create_unit(name=name)
    Series.objects.bulk_create(Series(title=title, organ=ORGAN) for title in SERIES)


def _text_issue(index: int, rng: random.Random, sentences: list[str]) -> str:
    """An issue with a unique series, year and number, so that every one is imported."""
    series, rank = SERIES[index % len(SERIES)], index // len(SERIES)
    year, number = 2005 + rank // 100, rank % 100 + 1
    date = f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    paragraphs = [series, f"第{number}期", ORGAN, date, *_entries(rng, sentences), *FOOTER]
    if rng.random() < 0.25:
        return _wrap(paragraphs, rng)
    return "\n\n".join(paragraphs)


def write_text_issues(folder: Path, count: int, seed: int) -> int:
    """`count` text files in UTF-8, GB18030 and UTF-16; returns their characters."""
    rng = random.Random(seed)
    sentences = _sentences()
    folder.mkdir(parents=True)
    chars = 0
    for index in range(count):
        text = _text_issue(index, rng, sentences)
        encoding = rng.choices(["utf-8", "gb18030", "utf-16"], weights=[6, 3, 1])[0]
        (folder / f"{index:04d}.txt").write_bytes(text.encode(encoding, errors="replace"))
        chars += len(text)
    return chars


def write_typeset_issues(folder: Path, fmt: str, count: int) -> None:
    """The reference issue under other numbers (year 2023), as DOCX or PDF by our typesetter."""
    import json

    from jianbao.typeset import Bulletin, render_docx, render_pdf

    render = render_docx if fmt == "docx" else render_pdf
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    folder.mkdir(parents=True)
    for number in range(1, count + 1):
        issue = data | {"year": 2023, "number": number + (0 if fmt == "docx" else 500)}
        (folder / f"{number:03d}.{fmt}").write_bytes(render(Bulletin.from_json(issue)))


SPENT: dict[str, float] = {"parse": 0.0, "index": 0.0}


def _instrument() -> None:
    """Time the parser and the search indexing inside the import (and load jieba first)."""
    from jianbao.archive.services import confirm, staging
    from jianbao.text.search_query import index_tokens

    index_tokens("预热分词词典")  # jieba loads its dictionary once, ~1 s: not an import cost

    def timed(name: str, work: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return work(*args, **kwargs)
            finally:
                SPENT[name] += time.perf_counter() - start

        return wrapper

    staging._parse = timed("parse", staging._parse)
    confirm.index_issue = timed("index", confirm.index_issue)


def _timed_import(folder: Path) -> tuple[float, Any]:
    from jianbao.archive.services import import_paths

    SPENT.update(parse=0.0, index=0.0)
    start = time.perf_counter()
    summary = import_paths(paths=[folder], actor=None)
    return time.perf_counter() - start, summary


def _row(label: str, files: int, seconds: float, summary: Any) -> str:
    counts = (len(summary.imported), len(summary.skipped), len(summary.needs_review),
              len(summary.failed))  # fmt: skip
    ms = {name: spent / files * 1000 for name, spent in SPENT.items()}
    per = seconds / files * 1000
    rest = per - ms["parse"] - ms["index"]
    return (f"| {label} | {files:,} | {seconds:.1f} | **{per:.1f}** | {ms['parse']:.1f} | "
            f"{ms['index']:.1f} | {rest:.1f} | {files / seconds:.1f} | "
            f"{counts[0]} / {counts[1]} / {counts[2]} / {counts[3]} |")  # fmt: skip


def main() -> None:
    """Generate, import, import again, print a Markdown table."""
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--issues", type=int, default=1000)
    options.add_argument("--docx", type=int, default=50)
    options.add_argument("--pdf", type=int, default=20)
    options.add_argument("--seed", type=int, default=35)
    args = options.parse_args()
    with tempfile.TemporaryDirectory(prefix="jianbao-import-bench-") as tmp:
        base = Path(tmp)
        _setup_django(base / "data")
        _reference_data()
        chars = write_text_issues(base / "text", args.issues, args.seed)
        write_typeset_issues(base / "docx", "docx", args.docx)
        write_typeset_issues(base / "pdf", "pdf", args.pdf)
        rows = ["| files | count | seconds | ms per issue | parse | search index | rest | "
                "issues/s | imported / skipped / review / failed |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
        _instrument()
        seconds, summary = _timed_import(base / "text")
        rows.append(_row("text (TXT), first import", args.issues, seconds, summary))
        for fmt, count in (("docx", args.docx), ("pdf", args.pdf)):
            if count:
                took, result = _timed_import(base / fmt)
                rows.append(_row(f"{fmt.upper()} (our typesetter), first import", count, took,
                                 result))  # fmt: skip
        again, repeat = _timed_import(base / "text")
        rows.append(_row("text again (all duplicates)", args.issues, again, repeat))
        from jianbao.bulletins.models import Entry, Issue

        print(
            f"machine: {os.cpu_count()} cores, {_cpu_model()}, Python {platform.python_version()}"
        )
        print(f"load average at the end: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
        print(f"text issues: {args.issues:,}, {chars:,} characters (avg {chars // args.issues:,})")
        print(f"database: {Issue.objects.count():,} issues, {Entry.objects.count():,} entries")
        for reason in {r for _, r in summary.needs_review + summary.failed}:
            print(f"  not imported: {reason}", file=sys.stderr)
        print("\n".join(rows))


if __name__ == "__main__":
    main()
