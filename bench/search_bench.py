"""Full-text search latency on a generated archive, against a plain substring scan.

Usage: .venv/bin/python -m bench.search_bench [--entries 1000000] [--db sqlite|postgres|both]
       [--scan-queries 20] [--out /tmp/jianbao_search_bench]

Builds a private database per engine (a SQLite file under --out, and the PostgreSQL database
`jianbao_search_bench`, never the development database), fills it with bulletin-sized entries cut
from the public prose in ../shared/data/prose/ (units and dates spread over ten years), builds the
search index with bulk inserts, then times `jianbao.search.selectors.search` — the whole query:
parsing, segmentation, ranking, count, unit facets and snippets — for 100 fixed queries without
and with filters, and a LIKE '%q%' scan over the same table in the same run.

Entries are random mixes of real sentences. Each distinct sentence is segmented once and its
tokens reused: jieba cuts at punctuation, so the tokens of an entry are exactly the tokens of its
sentences. The build time therefore understates what re-segmenting a real 1 M-entry archive costs;
the report gives the measured segmentation rate so that cost can be computed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROSE = Path(os.environ.get("JIANBAO_BENCH_PROSE", ROOT.parent / "shared" / "data" / "prose"))
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "jianbao_search_bench"
SEED = 20240617
BATCH = 5_000
START = date(2016, 1, 1)
DAYS = 3652
FREQUENT = [
    "发展",
    "工作",
    "建设",
    "推进",
    "加强",
    "经济",
    "企业",
    "服务",
    "政策",
    "管理",
    "社会",
    "国家",
    "部门",
    "实施",
    "完善",
    "提高",
    "重点",
    "安全",
    "创新",
    "保障",
]
COUNTIES = [
    "上街",
    "中原",
    "二七",
    "金水",
    "惠济",
    "管城",
    "巩义",
    "荥阳",
    "新郑",
    "登封",
    "新密",
    "中牟",
    "开封",
    "洛阳",
    "平顶山",
    "安阳",
    "鹤壁",
    "新乡",
    "焦作",
    "濮阳",
]
OFFICES = [
    "区委宣传部",
    "区委组织部",
    "区司法局",
    "区法院",
    "区检察院",
    "区妇联",
    "区总工会",
    "团区委",
    "区税务局",
    "区科技局",
    "区公安局",
    "区人社局",
    "区财政局",
    "区教育局",
    "区卫健委",
    "区发改委",
    "区应急局",
    "区住建局",
    "区农业农村局",
    "区市场监管局",
]


# ---------------------------------------------------------------- corpus


def sentences() -> list[str]:
    """Every sentence of the prose corpus (ends at 。！？；), 12–160 characters."""
    found: list[str] = []
    for path in sorted(PROSE.rglob("*.txt")):
        text = re.sub(r"\s+", "", path.read_text(encoding="utf-8"))
        found += [s for s in re.findall(r"[^。！？；]+[。！？；]", text) if 12 <= len(s) <= 160]
    return found


@dataclass
class Corpus:
    sentences: list[str]
    tokens: list[list[str]]
    seconds: float
    chars: int


def segment_corpus() -> Corpus:
    """Segment each distinct sentence once with the indexing tokenizer (timed)."""
    from jianbao.text.search_query import index_tokens

    texts = sentences()
    started = time.perf_counter()
    tokens = [[sys.intern(t) for t in index_tokens(s)] for s in texts]
    return Corpus(texts, tokens, time.perf_counter() - started, sum(map(len, texts)))


def unit_names() -> list[str]:
    """400 units: 20 offices in each of 20 districts."""
    return [f"{county}{office}" for county in COUNTIES for office in OFFICES]


# ---------------------------------------------------------------- build


def _entry(i: int, n: int, corpus: Corpus, rng: random.Random) -> tuple[dict[str, Any], list[int]]:
    count = rng.randint(5, 12)
    picks = [rng.randrange(len(corpus.sentences)) for _ in range(count)]
    first = corpus.sentences[picks[0]]
    title = first[:-1][:40]
    body_picks = picks[1:]
    body = "".join(corpus.sentences[p] for p in body_picks)
    day = START + timedelta(days=i * DAYS // n)
    kind = "brief" if rng.random() < 0.2 else "item"
    roll = rng.random()
    doc_type = "archive_entry" if roll < 0.7 else "entry" if roll < 0.9 else "submission"
    fields = {"title": title, "body": body, "date": day, "kind": kind, "doc_type": doc_type}
    return fields, picks


def _tags(services: Any, fields: dict[str, Any], unit_id: int) -> tuple[list[str], list[str]]:
    if fields["doc_type"] == "submission":
        visibility, state = ["office", f"unit:{unit_id}"], "submitted"
    else:
        visibility, state = ["office", "published"], "published"
    tokens = services.tag_tokens(
        doc_type=fields["doc_type"], unit_ids=[unit_id], series="上街信息", state=state,
        kind=fields["kind"], visibility=visibility,
    )  # fmt: skip
    return tokens, visibility


def build(n: int, corpus: Corpus, units: dict[str, int]) -> dict[str, float]:
    """Insert n documents and their index rows in batches; returns timings."""
    from django.db import transaction

    from jianbao.search import services
    from jianbao.search.backends import IndexRow, get_backend
    from jianbao.search.models import SearchDocument
    from jianbao.text.search_query import index_tokens

    rng = random.Random(SEED)
    backend = get_backend()
    names = list(units)
    unit_tokens = {name: index_tokens(name) for name in names}
    prepare = insert = 0.0
    for start in range(0, n, BATCH):
        t0 = time.perf_counter()
        docs, rows = [], []
        for i in range(start, min(n, start + BATCH)):
            fields, picks = _entry(i, n, corpus, rng)
            name = names[rng.randrange(len(names))]
            tags, visibility = _tags(services, fields, units[name])
            tokens = [t for p in picks for t in corpus.tokens[p]] + unit_tokens[name] + tags
            docs.append(SearchDocument(
                id=i + 1, object_id=i + 1, unit_ids=[units[name]], unit_names=name,
                series="上街信息", year=fields["date"].year, number=1 + i % 100,
                state="published" if "published" in visibility else "submitted",
                visibility=" ".join(visibility), tokens=" ".join(tokens), **fields,
            ))  # fmt: skip
            rows.append(IndexRow(i + 1, fields["date"], tokens, [units[name]]))
        t1 = time.perf_counter()
        with transaction.atomic():
            SearchDocument.objects.bulk_create(docs, batch_size=1000)
            backend.bulk_insert(rows)
        t2 = time.perf_counter()
        prepare, insert = prepare + t1 - t0, insert + t2 - t1
        print(f"\r  built {min(n, start + BATCH):>9,} / {n:,}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return {"prepare_s": prepare, "insert_s": insert}


def _pg_drop_gin() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS search_tsv_gin")


def _pg_vacuum_documents() -> None:
    """What autovacuum does to a table after a million inserts (the test machines' server runs
    without it): without hint bits and a visibility map the scan rewrites every page it reads."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) search_searchdocument")


