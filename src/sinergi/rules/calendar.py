"""Working days and Indonesian public holidays: deadline arithmetic for aspirations and commitments.

Government offices work Monday to Friday. National holidays (*hari libur nasional*) and collective
leave days (*cuti bersama*) are set each year by a joint decree of the Minister of Religious Affairs,
the Minister of Manpower and the Minister for Administrative Reform (SKB 3 Menteri). The table below
seeds the editable holiday list in the application; the dated decree named on each row is its basis.
Rows are labelled "U" until checked against the signed decree (an administrator can correct any date
in the application without a release).

Counting rule: a deadline of *n* working days after a start day is the n-th working day strictly
after the start day, so a case received on a Friday afternoon with one working day to acknowledge
is due on Monday (or the first working day after a holiday). Zero days means the start day itself
if it is a working day, else the next working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

SATURDAY, SUNDAY = 5, 6
WEEKEND = frozenset({SATURDAY, SUNDAY})

# Far enough to cover any realistic deadline; an input beyond it is a programming error, not data.
MAX_WORKING_DAYS = 3660

NATIONAL = "national"
COLLECTIVE_LEAVE = "cuti_bersama"

SKB_2024 = (
    "SKB Menag, Menaker, MenPAN-RB No. 855/2023, 3/2023, 4/2023 (hari libur nasional dan cuti bersama 2024)"
)
SKB_2025 = (
    "SKB Menag, Menaker, MenPAN-RB No. 1017/2024, 2/2024, 2/2024 (hari libur nasional dan cuti bersama 2025)"
)
SKB_2026 = "SKB Menag, Menaker, MenPAN-RB tentang hari libur nasional dan cuti bersama 2026"


@dataclass(frozen=True)
class Holiday:
    day: dt.date
    name_id: str
    name_en: str
    kind: str
    legal_basis: str
    status: str = "U"


def _rows(year: int, basis: str, rows: Iterable[tuple[int, int, str, str, str]]) -> tuple[Holiday, ...]:
    return tuple(Holiday(dt.date(year, m, d), nid, nen, kind, basis) for m, d, nid, nen, kind in rows)


N, C = NATIONAL, COLLECTIVE_LEAVE

HOLIDAYS: tuple[Holiday, ...] = (
    *_rows(
        2024,
        SKB_2024,
        [
            (1, 1, "Tahun Baru 2024 Masehi", "New Year's Day", N),
            (2, 8, "Isra Mikraj Nabi Muhammad SAW", "Isra Mi'raj", N),
            (2, 9, "Cuti bersama Tahun Baru Imlek", "Collective leave, Chinese New Year", C),
            (2, 10, "Tahun Baru Imlek 2575 Kongzili", "Chinese New Year", N),
            (3, 11, "Hari Suci Nyepi Tahun Baru Saka 1946", "Day of Silence (Nyepi)", N),
            (3, 12, "Cuti bersama Hari Suci Nyepi", "Collective leave, Nyepi", C),
            (3, 29, "Wafat Isa Almasih", "Good Friday", N),
            (3, 31, "Hari Paskah", "Easter Sunday", N),
            (4, 8, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (4, 9, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (4, 10, "Hari Raya Idul Fitri 1445 H", "Eid al-Fitr", N),
            (4, 11, "Hari Raya Idul Fitri 1445 H", "Eid al-Fitr", N),
            (4, 12, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (4, 15, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (5, 1, "Hari Buruh Internasional", "International Labour Day", N),
            (5, 9, "Kenaikan Isa Almasih", "Ascension Day", N),
            (5, 10, "Cuti bersama Kenaikan Isa Almasih", "Collective leave, Ascension Day", C),
            (5, 23, "Hari Raya Waisak 2568 BE", "Vesak", N),
            (5, 24, "Cuti bersama Hari Raya Waisak", "Collective leave, Vesak", C),
            (6, 1, "Hari Lahir Pancasila", "Pancasila Day", N),
            (6, 17, "Hari Raya Idul Adha 1445 H", "Eid al-Adha", N),
            (6, 18, "Cuti bersama Idul Adha", "Collective leave, Eid al-Adha", C),
            (7, 7, "Tahun Baru Islam 1446 H", "Islamic New Year", N),
            (8, 17, "Hari Kemerdekaan Republik Indonesia", "Independence Day", N),
            (9, 16, "Maulid Nabi Muhammad SAW", "Prophet's Birthday", N),
            (12, 25, "Hari Raya Natal", "Christmas Day", N),
            (12, 26, "Cuti bersama Hari Raya Natal", "Collective leave, Christmas", C),
        ],
    ),
    *_rows(
        2025,
        SKB_2025,
        [
            (1, 1, "Tahun Baru 2025 Masehi", "New Year's Day", N),
            (1, 27, "Isra Mikraj Nabi Muhammad SAW", "Isra Mi'raj", N),
            (1, 28, "Cuti bersama Tahun Baru Imlek", "Collective leave, Chinese New Year", C),
            (1, 29, "Tahun Baru Imlek 2576 Kongzili", "Chinese New Year", N),
            (3, 28, "Cuti bersama Hari Suci Nyepi", "Collective leave, Nyepi", C),
            (3, 29, "Hari Suci Nyepi Tahun Baru Saka 1947", "Day of Silence (Nyepi)", N),
            (3, 31, "Hari Raya Idul Fitri 1446 H", "Eid al-Fitr", N),
            (4, 1, "Hari Raya Idul Fitri 1446 H", "Eid al-Fitr", N),
            (4, 2, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (4, 3, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (4, 4, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (4, 7, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (4, 18, "Wafat Isa Almasih", "Good Friday", N),
            (4, 20, "Hari Paskah", "Easter Sunday", N),
            (5, 1, "Hari Buruh Internasional", "International Labour Day", N),
            (5, 12, "Hari Raya Waisak 2569 BE", "Vesak", N),
            (5, 13, "Cuti bersama Hari Raya Waisak", "Collective leave, Vesak", C),
            (5, 29, "Kenaikan Isa Almasih", "Ascension Day", N),
            (5, 30, "Cuti bersama Kenaikan Isa Almasih", "Collective leave, Ascension Day", C),
            (6, 1, "Hari Lahir Pancasila", "Pancasila Day", N),
            (6, 6, "Hari Raya Idul Adha 1446 H", "Eid al-Adha", N),
            (6, 9, "Cuti bersama Idul Adha", "Collective leave, Eid al-Adha", C),
            (6, 27, "Tahun Baru Islam 1447 H", "Islamic New Year", N),
            (8, 17, "Hari Kemerdekaan Republik Indonesia", "Independence Day", N),
            (8, 18, "Cuti bersama Hari Kemerdekaan", "Collective leave, Independence Day", C),
            (9, 5, "Maulid Nabi Muhammad SAW", "Prophet's Birthday", N),
            (12, 25, "Hari Raya Natal", "Christmas Day", N),
            (12, 26, "Cuti bersama Hari Raya Natal", "Collective leave, Christmas", C),
        ],
    ),
    *_rows(
        2026,
        SKB_2026,
        [
            (1, 1, "Tahun Baru 2026 Masehi", "New Year's Day", N),
            (1, 16, "Isra Mikraj Nabi Muhammad SAW", "Isra Mi'raj", N),
            (2, 16, "Cuti bersama Tahun Baru Imlek", "Collective leave, Chinese New Year", C),
            (2, 17, "Tahun Baru Imlek 2577 Kongzili", "Chinese New Year", N),
            (3, 18, "Cuti bersama Hari Suci Nyepi", "Collective leave, Nyepi", C),
            (3, 19, "Hari Suci Nyepi Tahun Baru Saka 1948", "Day of Silence (Nyepi)", N),
            (3, 20, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (3, 21, "Hari Raya Idul Fitri 1447 H", "Eid al-Fitr", N),
            (3, 22, "Hari Raya Idul Fitri 1447 H", "Eid al-Fitr", N),
            (3, 23, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (3, 24, "Cuti bersama Idul Fitri", "Collective leave, Eid al-Fitr", C),
            (4, 3, "Wafat Yesus Kristus", "Good Friday", N),
            (4, 5, "Hari Paskah", "Easter Sunday", N),
            (5, 1, "Hari Buruh Internasional", "International Labour Day", N),
            (5, 14, "Kenaikan Yesus Kristus", "Ascension Day", N),
            (5, 15, "Cuti bersama Kenaikan Yesus Kristus", "Collective leave, Ascension Day", C),
            (5, 27, "Hari Raya Idul Adha 1447 H", "Eid al-Adha", N),
            (5, 28, "Cuti bersama Idul Adha", "Collective leave, Eid al-Adha", C),
            (5, 31, "Hari Raya Waisak 2570 BE", "Vesak", N),
            (6, 1, "Hari Lahir Pancasila", "Pancasila Day", N),
            (6, 16, "Tahun Baru Islam 1448 H", "Islamic New Year", N),
            (8, 17, "Hari Kemerdekaan Republik Indonesia", "Independence Day", N),
            (8, 25, "Maulid Nabi Muhammad SAW", "Prophet's Birthday", N),
            (12, 24, "Cuti bersama Hari Raya Natal", "Collective leave, Christmas", C),
            (12, 25, "Hari Raya Natal", "Christmas Day", N),
        ],
    ),
)


def default_holiday_dates(years: Collection[int] | None = None) -> frozenset[dt.date]:
    return frozenset(h.day for h in HOLIDAYS if years is None or h.day.year in years)


def is_working_day(
    day: dt.date, holidays: Collection[dt.date] = frozenset(), weekend: Collection[int] = WEEKEND
) -> bool:
    return day.weekday() not in weekend and day not in holidays


def next_working_day(
    day: dt.date, holidays: Collection[dt.date] = frozenset(), weekend: Collection[int] = WEEKEND
) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    for _ in range(MAX_WORKING_DAYS):
        if is_working_day(day, holidays, weekend):
            return day
        day += dt.timedelta(days=1)
    raise ValueError("no working day found (is every day a holiday?)")


def add_working_days(
    start: dt.date, days: int, holidays: Collection[dt.date] = frozenset(), weekend: Collection[int] = WEEKEND
) -> dt.date:
    """The `days`-th working day strictly after `start` (see the module docstring for zero)."""
    if days < 0:
        raise ValueError("days must be zero or more")
    if days > MAX_WORKING_DAYS:
        raise ValueError(f"days must be at most {MAX_WORKING_DAYS}")
    if len(weekend) >= 7:
        raise ValueError("a week needs at least one working day")
    if days == 0:
        return next_working_day(start, holidays, weekend)
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays, weekend):
            counted += 1
    return day


def working_days_between(
    start: dt.date,
    end: dt.date,
    holidays: Collection[dt.date] = frozenset(),
    weekend: Collection[int] = WEEKEND,
) -> int:
    """Working days in (start, end]; negative when end is before start (days overdue)."""
    if end < start:
        return -working_days_between(end, start, holidays, weekend)
    full_weeks, rest = divmod((end - start).days, 7)
    working_per_week = 7 - len(weekend)
    count = full_weeks * working_per_week
    day = start + dt.timedelta(days=full_weeks * 7)
    for _ in range(rest):
        day += dt.timedelta(days=1)
        if day.weekday() not in weekend:
            count += 1
    count -= sum(1 for h in set(holidays) if start < h <= end and h.weekday() not in weekend)
    return count
