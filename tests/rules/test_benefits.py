"""Benefit rules: the worked example WE-6, every benefit's amounts and refusals, and properties (no DB)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinergi.rules import benefits as b
from sinergi.rules.tables import RuleError

D = Decimal


def test_we6_jkm_cash_is_42_million_after_pp82():
    q = b.quote_jkm(death_date=dt.date(2024, 5, 1), active_at_death=True)
    assert q.eligible
    assert [line.amount for line in q.lines] == [D(20_000_000), D(12_000_000), D(10_000_000)]
    assert q.total == D(42_000_000)
    assert "PP 82/2019" in q.legal_basis[0]


def test_jkm_before_pp82_uses_historical_24_million():
    q = b.quote_jkm(death_date=dt.date(2018, 6, 1), active_at_death=True)
    assert q.total == D(24_000_000)


@pytest.mark.parametrize(
    "active, accident, refused",
    [(False, False, "active_membership"), (True, True, "not_work_accident")],
)
def test_jkm_refused_with_the_failed_condition(active, accident, refused):
    q = b.quote_jkm(death_date=dt.date(2024, 5, 1), active_at_death=active, work_accident=accident)
    assert not q.eligible
    assert q.total == 0
    assert [c.code for c in q.refusals] == [refused]


def we6_children():
    return [
        b.Child("A", "Anak A", dt.date(2016, 2, 1), "SD", 3),
        b.Child("B", "Anak B", dt.date(2012, 7, 1), "SMP", 1),
    ]


def test_we6_first_year_scholarship_and_remaining_for_child_a():
    plan = b.scholarship_plan(
        event="JKM", event_date=dt.date(2024, 5, 1), contribution_months=48, children=we6_children()
    )
    assert plan.quote.eligible
    assert plan.first_year_total == D(3_500_000)
    assert plan.quote.total == D(3_500_000)
    child_a = next(c for c in plan.children if c.child.key == "A")
    assert child_a.first_year == D(1_500_000)
    assert child_a.max_remaining == D(81_000_000)
    assert [(y.level, y.grade) for y in child_a.years[:5]] == [
        ("SD", 3),
        ("SD", 4),
        ("SD", 5),
        ("SD", 6),
        ("SMP", 1),
    ]


def test_scholarship_needs_three_years_of_jkm_contributions():
    plan = b.scholarship_plan(
        event="JKM", event_date=dt.date(2024, 5, 1), contribution_months=35, children=we6_children()
    )
    assert not plan.quote.eligible
    assert [c.code for c in plan.quote.refusals] == ["min_contribution"]
    assert plan.first_year_total == 0


def test_scholarship_skips_married_working_and_over_age_and_takes_two():
    on = dt.date(2024, 5, 1)
    kids = [
        b.Child("1", "Married", dt.date(2002, 1, 1), "PT", 2, married=True),
        b.Child("2", "Over age", dt.date(2000, 1, 1), "PT", 5),
        b.Child("3", "Working", dt.date(2004, 1, 1), "", None, working=True),
        b.Child("4", "Student", dt.date(2005, 1, 1), "PT", 1),
        b.Child("5", "Pupil", dt.date(2010, 1, 1), "SMA", 1),
        b.Child("6", "Third", dt.date(2015, 1, 1), "SD", 3),
    ]
    plan = b.scholarship_plan(event="JKK", event_date=on, contribution_months=0, children=kids)
    eligible = [c.child.key for c in plan.children if c.eligible]
    assert eligible == ["4", "5"]
    reasons = {c.child.key: c.reason_en for c in plan.children if not c.eligible}
    assert reasons == {"1": "married", "2": "aged 24 (limit 23)", "3": "working", "6": "at most 2 children"}
    # child 4 turns 23 on 1 Jan 2028: years starting May 2024..May 2027 = 4 years of PT
    assert next(c for c in plan.children if c.child.key == "4").max_remaining == D(48_000_000)


def test_child_not_yet_in_school_is_planned_from_tk_within_the_cap():
    plan = b.scholarship_plan(
        event="JKM",
        event_date=dt.date(2024, 5, 1),
        contribution_months=40,
        children=[b.Child("x", "Bayi", dt.date(2023, 1, 1))],
    )
    assert plan.children[0].max_remaining == D(87_000_000)


children_strategy = st.lists(
    st.builds(
        b.Child,
        key=st.uuids().map(str),
        name=st.just("c"),
        birth_date=st.dates(dt.date(1995, 1, 1), dt.date(2024, 1, 1)),
        level=st.sampled_from(["", "TK", "SD", "SMP", "SMA", "PT"]),
        grade=st.integers(1, 6),
        married=st.booleans(),
        working=st.booleans(),
        alive=st.booleans(),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(children=children_strategy, months=st.integers(0, 400))
def test_property_scholarship_caps_never_exceeded(children, months):
    plan = b.scholarship_plan(
        event="JKM", event_date=dt.date(2024, 5, 1), contribution_months=months, children=children
    )
    eligible = [c for c in plan.children if c.eligible]
    assert len(eligible) <= 2
    for c in eligible:
        assert c.max_remaining <= D(87_000_000)
        assert all(y.amount > 0 for y in c.years)
    assert plan.max_total <= D(174_000_000)


def test_jkk_death_is_48_wages_plus_funeral_and_periodic():
    q = b.quote_jkk(
        kind="death", accident_date=dt.date(2024, 1, 10), claim_date=dt.date(2024, 2, 1), wage=D(5_000_000)
    )
    assert [(line.code, line.amount) for line in q.lines] == [
        ("death", D(240_000_000)),
        ("funeral", D(10_000_000)),
        ("periodic", D(12_000_000)),
    ]
    assert q.total == D(262_000_000)


def test_jkk_death_minimum_is_provisional():
    q = b.quote_jkk(
        kind="death", accident_date=dt.date(2024, 1, 10), claim_date=dt.date(2024, 2, 1), wage=D(300_000)
    )
    assert q.lines[0].amount == D(20_000_000)
    assert q.provisional


def test_jkk_total_disability_is_56_wages_and_partial_by_table():
    q = b.quote_jkk(
        kind="total_disability",
        accident_date=dt.date(2024, 1, 10),
        claim_date=dt.date(2024, 2, 1),
        wage=D(4_000_000),
    )
    assert q.lines[0].amount == D(224_000_000)
    p = b.quote_jkk(
        kind="disability",
        accident_date=dt.date(2024, 1, 10),
        claim_date=dt.date(2024, 2, 1),
        wage=D(4_000_000),
        disability_percent=D(10),
    )
    assert p.total == D(32_000_000)
    f = b.quote_jkk(
        kind="disability",
        accident_date=dt.date(2024, 1, 10),
        claim_date=dt.date(2024, 2, 1),
        wage=D(4_000_000),
        disability_percent=D(10),
        function_loss_percent=D(50),
    )
    assert f.total == D(16_000_000)


def test_jkk_claim_window_is_five_years_since_pp82():
    q = b.quote_jkk(
        kind="death", accident_date=dt.date(2020, 1, 10), claim_date=dt.date(2025, 1, 10), wage=D(5_000_000)
    )
    assert q.eligible
    late = b.quote_jkk(
        kind="death",
        accident_date=dt.date(2020, 1, 10),
        claim_date=dt.date(2025, 1, 11) + dt.timedelta(days=365),
        wage=D(5_000_000),
    )
    assert [c.code for c in late.refusals] == ["claim_window"]


def test_jkk_temporary_incapacity_full_then_half():
    q = b.quote_jkk(
        kind="temporary",
        accident_date=dt.date(2024, 1, 1),
        claim_date=dt.date(2025, 3, 1),
        wage=D(3_000_000),
        incapacity_months=14,
    )
    assert q.total == D(3_000_000) * 12 + D(1_500_000) * 2
    assert q.provisional


def test_jht_resignation_waits_one_month():
    early = b.quote_jht(
        reason="resignation",
        balance=D(50_000_000),
        event_date=dt.date(2024, 3, 31),
        claim_date=dt.date(2024, 4, 29),
    )
    assert [c.code for c in early.refusals] == ["waiting_period"]
    assert early.total == 0
    ok = b.quote_jht(
        reason="resignation",
        balance=D(50_000_000),
        event_date=dt.date(2024, 3, 31),
        claim_date=dt.date(2024, 4, 30),
    )
    assert ok.total == D(50_000_000)


def test_jht_partial_after_ten_years_once():
    q = b.quote_jht(
        reason="partial",
        partial_purpose="housing",
        balance=D("100000005"),
        claim_date=dt.date(2024, 1, 1),
        membership_months=120,
    )
    assert q.total == D(30_000_002)  # 30,000,001.5 half-up
    other = b.quote_jht(
        reason="partial",
        partial_purpose="other",
        balance=D(100_000_000),
        claim_date=dt.date(2024, 1, 1),
        membership_months=119,
        previous_partial=True,
    )
    assert {c.code for c in other.refusals} == {"min_membership", "once"}


def test_jht_age():
    q = b.quote_jht(
        reason="age", balance=D(1), birth_date=dt.date(1968, 5, 2), claim_date=dt.date(2024, 5, 1)
    )
    assert not q.eligible
    assert b.quote_jht(
        reason="age", balance=D(1), birth_date=dt.date(1968, 5, 1), claim_date=dt.date(2024, 5, 1)
    ).eligible


@pytest.mark.parametrize(
    "year, age",
    [
        (2015, 56),
        (2018, 56),
        (2019, 57),
        (2021, 57),
        (2022, 58),
        (2025, 59),
        (2028, 60),
        (2043, 65),
        (2060, 65),
    ],
)
def test_pension_age_by_year(year, age):
    assert b.pension_age(year)[0] == age


def test_jp_monthly_pension_after_15_years_and_lump_sum_before():
    q = b.quote_jp(
        reason="old_age",
        claim_date=dt.date(2025, 6, 1),
        birth_date=dt.date(1966, 1, 1),
        contribution_months=192,
        average_monthly_wage=D(8_000_000),
        balance=D(90_000_000),
    )
    assert q.eligible
    assert q.monthly_amount == D(1_280_000)  # 1% x 16 x 8,000,000
    short = b.quote_jp(
        reason="old_age",
        claim_date=dt.date(2025, 6, 1),
        birth_date=dt.date(1966, 1, 1),
        contribution_months=100,
        average_monthly_wage=D(8_000_000),
        balance=D(45_123_456),
    )
    assert short.monthly_amount is None and short.total == D(45_123_456)
    young = b.quote_jp(
        reason="old_age",
        claim_date=dt.date(2025, 6, 1),
        birth_date=dt.date(1967, 1, 1),
        contribution_months=200,
        average_monthly_wage=D(8_000_000),
        balance=D(1),
    )
    assert [c.code for c in young.refusals] == ["pension_age"]


def test_jp_minimum_and_survivor_as_if_15_years():
    q = b.quote_jp(
        reason="old_age",
        claim_date=dt.date(2024, 6, 1),
        birth_date=dt.date(1960, 1, 1),
        contribution_months=180,
        average_monthly_wage=D(2_000_000),
        balance=D(1),
    )
    assert q.monthly_amount == D(393_500)  # 300,000 lifted to the 2024 minimum
    s = b.quote_jp(
        reason="death",
        claim_date=dt.date(2024, 6, 1),
        contribution_months=60,
        average_monthly_wage=D(8_000_000),
        balance=D(10_000_000),
        membership_months=60,
        density=D("0.9"),
    )
    assert s.monthly_amount == D(600_000)  # 1% x 15 x 8m = 1.2m, spouse 50%
    lump = b.quote_jp(
        reason="death",
        claim_date=dt.date(2024, 6, 1),
        contribution_months=60,
        average_monthly_wage=D(8_000_000),
        balance=D(10_000_000),
        membership_months=60,
        density=D("0.7"),
    )
    assert lump.total == D(10_000_000) and lump.monthly_amount is None


def test_jkp_sixty_percent_of_capped_wage_for_six_months():
    q = b.quote_jkp(
        wage=D(7_000_000),
        phk_date=dt.date(2025, 3, 1),
        claim_date=dt.date(2025, 4, 1),
        paid_months_last_24=20,
        consecutive_months_before_phk=12,
    )
    assert q.eligible
    assert q.total == D(18_000_000)
    old = b.quote_jkp(
        wage=D(4_000_000),
        phk_date=dt.date(2024, 3, 1),
        claim_date=dt.date(2024, 4, 1),
        paid_months_last_24=20,
        consecutive_months_before_phk=12,
    )
    assert old.total == D(4_000_000) * D("0.45") * 3 + D(4_000_000) * D("0.25") * 3


def test_jkp_refusals_show_values():
    q = b.quote_jkp(
        wage=D(4_000_000),
        phk_date=dt.date(2025, 3, 1),
        claim_date=dt.date(2025, 9, 2),
        paid_months_last_24=11,
        consecutive_months_before_phk=5,
        reason="resignation",
    )
    refused = {c.code: c.value for c in q.refusals}
    assert refused == {
        "dismissal": "resignation",
        "contribution_months": "11",
        "consecutive": "5",
        "claim_window": "2025-09-02",
    }


@settings(max_examples=200, deadline=None)
@given(wage=st.integers(0, 200_000_000), phk=st.dates(dt.date(2025, 2, 7), dt.date(2030, 1, 1)))
def test_property_jkp_never_exceeds_60_percent_of_5_million_a_month(wage, phk):
    q = b.quote_jkp(
        wage=D(wage), phk_date=phk, claim_date=phk, paid_months_last_24=24, consecutive_months_before_phk=24
    )
    for line in q.lines:
        assert line.amount / line.periodic_months <= D(3_000_000)
    assert q.total <= D(18_000_000)


def test_negative_input_is_refused_with_a_field():
    with pytest.raises(RuleError) as err:
        b.quote_jkp(
            wage=D(-1),
            phk_date=dt.date(2025, 3, 1),
            claim_date=dt.date(2025, 3, 1),
            paid_months_last_24=1,
            consecutive_months_before_phk=1,
        )
    assert err.value.field == "wage"
    assert "negatif" in err.value.message("id")


def test_service_clock_counts_working_days():
    due, row = b.service_due("JKM", dt.date(2024, 5, 3))  # Friday; Thu 9 May is Ascension Day
    assert due == dt.date(2024, 5, 8)
    assert b.service_due("JKM", dt.date(2024, 5, 6))[0] == dt.date(2024, 5, 13)  # 9 + 10 May off
    assert row.provisional


def test_jkk_home_care_capped_at_20_million():
    q = b.quote_jkk(
        kind="home_care",
        accident_date=dt.date(2024, 1, 10),
        claim_date=dt.date(2024, 6, 1),
        wage=D(5_000_000),
        medical_cost=D(23_500_000),
    )
    assert q.total == D(20_000_000)
    assert q.notes == ["home care capped at 20,000,000"]