def _pg_create_gin() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("CREATE INDEX search_tsv_gin ON search_tsv USING gin (tsv)")


# ---------------------------------------------------------------- queries


def fixed_queries(corpus: Corpus) -> list[str]:
    """100 queries: 20 frequent words, 50 single words, 15 two-word, 10 phrases, 5 exclusions."""
    rng = random.Random(SEED + 1)
    counts: dict[str, int] = {}
    for tokens in corpus.tokens:
        for token in set(tokens):
            if len(token) >= 2 and not token.isascii():
                counts[token] = counts.get(token, 0) + 1
    words = sorted(w for w, c in counts.items() if 20 <= c <= 3000 and w not in FREQUENT)
    rng.shuffle(words)
    queries = list(FREQUENT)
    queries += words[:50]
    queries += [f"{a} {b}" for a, b in zip(words[50:65], FREQUENT * 2, strict=False)]
    runs = [m for s in corpus.sentences for m in re.findall(r"[\u4e00-\u9fff]{6,}", s)]
    phrases = [run[1:7] for run in rng.sample(runs, 10)]
    queries += [f"“{p}”" for p in phrases]
    queries += [f"{w} -{x}" for w, x in zip(FREQUENT[:5], words[65:70], strict=True)]
    return queries


def filters_for(i: int, units: dict[str, int]) -> Any:
    from jianbao.search.selectors import SearchFilters

    ids = list(units.values())
    if i % 3 == 0:
        return SearchFilters(unit_id=ids[(i * 7) % len(ids)])
    if i % 3 == 1:
        year = 2016 + i % 10
        return SearchFilters(date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    return SearchFilters(kind="brief", doc_type="archive_entry")


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return {"p50_ms": statistics.median(ordered), "p95_ms": p95, "max_ms": ordered[-1]}


def time_search(queries: list[str], units: dict[str, int], *, filtered: bool) -> dict[str, Any]:
    from jianbao.accounts.models import User
    from jianbao.search.selectors import search

    user = User.objects.get(username="bench_editor")
    samples, frequent, totals = [], [], []
    for i, query in enumerate(queries):
        filters = filters_for(i, units) if filtered else None
        started = time.perf_counter()
        results = search(user, query, filters)
        elapsed = (time.perf_counter() - started) * 1000
        samples.append(elapsed)
        totals.append(results.total)
        if i < len(FREQUENT):
            frequent.append(elapsed)
    return {**_percentiles(samples), "frequent": _percentiles(frequent), "totals": totals}


def time_scan(queries: list[str], step: int) -> dict[str, Any]:
    """The plain way: LIKE '%q%' on title and body, count plus the newest 20."""
    from django.db.models import Q

    from jianbao.search.models import SearchDocument

    samples = []
    for query in queries[::step]:
        word = query.strip("“”").split()[0].lstrip("-")
        qs = SearchDocument.objects.filter(Q(title__contains=word) | Q(body__contains=word))
        started = time.perf_counter()
        qs.count()
        list(qs.order_by("-date", "-id").values_list("id", flat=True)[:20])
        samples.append((time.perf_counter() - started) * 1000)
    return {**_percentiles(samples), "queries": len(samples)}


# ---------------------------------------------------------------- run one engine


def _sizes(vendor: str) -> dict[str, int]:
    from django.db import connection

    from jianbao.search.backends import get_backend

    sizes = {"fulltext_bytes": get_backend().size_bytes()}
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_search%'")
        else:
            cursor.execute("SELECT pg_total_relation_size('search_searchdocument')")
        sizes["documents_bytes"] = int(cursor.fetchone()[0])
        if vendor == "sqlite":
            cursor.execute("SELECT sum(length(CAST(tokens AS BLOB))) FROM search_searchdocument")
        else:
            cursor.execute("SELECT sum(octet_length(tokens)) FROM search_searchdocument")
        sizes["stored_tokens_bytes"] = int(cursor.fetchone()[0] or 0)
    return sizes


def _setup(units: list[str]) -> dict[str, int]:
    from django.core.management import call_command

    from jianbao.accounts.models import Role, Unit
    from jianbao.accounts.services import do_create_user

    call_command("migrate", verbosity=0, interactive=False)
    Unit.objects.bulk_create([Unit(name=name, order=i) for i, name in enumerate(units)])
    do_create_user(
        username="bench_editor", password="Bench-editor-pw1", display_name="编辑",
        unit=None, roles=[Role.EDITOR],
    )  # fmt: skip
    return dict(Unit.objects.values_list("name", "pk"))


def _frequent_shares(n: int) -> list[float]:
    """The share of all entries each frequent word occurs in (counted without a cap)."""
    from jianbao.search.backends import MatchQuery, get_backend
    from jianbao.text.search_query import Term

    backend = get_backend()
    nodes = [Term(word).node for word in FREQUENT]
    return [backend.count(MatchQuery(required=[node]), cap=n) / n for node in nodes if node]


def _preload() -> None:
    """Import everything a search touches now, so edits to the tree during a long build
    cannot break the measurement (the URLconf pulls in every app's API)."""
    from django.urls import reverse

    import jianbao.search.selectors  # noqa: F401

    reverse("submissions:detail", args=[1])


def _build_all(n: int, corpus: Corpus, units: dict[str, int], vendor: str) -> dict[str, float]:
    from jianbao.search.backends import get_backend

    t1 = time.perf_counter()
    if vendor == "postgresql":
        _pg_drop_gin()
    timings = build(n, corpus, units)
    t2 = time.perf_counter()
    if vendor == "postgresql":
        _pg_create_gin()
    get_backend().optimize()
    if vendor == "postgresql":
        _pg_vacuum_documents()
    return {**timings, "build_s": t2 - t1, "index_s": time.perf_counter() - t2}


def run_engine(n: int, scan_queries: int, *, measure_only: bool) -> dict[str, Any]:
    """Build and measure in the database named by DATABASE_URL (runs in a child process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianbao.config.settings")
    import django

    django.setup()
    _preload()
    from django.db import connection

    from jianbao.accounts.models import Unit

    vendor = connection.vendor
    existing = dict(Unit.objects.values_list("name", "pk")) if measure_only else None
    units = existing or _setup(unit_names())
    t0 = time.perf_counter()
    corpus = segment_corpus()
    t1 = time.perf_counter()
    timings = {} if measure_only else _build_all(n, corpus, units, vendor)
    queries = fixed_queries(corpus)
    # The corpus (108 k token lists) is the benchmark's, not the server's: left to the cyclic
    # garbage collector, its full passes stall random searches by ~100 ms.
    del corpus.tokens[:]
    gc.collect()
    gc.freeze()
    time_search(queries, units, filtered=False)  # warm the cache and the tokenizer
    plain = time_search(queries, units, filtered=False)
    filtered = time_search(queries, units, filtered=True)
    scan = time_scan(queries, max(1, len(queries) // scan_queries))
    frequent_share = _frequent_shares(n)
    return {
        "vendor": vendor, "entries": n, "sentences": len(corpus.sentences),
        "segment_s": t1 - t0, "segment_chars_per_s": corpus.chars / corpus.seconds,
        **timings, "sizes": _sizes(vendor), "load_avg": os.getloadavg(),
        "plain": plain, "filtered": filtered, "scan": scan,
        "frequent_min_share": min(frequent_share), "queries": queries,
        "versions": _versions(vendor),
    }  # fmt: skip


def _versions(vendor: str) -> dict[str, str]:
    import sqlite3

    from django.db import connection

    found = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            found["postgresql"] = cursor.fetchone()[0]
    return found


# ---------------------------------------------------------------- parent


def _database_url(engine: str, out: Path) -> str:
    if engine == "sqlite":
        return f"sqlite:///{out / 'search_bench.sqlite3'}"
    return f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"


def _prepare_database(engine: str, out: Path) -> None:
    """An empty database: the SQLite file removed, the PostgreSQL database recreated."""
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{out / 'search_bench.sqlite3'}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
        conn.execute(f"CREATE DATABASE {PG_NAME}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--scan-queries", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("/tmp/jianbao_search_bench"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--measure-only", action="store_true", help="reuse the databases built by an earlier run"
    )
    parser.add_argument("--report", nargs="+", type=Path, help="print tables from result files")
    args = parser.parse_args()
    if args.report:
        print(report([json.loads(path.read_text()) for path in args.report]))
        return 0
    if args.child:
        result = run_engine(args.entries, args.scan_queries, measure_only=args.measure_only)
        print(json.dumps(result, default=str))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    engines = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for engine in engines:
        url = _database_url(engine, args.out)
        if not args.measure_only:
            _prepare_database(engine, args.out)
        env = {**os.environ, "DATABASE_URL": url}
        env["JIANBAO_DATA_DIR"] = str(args.out)
        command = [
            sys.executable,
            "-m",
            "bench.search_bench",
            "--child",
            "--entries",
            str(args.entries),
            "--scan-queries",
            str(args.scan_queries),
            *(["--measure-only"] if args.measure_only else []),
        ]
        done = subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE)
        target = args.out / f"result-{engine}-{args.entries}.json"
        target.write_bytes(done.stdout)
        print(summary(json.loads(done.stdout)))
    return 0


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def _row(name: str, r: dict[str, Any]) -> str:
    plain, filtered, scan = r["plain"], r["filtered"], r["scan"]
    return (
        f"| {name} | {plain['p50_ms']:.1f} / {plain['p95_ms']:.1f} | "
        f"{plain['frequent']['p50_ms']:.1f} / {plain['frequent']['p95_ms']:.1f} | "
        f"{filtered['p50_ms']:.1f} / {filtered['p95_ms']:.1f} | "
        f"{scan['p50_ms']:,.0f} / {scan['p95_ms']:,.0f} | "
        f"{scan['p50_ms'] / plain['p50_ms']:,.0f}× / {scan['p95_ms'] / plain['p95_ms']:,.0f}× |"
    )


def report(results: list[dict[str, Any]]) -> str:
    """The figures as Markdown table rows (the prose around them is written by hand)."""
    lines = [
        "| engine | search p50 / p95 ms | frequent words p50 / p95 | with filters p50 / p95 | "
        "LIKE scan p50 / p95 ms | scan ÷ search (p50 / p95) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [_row(r["vendor"], r) for r in results]
    lines += ["", "| engine | build (insert) | index / optimise | full-text size | documents table "
              "(incl. stored tokens) |", "|---|---:|---:|---:|---:|"]  # fmt: skip
    for r in (r for r in results if "build_s" in r):
        sizes = r["sizes"]
        lines.append(
            f"| {r['vendor']} | {r['build_s']:,.0f} s ({r['insert_s']:,.0f} s in the database) | "
            f"{r['index_s']:,.0f} s | {_mb(sizes['fulltext_bytes'])} | "
            f"{_mb(sizes['documents_bytes'])} ({_mb(sizes['stored_tokens_bytes'])}) |"
        )
    return "\n".join(lines)


def summary(r: dict[str, Any]) -> str:
    """A few lines for the terminal (docs/benchmarks.md is written from the JSON)."""
    plain, filtered, scan = r["plain"], r["filtered"], r["scan"]
    return (
        f"{r['vendor']} {r['entries']:,} entries: search p50 {plain['p50_ms']:.1f} ms "
        f"p95 {plain['p95_ms']:.1f} ms; filtered p50 {filtered['p50_ms']:.1f} p95 "
        f"{filtered['p95_ms']:.1f}; scan p50 {scan['p50_ms']:.0f} p95 {scan['p95_ms']:.0f} ms; "
        f"build {r.get('build_s', 0):.0f}+{r.get('index_s', 0):.0f} s; sizes {r['sizes']}"
    )


if __name__ == "__main__":
    sys.exit(main())
