"""`jianbao parse FILE... [--json]`: archive files (text, DOCX, PDF) to the bulletin JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from jianbao.cli import CommandError

NAME = "parse"
HELP = "Parse bulletin files (text, DOCX, PDF) into the bulletin JSON; touches no database."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE... and --json."""
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="a bulletin file (.txt, .docx, .pdf)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON (a list for several files)")


def _summary(name: str, result: dict[str, Any]) -> str:
    """A few lines an editor can read at a glance."""
    kinds = [entry["kind"] for entry in result["entries"]]
    series, year, number = result["series"] or "?", result["year"] or "?", result["number"] or "?"
    head = f"{name}: 《{series}》{year}年第{number}期 {result['date'] or '日期不详'}"
    head = f"{head} {result['organ'] or ''}".rstrip()
    lines = [
        head,
        f"  信息 {kinds.count('item')} 条，简讯 {kinds.count('brief')} 条，"
        f"其他 {kinds.count('note')} 条；版面噪声 {len(result['noise'])} 处",
    ]
    lines.extend(f"  ! {warning['field']}: {warning['message']}" for warning in result["warnings"])
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Parse every file; print the good ones; fail naming the bad ones."""
    # Imported here: pdfplumber and python-docx take ~0.4 s to load, and every `jianbao`
    # command (even --help) imports this module to learn its NAME.
    from jianbao.text.extract import ExtractError, parse_file

    results: list[dict[str, Any]] = []
    failures: list[str] = []
    for path in args.files:
        try:
            if not Path(path).is_file():
                raise ExtractError("文件不存在")
            result = parse_file(path, Path(path).name)
        except ExtractError as error:
            failures.append(f"{path}: {' '.join(str(error).split())}")
            continue
        results.append(result)
        if not args.json:
            print(_summary(path, result))
    if args.json and results:
        payload: Any = results[0] if len(args.files) == 1 else results
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    if failures:
        raise CommandError("; ".join(failures))
    return 0
