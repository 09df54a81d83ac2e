"""Working-day arithmetic for deadlines: weekends, national holidays and cuti bersama (no database)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.rules import calendar as cal

D = dt.date
HOL = cal.default_holiday_dates()


@pytest.mark.parametrize(
    ("start", "days", "expected", "why"),
    [
        (D(2024, 6, 3), 1, D(2024, 6, 4), "Monday + 1 = Tuesday"),
        (D(2024, 6, 7), 1, D(2024, 6, 10), "Friday + 1 skips the weekend"),
        (D(2024, 6, 8), 1, D(2024, 6, 10), "received on Saturday: day 1 is Monday"),
        (D(2024, 6, 7), 5, D(2024, 6, 14), "one working week"),
        (D(2024, 6, 14), 1, D(2024, 6, 19), "Idul Adha 17 Jun and cuti bersama 18 Jun skipped"),
        (D(2024, 4, 5), 1, D(2024, 4, 16), "Lebaran 2024: 8-12 and 15 April are all off"),
        (D(2024, 4, 5), 3, D(2024, 4, 18), "three working days across Lebaran"),
        (D(2024, 4, 30), 1, D(2024, 5, 2), "May Day is a holiday"),
        (D(2024, 12, 24), 2, D(2024, 12, 30), "Christmas and its cuti bersama"),
        (D(2025, 3, 27), 1, D(2025, 4, 8), "Nyepi + Lebaran 2025"),
        (D(2026, 3, 17), 1, D(2026, 3, 25), "Nyepi + Lebaran 2026"),
        (D(2024, 6, 3), 0, D(2024, 6, 3), "zero days on a working day is that day"),
        (D(2024, 6, 8), 0, D(2024, 6, 10), "zero days on a Saturday is Monday"),
        (D(2024, 6, 3), 10, D(2024, 6, 19), "ten working days with Idul Adha inside"),
    ],
)
def test_add_working_days(start, days, expected, why):
    assert cal.add_working_days(start, days, HOL) == expected, why


def test_without_holidays_only_weekends_count():
    assert cal.add_working_days(D(2024, 6, 14), 1) == D(2024, 6, 17)
    assert cal.add_working_days(D(2024, 4, 5), 1) == D(2024, 4, 8)


def test_a_configured_extra_holiday_moves_the_deadline():
    extra = HOL | {D(2024, 6, 4)}
    assert cal.add_working_days(D(2024, 6, 3), 1, extra) == D(2024, 6, 5)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2024, 6, 3), D(2024, 6, 3), 0),
        (D(2024, 6, 3), D(2024, 6, 10), 5),
        (D(2024, 6, 14), D(2024, 6, 19), 1),
        (D(2024, 6, 19), D(2024, 6, 14), -1),
        (D(2024, 4, 5), D(2024, 4, 16), 1),
        (D(2024, 1, 1), D(2024, 12, 31), 262 - 22),  # 262 weekdays; 27 days off, 5 of them on weekends
    ],
)
def test_working_days_between(start, end, expected):
    assert cal.working_days_between(start, end, HOL) == expected


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        cal.add_working_days(D(2024, 1, 1), -1)
    with pytest.raises(ValueError):
        cal.add_working_days(D(2024, 1, 1), 1, weekend=frozenset(range(7)))


def test_holiday_table_rows_are_named_dated_and_unique():
    days = [h.day for h in cal.HOLIDAYS]
    assert len(days) == len(set(days))
    assert {d.year for d in days} == {2024, 2025, 2026}
    for h in cal.HOLIDAYS:
        assert h.name_id and h.name_en and h.legal_basis
        assert h.kind in (cal.NATIONAL, cal.COLLECTIVE_LEAVE)
    assert D(2024, 5, 1) in HOL and D(2025, 5, 1) in HOL and D(2026, 5, 1) in HOL  # May Day
    assert D(2024, 8, 17) in HOL


dates = st.dates(min_value=D(2023, 6, 1), max_value=D(2027, 6, 1))
holiday_sets = st.frozensets(st.dates(min_value=D(2023, 6, 1), max_value=D(2028, 6, 1)), max_size=40)


@given(start=dates, days=st.integers(min_value=1, max_value=80), holidays=holiday_sets)
def test_deadline_is_a_working_day_exactly_n_working_days_later(start, days, holidays):
    due = cal.add_working_days(start, days, holidays)
    assert cal.is_working_day(due, holidays)
    assert due > start
    assert cal.working_days_between(start, due, holidays) == days
    assert cal.working_days_between(start, due - dt.timedelta(days=1), holidays) == days - 1


@given(start=dates, a=st.integers(1, 40), b=st.integers(1, 40), holidays=holiday_sets)
def test_more_days_never_gives_an_earlier_deadline(start, a, b, holidays):
    assert cal.add_working_days(start, a, holidays) < cal.add_working_days(start, a + b, holidays)


@given(start=dates, end=dates, holidays=holiday_sets)
def test_between_matches_a_day_by_day_count(start, end, holidays):
    lo, hi = min(start, end), max(start, end)
    count = sum(
        1 for i in range(1, (hi - lo).days + 1) if cal.is_working_day(lo + dt.timedelta(days=i), holidays)
    )
    assert cal.working_days_between(lo, hi, holidays) == count
    assert cal.working_days_between(hi, lo, holidays) == -count
