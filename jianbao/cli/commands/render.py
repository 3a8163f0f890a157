"""`jianbao render`: typeset one issue to DOCX, PDF, HTML and/or OFD files."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianbao.cli import CommandError, setup_django

if TYPE_CHECKING:
    from jianbao.typeset import Bulletin

NAME = "render"
HELP = "Typeset an issue (bulletin JSON or an issue in the database) to DOCX, PDF, HTML and OFD."

FORMATS = ("docx", "pdf", "html", "ofd")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Source (JSON file or database issue), formats, output directory."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--from-json", metavar="FILE", help="bulletin JSON file ('-' reads standard input)"
    )
    source.add_argument("--series", help="series of an issue in the database, e.g. 上街信息")
    parser.add_argument("--year", type=int, help="year of the issue (with --series)")
    parser.add_argument("--number", type=int, help="number of the issue (with --series)")
    parser.add_argument(
        "--format",
        default="docx,pdf,html",
        help="comma-separated: docx, pdf, html, ofd (default docx,pdf,html)",
    )
    parser.add_argument("--out", default=".", metavar="DIR", help="output directory (default .)")
    parser.add_argument("--json", action="store_true", help="print the written paths as JSON")


def _formats(value: str) -> list[str]:
    """The requested formats, checked and without repeats."""
    formats = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [name for name in formats if name not in FORMATS]
    if unknown or not formats:
        raise CommandError(
            f"unknown format {', '.join(unknown) or value!r}; use {', '.join(FORMATS)}"
        )
    return list(dict.fromkeys(formats))


def _read_json(path: str) -> Any:
    """Parse the bulletin JSON from a file or standard input."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        return json.loads(text)
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path} is not UTF-8 bulletin JSON: {error}") from error


def _from_database(series: str, year: int | None, number: int | None) -> Any:
    """The bulletin JSON of an issue in the database (the bulletins app provides it)."""
    if year is None or number is None:
        raise CommandError("--series needs --year and --number")
    setup_django()
    from django.db import DatabaseError

    from jianbao.bulletins.selectors import bulletin_json_for_issue

    try:
        data = bulletin_json_for_issue(series=series, year=year, number=number)
    except DatabaseError as error:
        raise CommandError(f"数据库不可用（{error}），请先运行 `make run` 完成初始化") from error
    if data is None:
        raise CommandError(f"no issue {series} {year} No. {number} in the database")
    return data


def _file_stem(bulletin: Bulletin) -> str:
    """「上街信息-2024-35」, safe as a file name."""
    # The series name comes from users: keep it out of other directories.
    return re.sub(r'[\\/:*?"<>|\s]+', "_", bulletin.slug).strip("._") or "bulletin"


def _output_dir(value: str) -> Path:
    """The output directory, created when missing."""
    out = Path(value)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"cannot create {out}: {error.strerror or error}") from error
    return out


def _write(bulletin: Bulletin, formats: list[str], out: Path) -> list[str]:
    """Render each format and write it next to the others; the paths written."""
    # Imported here so `jianbao --help` does not load python-docx and Typst.
    from jianbao.typeset import TypesetError, render_docx, render_html, render_ofd, render_pdf

    renderers: dict[str, Callable[[Bulletin], bytes | str]] = {
        "docx": render_docx,
        "pdf": render_pdf,
        "html": render_html,
        "ofd": render_ofd,
    }
    written: list[str] = []
    for name in formats:
        try:
            content = renderers[name](bulletin)
        except TypesetError as error:
            raise CommandError(str(error)) from error
        path = out / f"{_file_stem(bulletin)}.{name}"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        written.append(str(path))
    return written


def run(args: argparse.Namespace) -> int:
    """Read the issue, typeset it, print the paths written."""
    from jianbao.typeset import Bulletin, BulletinError

    formats = _formats(args.format)
    if args.from_json:
        data = _read_json(args.from_json)
    else:
        data = _from_database(args.series, args.year, args.number)
    try:
        bulletin = Bulletin.from_json(data)
    except BulletinError as error:
        raise CommandError(str(error)) from error
    written = _write(bulletin, formats, _output_dir(args.out))
    if args.json:
        print(json.dumps({"written": written}, ensure_ascii=False))
    else:
        print("\n".join(written))
    return 0
