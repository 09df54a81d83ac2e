"""NIK parsing (rules/nik.py, PP 37/2007; DOMAIN.md §6.1): every problem listed, both languages; no database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.rules.nik import check_nik_against, districts, parse_nik

TODAY = dt.date(2025, 6, 1)


def test_a_valid_north_jakarta_nik_decodes_region_sex_and_birth_date():
    info = parse_nik("3172051203900001", today=TODAY)
    assert info.valid, info.errors
    assert (info.province_code, info.regency_code, info.district_code) == ("31", "3172", "317205")
    assert info.province_name == "DKI Jakarta"
    assert "Jakarta Utara" in info.regency_name
    assert info.sex == "M"
    assert info.birth_date == dt.date(1990, 3, 12)
    assert info.serial == "0001"


def test_women_have_forty_added_to_the_day():
    info = parse_nik("3509015208850003", today=TODAY)
    assert info.valid, info.errors
    assert info.sex == "F"
    assert info.birth_date == dt.date(1985, 8, 12)


@pytest.mark.parametrize(
    ("nik", "codes"),
    [
        ("317205120390001", {"nik_too_short"}),  # 15 digits
        ("31720512039000a1", {"nik_not_digits"}),
        ("", {"nik_required"}),
        ("9999991203900001", {"nik_unknown_district"}),
        ("3172053203900001", {"nik_day"}),  # day 32
        ("3172057203900001", {"nik_day"}),  # 72 = 32 for a woman
        ("3172051213900001", {"nik_month"}),
        ("3172053102900001", {"nik_birth_date"}),  # 31 February
        ("3172051203900000", {"nik_serial"}),
        ("9999993213900000", {"nik_unknown_district", "nik_day", "nik_month", "nik_serial"}),
    ],
)
def test_every_problem_is_listed_with_a_message_in_both_languages(nik, codes):
    info = parse_nik(nik, today=TODAY)
    assert not info.valid
    assert {p.code for p in info.errors} == codes
    from django.utils import translation

    from sinergi.registry.nik_text import nik_problem_text

    for problem in info.errors:  # the rule gives a code and params; the words come from gettext
        with translation.override("id"):
            indonesian = nik_problem_text(problem)
        with translation.override("en"):
            english = nik_problem_text(problem)
        assert indonesian and english and indonesian != english, problem


def test_a_birth_date_in_the_future_is_refused():
    # Two-digit years resolve to the latest century not in the future; a hint may force 2000s.
    info = parse_nik("3172051210250001", today=TODAY, birth_year_hint=2025)
    assert {p.code for p in info.errors} == {"nik_birth_future"}


def test_the_century_follows_the_birth_year_entered_with_the_record():
    assert parse_nik("3172051203050001", today=TODAY).birth_date == dt.date(2005, 3, 12)
    assert parse_nik("3172051203050001", today=TODAY, birth_year_hint=1905).birth_date == dt.date(1905, 3, 12)


def test_an_unknown_district_can_be_a_warning_for_old_niks():
    info = parse_nik("9999991203900001", today=TODAY, allow_unknown_district=True)
    assert info.valid
    assert [w.code for w in info.warnings] == ["nik_unknown_district"]


def test_mismatches_between_the_nik_and_what_was_entered():
    info = parse_nik("3172051203900001", today=TODAY)
    problems = check_nik_against(info, birth_date=dt.date(1990, 12, 3), sex="F")
    assert [p.code for p in problems] == ["nik_birth_mismatch", "nik_sex_mismatch"]
    assert check_nik_against(info, birth_date=dt.date(1990, 3, 12), sex="M") == []


DISTRICTS = sorted(districts())


@given(
    district=st.sampled_from(DISTRICTS),
    birth=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2024, 12, 31)),
    female=st.booleans(),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_any_well_formed_nik_round_trips(district, birth, female, serial):
    nik = f"{district}{birth.day + (40 if female else 0):02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
    info = parse_nik(nik, today=TODAY, birth_year_hint=birth.year)
    assert info.valid, [p.code for p in info.errors]
    assert info.birth_date == birth
    assert info.sex == ("F" if female else "M")
    assert info.district_code == district


@given(st.text(max_size=20))
def test_arbitrary_text_never_crashes_the_parser(text):
    info = parse_nik(text, today=TODAY)
    assert info.valid == (not info.errors)
