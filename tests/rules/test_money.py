"""Rupiah rounding and exact splitting (rules/money.py): table-driven and property tests, no database."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinergi.rules.money import split_exact, to_rupiah, truncate_to


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("29142.5094", 29143),  # DOMAIN worked examples
        ("53967.61", 53968),
        ("16190.283", 16190),
        ("0.5", 1),  # half-up, not banker's rounding
        ("1.5", 2),
        ("2.5", 3),
        ("2.4999", 2),
        ("-2.5", -3),  # half away from zero
        ("0", 0),
        (5067381, 5067381),
    ],
)
def test_to_rupiah_rounds_half_up_to_whole_rupiah(value, expected):
    assert to_rupiah(value) == Decimal(expected)
    assert to_rupiah(value).as_tuple().exponent == 0


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [("10042500", 100, 10042500), ("10042599", 100, 10042500), ("99", 100, 0), ("12345.67", 1000, 12000)],
)
def test_truncate_to_rounds_down_to_the_step(value, step, expected):
    assert truncate_to(value, step) == Decimal(expected)


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),  # ties go to the earlier part
        (10, [1, 2], [3, 7]),
        (1, [1, 1, 1, 1], [1, 0, 0, 0]),
        (0, [3, 1], [0, 0]),
        (1000000, [2, 3, 5], [200000, 300000, 500000]),
    ],
)
def test_split_exact_table(total, weights, expected):
    assert split_exact(total, weights) == [Decimal(e) for e in expected]


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [("10.5", [1], "whole-rupiah"), (10, [], "at least one"), (10, [0, 0], "more than zero")],
)
def test_split_exact_refuses_bad_input(total, weights, message):
    with pytest.raises(ValueError, match=message):
        split_exact(total, weights)


@given(
    total=st.integers(min_value=0, max_value=10**13),
    weights=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30).filter(
        lambda w: sum(w) > 0
    ),
)
def test_split_exact_parts_sum_to_the_whole_and_stay_within_one_rupiah_of_exact(total, weights):
    parts = split_exact(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Decimal(total) * weight / weight_sum
        assert part == part.to_integral_value()
        assert abs(part - exact) < 1
        assert part >= 0


@given(st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=4))
def test_to_rupiah_is_within_half_a_rupiah(value):
    rounded = to_rupiah(value)
    assert abs(rounded - value) <= Decimal("0.5")
    assert rounded == rounded.to_integral_value()
