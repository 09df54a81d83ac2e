"""WE-11 exactly, plus leap days and every century the two-digit year can mean. Pure: no database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.rules.nik import check_nik_against, parse_nik

TODAY = dt.date(2026, 11, 23)


def test_we11_female_kemendagri_jakarta_utara():
    info = parse_nik("3172055203900001", today=TODAY)
    assert info.valid
    assert (info.province_code, info.regency_code, info.district_code) == ("31", "3172", "317205")
    assert info.province_name == "DKI Jakarta"
    assert "Jakarta Utara" in info.regency_name  # Kemendagri 3172, never BPS "Jakarta Timur"
    assert "Timur" not in info.regency_name
    assert info.sex == "F"
    assert info.birth_date == dt.date(1990, 3, 12)
    assert info.serial == "0001"


def test_we11_male_same_date():
    info = parse_nik("3172051203900001", today=TODAY)
    assert info.valid and info.sex == "M" and info.birth_date == dt.date(1990, 3, 12)


def test_we11_day_72_invalid():
    info = parse_nik("3172057203900001", today=TODAY)
    assert not info.valid
    assert [e.code for e in info.errors] == ["nik_day"]


def test_we11_fifteen_digits_invalid():
    info = parse_nik("317205520390000", today=TODAY)
    assert not info.valid
    assert info.errors[0].code == "nik_too_short"
    assert "15 digit" in _id(info.errors[0])


@pytest.mark.parametrize(
    ("nik", "hint", "expected"),
    [
        ("3172052902000001", None, dt.date(2000, 2, 29)),  # 2000 is a leap year (divisible by 400)
        ("3172056902000001", None, dt.date(2000, 2, 29)),  # the same, a woman
        ("3172052902960001", None, dt.date(1996, 2, 29)),
        ("3172052902040001", 2004, dt.date(2004, 2, 29)),
        ("3172051501250001", None, dt.date(2025, 1, 15)),  # 25 <= 2026: this century
        ("3172051501270001", None, dt.date(1927, 1, 15)),  # 27 > 26: last century
        ("3172051501260001", 1926, dt.date(1926, 1, 15)),  # an entered birth year decides the century
        ("3172053112990001", None, dt.date(1999, 12, 31)),
    ],
)
def test_leap_days_and_centuries(nik, hint, expected):
    info = parse_nik(nik, today=TODAY, birth_year_hint=hint)
    assert info.valid, info.errors
    assert info.birth_date == expected


@pytest.mark.parametrize(
    ("nik", "hint", "message"),
    [
        ("3172053002000001", None, "NIK: tanggal lahir 30-02-2000 tidak valid."),
        ("3172052902000001", 1900, "NIK: tanggal lahir 29-02-1900 tidak valid."),  # 1900 not a leap year
        ("3172052902970001", None, "NIK: tanggal lahir 29-02-1997 tidak valid."),
        ("3172053104900001", None, "NIK: tanggal lahir 31-04-1990 tidak valid."),
    ],
)
def test_impossible_dates_say_so_in_indonesian(nik, hint, message):
    info = parse_nik(nik, today=TODAY, birth_year_hint=hint)
    assert not info.valid
    assert message in [_id(e) for e in info.errors]


def test_month_and_serial_and_district_problems_all_listed():
    info = parse_nik("9999991513000000", today=TODAY)
    codes = {e.code for e in info.errors}
    assert {"nik_unknown_district", "nik_month", "nik_serial"} <= codes


def test_mismatch_with_entered_data():
    info = parse_nik("3172055203900001", today=TODAY)
    problems = check_nik_against(info, birth_date=dt.date(1990, 3, 13), sex="M")
    assert [p.code for p in problems] == ["nik_birth_mismatch", "nik_sex_mismatch"]
    assert "perempuan" in _id(problems[1])
    assert "13 Maret 1990" in _id(problems[0]) and "12 Maret 1990" in _id(problems[0])


@given(st.dates(min_value=dt.date(1927, 1, 1), max_value=dt.date(2025, 12, 31)), st.sampled_from("MF"))
def test_round_trip_any_date(birth, sex):
    day = birth.day + (40 if sex == "F" else 0)
    nik = f"317205{day:02d}{birth.month:02d}{birth.year % 100:02d}0007"
    info = parse_nik(nik, today=TODAY, birth_year_hint=birth.year)
    assert info.valid and info.birth_date == birth and info.sex == sex


def _id(problem) -> str:
    from django.utils import translation

    from sinergi.registry.nik_text import nik_problem_text

    with translation.override("id"):
        return nik_problem_text(problem)
