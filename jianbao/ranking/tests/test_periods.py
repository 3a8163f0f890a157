"""Periods: boundaries, Chinese names and the text forms the CLI and URLs use."""

from __future__ import annotations

import datetime

import pytest

from jianbao.ranking import Period, PeriodError, parse_period

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2024-06", D(2024, 6, 1), D(2024, 6, 30), "2024年6月"),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), "2024年2月"),  # leap year
        ("2023-02", D(2023, 2, 1), D(2023, 2, 28), "2023年2月"),
        ("2024-Q2", D(2024, 4, 1), D(2024, 6, 30), "2024年第二季度"),
        ("2024q4", D(2024, 10, 1), D(2024, 12, 31), "2024年第四季度"),
        ("2024", D(2024, 1, 1), D(2024, 12, 31), "2024年"),
        ("2024-06-03..2024-06-20", D(2024, 6, 3), D(2024, 6, 20), "2024年6月3日至2024年6月20日"),
    ],
)
def test_parse_gives_inclusive_boundaries_and_names(
    text: str, start: datetime.date, end: datetime.date, label: str
) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert parse_period(period.key) == period


def test_a_range_covering_a_whole_month_quarter_or_year_is_named_as_such() -> None:
    assert parse_period("2024-07-01..2024-07-31").kind == "month"
    assert parse_period("2024-07-01..2024-09-30").label == "2024年第三季度"
    assert parse_period("2024-01-01..2024-12-31").kind == "year"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "月份"),
        ("2024-06-30..2024-06-01", "结束日期"),
        ("2024-02-30..2024-03-01", "无效"),
        ("2020-01-01..2024-01-01", "三年"),
        ("六月", "无法识别"),
    ],
)
def test_bad_periods_are_refused_in_chinese(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text)


def test_months_are_clipped_to_the_period() -> None:
    months = parse_period("2024-05-20..2024-07-10").months()
    assert [(m.start, m.end) for m in months] == [
        (D(2024, 5, 20), D(2024, 5, 31)),
        (D(2024, 6, 1), D(2024, 6, 30)),
        (D(2024, 7, 1), D(2024, 7, 10)),
    ]
    assert len(Period.year(2024).months()) == 12


def test_overlap_includes_shared_boundary_days() -> None:
    june = Period.month(2024, 6)
    assert june.overlaps(parse_period("2024-06-30..2024-07-05"))
    assert not june.overlaps(Period.month(2024, 7))
