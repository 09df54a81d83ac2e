"""Rupiah arithmetic. Rounding rule (DOMAIN.md §1.2, project choice where regulation is silent):
each programme line is rounded half-up to whole rupiah; unrounded values are kept for audit.
Splitting an amount leaves no remainder: parts always sum to the whole (largest remainder)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

# what the rules accept as an amount: a Decimal, whole rupiah as int, or its text (never a float)
Amount = Decimal | int | str


def to_rupiah(value: Amount) -> Decimal:
    """Half-up to whole rupiah: 29,142.5094 -> 29,143; 53,967.61 -> 53,968; 16,190.283 -> 16,190."""
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def truncate_to(value: Amount, step: int) -> Decimal:
    """Round down to a multiple of `step` (the JP cap is truncated to Rp100)."""
    step_d = Decimal(step)
    return (Decimal(value) / step_d).quantize(Decimal(1), rounding=ROUND_DOWN) * step_d


def split_exact(total: Amount, weights: Sequence[Amount]) -> list[Decimal]:
    """Split whole-rupiah `total` in proportion to `weights`; the parts sum exactly to `total`.

    Largest-remainder method, ties to the earlier part, so the result is deterministic.
    """
    total = Decimal(total)
    if total != total.to_integral_value():
        raise ValueError("split_exact takes a whole-rupiah total")
    parts = [Decimal(w) for w in weights]
    if not parts:
        raise ValueError("split_exact needs at least one weight")
    weight_sum = sum(parts, Decimal(0))
    if weight_sum <= 0:
        raise ValueError("weights must sum to more than zero")
    exact = [total * w / weight_sum for w in parts]
    floors = [e.to_integral_value(rounding=ROUND_DOWN) for e in exact]
    remainder = int(total - sum(floors))
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:remainder]:
        floors[i] += 1
    return floors
