"""KPJ wage ceiling, quarterly targets, package allocation and savings rules (no database)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.rules import programs as r
from sinergi.rules.tables import RuleError

D = Decimal


@pytest.mark.parametrize(
    ("year", "ump", "ceiling"),
    [
        (2018, D(3648035), D(4012838)),  # 1.10 × 3,648,035 = 4,012,838.5 → down to 4,012,838
        (2019, D(3940973), D(4335070)),  # 4,335,070.3
        (2020, D(4276349), D(4703983)),  # 4,703,983.9: a wage of 4,703,984 is above the ceiling
        (2021, D(4416186), D(4857804)),  # 4,857,804.6
        (2022, D(4453935), D(5122025)),  # DOMAIN.md §3.1: Rp5,122,025 from the first 2022 decree
        (2025, D(5396761), D(6206275)),  # DOMAIN.md §3.1: Rp6,206,275
        (2026, D(5729876), D(6589357)),  # DOMAIN.md §3.5 [V-calc], multiplier provisional
    ],
)
def test_kpj_ceiling_by_program_year(year, ump, ceiling):
    assert r.kpj_wage_ceiling(ump, year) == ceiling


def test_multiplier_changes_in_2022_and_2026_is_provisional():
    assert r.kpj_multiplier(2021).value == D("1.10")
    assert r.kpj_multiplier(2022).value == D("1.15")
    assert not r.kpj_multiplier(2025).provisional
    assert r.kpj_multiplier(2026).provisional
    with pytest.raises(RuleError):
        r.kpj_multiplier(2017)


def test_exact_at_the_ceiling():
    ceiling = r.kpj_wage_ceiling(D(4453935), 2022)
    assert r.kpj_wage_ok(ceiling, ceiling)
    assert not r.kpj_wage_ok(ceiling + 1, ceiling)
    assert not r.kpj_wage_ok(None, ceiling)


@given(st.integers(min_value=1_000_000, max_value=20_000_000), st.sampled_from([2019, 2020, 2022, 2025]))
def test_ceiling_is_the_largest_whole_rupiah_within_multiplier_times_ump(ump, year):
    ceiling = r.kpj_wage_ceiling(D(ump), year)
    exact = r.kpj_multiplier(year).value * ump
    assert ceiling <= exact < ceiling + 1
    assert ceiling == ceiling.to_integral_value()


def test_quarter_split_must_add_up():
    r.check_quarter_split(23000, [6000, 4500, 5750, 6750])
    r.check_quarter_split(23000, None)
    with pytest.raises(RuleError) as err:
        r.check_quarter_split(23000, [6000, 4500, 5750, 6000])
    assert err.value.code == "quarters_sum"
    assert "22250" in err.value.message("en") and "22250" in err.value.message("id")
    with pytest.raises(RuleError):
        r.check_quarter_split(100, [50, 50])


def test_quarter_of():
    assert [r.quarter_of(dt.date(2020, m, 1)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_allocation_of_580_packages_by_members():
    assert r.allocate_packages(580, [120, 80, 40]) == [290, 193, 97]
    assert r.allocate_packages(580, [0, 0]) == [290, 290]
    with pytest.raises(RuleError):
        r.allocate_packages(10, [])


@given(st.integers(0, 100_000), st.lists(st.integers(0, 5000), min_size=1, max_size=30))
def test_allocations_always_sum_to_the_stock(stock, weights):
    parts = r.allocate_packages(stock, weights)
    assert sum(parts) == stock
    assert all(p >= 0 for p in parts)
    if sum(weights):
        assert all(p == 0 for p, w in zip(parts, weights, strict=True) if w == 0)


@pytest.mark.parametrize(
    ("kind", "amount", "balance", "pokok_paid", "code"),
    [
        ("pokok", 100000, 0, False, None),
        ("pokok", 100000, 100000, True, "pokok_once"),
        ("wajib", 50000, 0, True, None),
        ("wajib", -50000, 100000, True, "savings_locked"),
        ("sukarela", -60000, 50000, True, "savings_insufficient"),
        ("sukarela", -50000, 50000, True, None),
        ("sukarela", 0, 0, True, "savings_amount"),
        ("sukarela", D("10.5"), 0, True, "savings_amount"),
        ("hibah", 10, 0, True, "savings_kind"),
    ],
)
def test_savings_rules(kind, amount, balance, pokok_paid, code):
    if code is None:
        r.savings_check(kind, D(amount), D(balance), pokok_paid=pokok_paid)
    else:
        with pytest.raises(RuleError) as err:
            r.savings_check(kind, D(amount), D(balance), pokok_paid=pokok_paid)
        assert err.value.code == code
