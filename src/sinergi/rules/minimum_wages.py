"""Minimum wages as published (DOMAIN.md §3.5). Seed rows for regions.MinimumWage; officers edit there.

Tuple: (region code, kind, year, amount, decree, valid_from, in force, status, note).
"""

import datetime as dt

from sinergi.rules.tables import D

MINIMUM_WAGES = [
    (
        "31",
        "UMP",
        2018,
        D(3648035),
        "Pergub DKI Jakarta UMP 2018",
        dt.date(2018, 1, 1),
        True,
        "V",
        "BPS lists 3,648,036 (decimal rounding of the decree value)",
    ),
    ("31", "UMP", 2019, D(3940973), "Pergub DKI Jakarta UMP 2019", dt.date(2019, 1, 1), True, "V", ""),
    (
        "31",
        "UMP",
        2020,
        D(4276349),
        "Pergub DKI Jakarta UMP 2020",
        dt.date(2020, 1, 1),
        True,
        "V",
        "also published as 4,276,350",
    ),
    ("31", "UMP", 2021, D(4416186), "Pergub DKI Jakarta UMP 2021", dt.date(2021, 1, 1), True, "V", ""),
    (
        "31",
        "UMP",
        2022,
        D(4453935),
        "Kepgub DKI Jakarta UMP 2022 (first decree)",
        dt.date(2022, 1, 1),
        False,
        "V",
        "first value; the KPJ 2022 threshold was computed from it",
    ),
    (
        "31",
        "UMP",
        2022,
        D(4641854),
        "Kepgub DKI Jakarta UMP 2022 (revised decree)",
        dt.date(2022, 1, 1),
        True,
        "V",
        "revised; a court-ordered 4,573,845 is unverified",
    ),
    ("31", "UMP", 2023, D(4901798), "Kepgub DKI Jakarta UMP 2023", dt.date(2023, 1, 1), True, "V", ""),
    ("31", "UMP", 2024, D(5067381), "Kepgub DKI Jakarta UMP 2024", dt.date(2024, 1, 1), True, "V", "+3.6%"),
    (
        "31",
        "UMP",
        2025,
        D(5396761),
        "Kepgub DKI Jakarta UMP 2025 (Permenaker 16/2024)",
        dt.date(2025, 1, 1),
        True,
        "V",
        "+6.5%",
    ),
    (
        "31",
        "UMP",
        2026,
        D(5729876),
        "Kepgub DKI Jakarta UMP 2026 (PP 49/2025 Pengupahan)",
        dt.date(2026, 1, 1),
        True,
        "V",
        "+6.17%, alpha 0.75",
    ),
]
