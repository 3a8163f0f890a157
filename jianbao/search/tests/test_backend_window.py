"""The backend's newest-matches window on many rows, against a brute-force answer.

Enough rows that PostgreSQL narrows the window by period tags and the key histogram, including
rows newer than its statistics.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jianbao.search.backends import IndexRow, get_backend
from jianbao.search.backends.base import (
    MatchQuery,
    date_of,
    doc_id_of,
    period_tokens,
    sort_key,
)
from jianbao.search.backends.postgres import period_cover, where_clause
from jianbao.search.services import unit_token

START = date(2016, 1, 1)


def _rows(first_id: int, count: int, start: date, step_days: float) -> list[IndexRow]:
    rows = []
    for n in range(count):
        doc_id = first_id + n
        day = start + timedelta(days=int(n * step_days))
        tokens = ["甲", *(["乙"] if doc_id % 3 == 0 else []), "xqall"]
        rows.append(IndexRow(doc_id, day, tokens, [1 + doc_id % 4]))
    return rows


def _newest_ids(rows: list[IndexRow], keep: object = None) -> list[int]:
    chosen = [r for r in rows if keep is None or keep(r)]  # type: ignore[operator]
    return [r.doc_id for r in sorted(chosen, key=lambda r: r.key, reverse=True)]


@pytest.fixture
def indexed(db: None) -> list[IndexRow]:
    old = _rows(1, 6000, START, 0.6)  # 2016 – 2025
    get_backend().bulk_insert(old)
    get_backend().optimize()  # statistics now end at the last of these rows
    fresh = _rows(10_001, 300, date(2026, 3, 1), 1)
    get_backend().bulk_insert(fresh)
    return old + fresh


@pytest.mark.django_db
def test_window_holds_the_newest_matches(indexed: list[IndexRow]) -> None:
    backend = get_backend()
    query = MatchQuery(required=["甲"])
    expected = _newest_ids(indexed)
    assert backend.newest(query, limit=20) == expected[:20]
    assert backend.newest(query, limit=20, offset=1980) == expected[1980:2000]
    assert backend.count(query, cap=2000) == 2000
    counts, full = backend.unit_counts(query, window=2000)
    assert full and sum(counts.values()) == 2000


@pytest.mark.django_db
def test_window_within_a_date_range(indexed: list[IndexRow]) -> None:
    query = MatchQuery(required=["乙"], date_from=date(2019, 5, 10), date_to=date(2021, 2, 3))
    expected = _newest_ids(
        indexed, lambda r: r.doc_id % 3 == 0 and date(2019, 5, 10) <= r.date <= date(2021, 2, 3)
    )
    backend = get_backend()
    assert backend.newest(query, limit=50) == expected[:50]
    assert backend.count(query, cap=2000) == len(expected)


@pytest.mark.django_db
def test_window_within_a_long_date_range(indexed: list[IndexRow]) -> None:
    first, last = date(2018, 1, 1), date(2023, 12, 31)
    query = MatchQuery(required=["甲"], date_from=first, date_to=last)
    expected = _newest_ids(indexed, lambda r: first <= r.date <= last)
    assert len(expected) > 3000  # more than the window: it must come from the range's newest part
    backend = get_backend()
    assert backend.newest(query, limit=20, offset=1980) == expected[1980:2000]
    assert backend.count(query, cap=2000) == 2000


@pytest.mark.django_db
def test_ranked_window_is_the_newest_matches_reordered(indexed: list[IndexRow]) -> None:
    backend = get_backend()
    query = MatchQuery(required=["乙"])
    ranked = backend.ranked(query, limit=2000)
    assert sorted(ranked) == sorted(_newest_ids(indexed, lambda r: r.doc_id % 3 == 0)[:2000])


@pytest.mark.django_db
def test_window_fills_from_older_parts_when_the_newest_part_holds_few() -> None:
    # 「丁」 is in every row before 2021 and in every 50th after: sized from the archive-wide
    # share, the newest part (about half the archive) holds ~100 matches, so the window must be
    # completed from the older part below it (on PostgreSQL a second statement).
    rows = [
        IndexRow(doc_id, day, ["丁"] if day.year < 2021 or doc_id % 50 == 0 else ["戊"], [1])
        for doc_id in range(1, 10_001)
        for day in [START + timedelta(days=int(doc_id * 0.365))]
    ]
    backend = get_backend()
    backend.bulk_insert(rows)
    backend.optimize()
    expected = _newest_ids(rows, lambda r: r.tokens == ["丁"])
    query = MatchQuery(required=["丁"], words=["丁"])
    assert backend.newest(query, limit=2000) == expected[:2000]
    assert backend.count(query, cap=2000) == 2000


def test_period_tokens_cover_exactly_the_months() -> None:
    assert period_tokens(date(2023, 11, 5), date(2025, 2, 1)) == [
        "xqm202311", "xqm202312", "xqy2024", "xqm202501", "xqm202502",
    ]  # fmt: skip
    assert period_tokens(date(2024, 1, 1), date(2024, 12, 3)) == ["xqy2024"]
    assert period_tokens(date(2024, 5, 1), date(2024, 4, 1)) == []
    assert date_of(sort_key(7, date(2024, 5, 6))) == date(2024, 5, 6)


def test_period_cover_keeps_few_tags() -> None:
    # Few months stay months; more are rounded out to whole years; a long range gets no tags.
    assert period_cover(date(2025, 11, 5), date(2025, 12, 1)) == ["xqm202511", "xqm202512"]
    assert period_cover(date(2023, 11, 5), date(2025, 2, 1)) == ["xqy2023", "xqy2024", "xqy2025"]
    assert period_cover(date(2018, 3, 1), date(2025, 2, 1)) == []
    assert period_cover(date(2024, 5, 1), date(2024, 4, 1)) == []


def test_a_long_cover_is_used_when_the_matches_it_leaves_out_pay_for_its_tags() -> None:
    first, last = date(2021, 7, 15), date(2025, 12, 31)
    months = [f"xqm2021{m:02d}" for m in range(7, 13)]
    years = [f"xqy{y}" for y in range(2022, 2026)]
    assert period_cover(first, last, leaves_out=5000) == months + years
    assert period_cover(first, last, leaves_out=1300) == ["xqy2021", *years]
    assert period_cover(first, last, leaves_out=1000) == []
    assert period_cover(first, last) == []


@pytest.mark.django_db
def test_postgres_ranks_by_the_head_inside_the_window_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the head vector is PostgreSQL's relevance; SQLite ranks whole documents")
    filler = [f"词{n}" for n in range(70)]
    rows = [
        IndexRow(doc_id, START + timedelta(days=doc_id), ["丙", *filler] if doc_id % 5 == 0
                 else [*filler, "丙"], [1])
        for doc_id in range(1, 2501)
    ]  # fmt: skip
    backend = get_backend()
    backend.bulk_insert(rows)
    backend.optimize()
    window = _newest_ids(rows)[:2000]
    leading = [doc_id for doc_id in window if doc_id % 5 == 0]
    ranked = backend.ranked(MatchQuery(required=["丙"], words=["丙"]), limit=2000)
    # Heads holding the word first (ties newest first), then the rest; nothing older than the
    # window comes in, though older heads hold the word too.
    assert ranked == leading + [doc_id for doc_id in window if doc_id % 5]


def test_postgres_key_bounds_stay_indexable_for_a_long_date_filter() -> None:
    # Without tags to narrow it, a filtered range needs the key index: `key + 0` there made
    # 「发展」 in a sparse old range visit every match in the archive (1.6 s at 1 M entries).
    newest = date(2025, 12, 31)
    short = MatchQuery(required=["发展"], date_from=date(2025, 11, 1), date_to=newest)
    long = MatchQuery(required=["发展"], date_from=date(2005, 1, 1), date_to=date(2016, 1, 10))
    tagged, tagged_params = where_clause(short, newest=newest)
    untagged, untagged_params = where_clause(long, newest=newest)
    assert "xqm202511" in tagged_params[0] and "key + 0 >=" in tagged
    assert "xq" not in untagged_params[0] and "key >=" in untagged and "key + 0" not in untagged


def _unit_rows(count: int) -> list[IndexRow]:
    """Every row holds 丙 and its unit's tag; every 40th also 丁."""
    rows = []
    for doc_id in range(1, count + 1):
        unit = 1 + doc_id % 4
        words = ["丙", *(["丁"] if doc_id % 40 == 0 else [])]
        day = START + timedelta(days=doc_id)
        rows.append(IndexRow(doc_id, day, [*words, unit_token(unit)], [unit]))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["丁", "丙"])
