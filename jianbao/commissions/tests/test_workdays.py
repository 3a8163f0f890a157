"""Working-day arithmetic on real calendar cases (pure: runs with `-p no:django`).

The expected dates were counted by hand from the State Council's arrangements:
- 2025 National Day + Mid-Autumn (国办发明电〔2024〕12号): Oct 1–8 off; Sun Sep 28 and
  Sat Oct 11 are working days.
- 2025 Spring Festival: Jan 28 – Feb 4 off; Sun Jan 26 and Sat Feb 8 are working days.
"""

from __future__ import annotations

from datetime import date

import pytest

from jianbao.commissions.workdays import (
    add_workdays,
    calendar_covers,
    is_workday,
    workdays_left,
)


def test_three_working_days_from_the_thursday_before_national_day() -> None:
    # Issued Thu 2025-09-25. Day 1: Fri 09-26. Sat 09-27 is off. Day 2: Sun 09-28 (make-up
    # working day). Mon 09-29 is day 3.
    assert add_workdays(date(2025, 9, 25), 3).day == date(2025, 9, 29)


def test_five_working_days_across_the_national_day_holiday() -> None:
    # From Thu 2025-09-25: 09-26 (1), 09-28 Sun make-up (2), 09-29 (3), 09-30 (4); Oct 1–8 off;
    # Thu 10-09 (5).
    result = add_workdays(date(2025, 9, 25), 5)
    assert result.day == date(2025, 10, 9)
    assert not result.estimated


def test_issued_on_the_last_day_before_the_holiday() -> None:
    # From Tue 2025-09-30, three working days: Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 (3,
    # a make-up Saturday).
    assert add_workdays(date(2025, 9, 30), 3).day == date(2025, 10, 11)


def test_a_make_up_saturday_is_a_working_day_and_an_ordinary_one_is_not() -> None:
    assert is_workday(date(2025, 10, 11)) == (True, True)  # make-up Saturday
    assert is_workday(date(2025, 10, 18)) == (False, True)  # ordinary Saturday
    assert is_workday(date(2025, 10, 1)) == (False, True)  # National Day, a Wednesday


def test_a_deadline_across_the_spring_festival() -> None:
    # Issued Fri 2025-01-24, three working days: Sun 01-26 (1, make-up), Mon 01-27 (2);
    # Jan 28 – Feb 4 off (Tue–Tue); Wed 02-05 (3).
    assert add_workdays(date(2025, 1, 24), 3).day == date(2025, 2, 5)


def test_days_left_counts_working_days_only() -> None:
    # From Fri 2025-09-26 to Thu 2025-10-09: Sun 09-28, Mon 09-29, Tue 09-30, Thu 10-09.
    assert workdays_left(date(2025, 9, 26), date(2025, 10, 9)) == 4
    assert workdays_left(date(2025, 10, 9), date(2025, 10, 9)) == 0
    # Overdue: Fri 10-10 and Sat 10-11 (make-up) after the deadline of Thu 10-09.
    assert workdays_left(date(2025, 10, 11), date(2025, 10, 9)) == -2


def test_a_year_without_published_data_falls_back_to_weekends() -> None:
    year = 2100
    assert not calendar_covers(year)
    assert calendar_covers(2025)
    # From Thu 2099-12-31, two working days by weekends alone: Fri 2100-01-01 (1), Mon 01-04 (2).
    result = add_workdays(date(2099, 12, 31), 2)
    assert result.day == date(2100, 1, 4)
    assert result.estimated


@pytest.mark.parametrize("days", [0, -1, 251])
def test_working_days_out_of_range_are_refused(days: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 250"):
        add_workdays(date(2025, 1, 1), days)
