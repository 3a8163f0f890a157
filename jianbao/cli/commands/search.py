"""`jianbao search`: full-text search from the command line.

Without --as the command searches as the bulletin office (every submission that left its unit
and every printed or archived entry): whoever runs it can read the database anyway. With
--as USERNAME it sees exactly what that user sees on the page.
"""

from __future__ import annotations

import argparse
import datetime
import json
from typing import Any

from jianbao.cli import CommandError, setup_django

NAME = "search"
HELP = "Search submissions, printed entries and the archive (Chinese full text)."


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", default="", help="words, “phrases”, -exclusions")
    parser.add_argument("--unit", help="unit name or alias")
    parser.add_argument("--series", help="series title, e.g. 上街信息")
    parser.add_argument("--kind", choices=["item", "brief", "special", "note"])
    parser.add_argument("--state", help="submission or issue state, e.g. submitted, published")
    parser.add_argument("--type", dest="doc_type", choices=["submission", "entry", "archive_entry"])
    parser.add_argument("--from", dest="date_from", type=_date, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", type=_date, help="YYYY-MM-DD")
    parser.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--as", dest="username", help="search as this user (default: the office)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _user(username: str | None) -> Any:
    from jianbao.accounts.models import User

    if username is None:
        return User(username="cli", is_editor=True, is_active=True)
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"unknown user {username!r}")
    return user


def _unit_id(name: str | None) -> int | None:
    from jianbao.accounts.selectors import resolve_unit

    if not name:
        return None
    unit = resolve_unit(name)
    if unit is None:
        raise CommandError(f"unknown unit {name!r}")
    return unit.pk


def _bracketed(text: str, spans: list[tuple[int, int]]) -> str:
    from jianbao.text.search_query import marked_pieces

    return "".join(
        f"【{piece}】" if match else piece for piece, match in marked_pieces(text, spans)
    )


def _print_text(results: Any) -> None:
    more = "+" if results.total_capped else ""
    print(f"共 {results.total}{more} 条，第 {results.page} 页，{results.took_ms:.0f} 毫秒")
    for hit in results.hits:
        when = hit.date.isoformat() if hit.date else "—"
        print(f"\n{when}  {_bracketed(hit.title, hit.title_spans)}")
        print(f"    {hit.unit_names or '—'} · {hit.source_label} · {hit.kind_label}")
        print(f"    {_bracketed(hit.snippet, hit.snippet_spans)}")
    if results.facets:
        print("\n按单位：" + "，".join(f"{f.name} {f.count}" for f in results.facets[:10]))


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.db.utils import OperationalError, ProgrammingError

    from jianbao.bounds import MAX_QUERY_CHARS
    from jianbao.search.api import results_out
    from jianbao.search.selectors import SearchFilters, may_search, search

    try:
        user = _user(args.username)
        filters = SearchFilters(
            unit_id=_unit_id(args.unit), series=args.series, kind=args.kind,
            state=args.state, doc_type=args.doc_type, date_from=args.date_from,
            date_to=args.date_to,
        )  # fmt: skip
        if len(args.query) > MAX_QUERY_CHARS:
            raise CommandError(f"检索词超过 {MAX_QUERY_CHARS} 个字符，请缩短")
        if not args.query.strip() and not filters.any:
            raise CommandError("give a query or at least one filter")
        if not may_search(user):
            raise CommandError(f"user {user.username!r} may not search anything")
        results = search(user, args.query, filters, args.sort, args.page)
    except (OperationalError, ProgrammingError) as error:
        raise CommandError(
            f"cannot read the database (run `jianbao demo` first): {error}"
        ) from error
    if args.json:
        print(json.dumps(results_out(results).model_dump(mode="json"), ensure_ascii=False))
    else:
        _print_text(results)
    return 0