def test_a_unit_filter_is_answered_from_the_broader_window_only_when_that_holds_all(
    word: str,
) -> None:
    rows = _unit_rows(3000)  # 丙: more matches than the window; 丁: 75
    get_backend().bulk_insert(rows)
    get_backend().optimize()
    broad = MatchQuery(required=[word], words=[word])
    narrow = MatchQuery(required=[word, unit_token(2)], words=[word])
    backend = get_backend()
    backend.window(broad)
    with CaptureQueriesContext(connection) as queries:
        backend.narrow_from(narrow, broader=broad, unit_id=2)
        narrowed = backend.window(narrow)
    assert (len(queries) == 0) == (word == "丁")
    assert narrowed == get_backend().window(narrow)  # what reading it would have given
    expected = _newest_ids(rows, lambda r: word in r.tokens and r.unit_ids == [2])
    assert [doc_id_of(row.key) for row in narrowed] == expected[:2000]


@pytest.mark.django_db
def test_postgres_planner_settings_do_not_outlive_a_search_inside_a_transaction() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the planner switches are PostgreSQL's")

    def current() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'),"
                " current_setting('jit'), current_setting('work_mem')"
            )
            return list(cursor.fetchone())

    before = current()
    get_backend().bulk_insert(_unit_rows(50))
    with transaction.atomic():  # the test's own transaction is outside this one
        get_backend().window(MatchQuery(required=["丙"], words=["丙"]))
        assert current() == before
