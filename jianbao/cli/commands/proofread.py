"""`jianbao proofread FILE|-`: check a text for likely errors (校对) and list the findings."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jianbao.cli import CommandError

NAME = "proofread"
HELP = "Proofread Chinese text (校对): traditional characters, wrong characters, terms, punctuation"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE or '-', --json and --disable."""
    parser.add_argument("file", metavar="FILE", help="UTF-8 text file, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    parser.add_argument(
        "--disable", default="", metavar="RULE,...", help="comma-separated rules to switch off"
    )


def _read(name: str) -> str:
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as error:
        raise CommandError(f"cannot read {name}: {error.strerror or error}") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommandError(f"{name} is not UTF-8 text (byte {error.start})") from error


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def run(args: argparse.Namespace) -> int:
    """Print the findings; exit 0 whether or not there are findings."""
    # Imported here so `jianbao --help` does not load jieba, OpenCC or the language model.
    from jianbao.text.proofread import proofread

    disabled = {r.strip() for r in args.disable.split(",") if r.strip()}
    text = _read(args.file)
    try:
        findings = proofread(text, disabled_rules=disabled)
    except ValueError as error:  # an unknown rule name
        raise CommandError(str(error)) from error
    if args.json:
        json.dump([f.to_dict() for f in findings], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    for f in findings:
        line, col = _line_col(text, f.start)
        fix = "（删除）" if f.suggestion == "" else (f.suggestion or "？")
        print(f"{line}:{col}\t{f.rule}\t{f.severity}\t{f.text} → {fix}\t{f.explanation}")
    print(f"{len(findings)} 处校对提示", file=sys.stderr)
    return 0
