"""Dates as Indonesian officials write them, parsed for a whole column at once (Polars).

Accepted: ISO `1985-08-07`; day first `07-08-1985`, `7/8/1985`, `07.08.85`; month names and their
abbreviations in Indonesian and English (`7 Agustus 1985`, `07-Agu-85`, `7 Agt 1985`, `7 Okt 1985`,
`7 Des 1985`, `7 Mei 1985`, `August 7, 1985`); compact `19850807`; Excel serial day numbers (a date
cell stored as a number, or a 5-digit number in a date column); a date-time with its time ignored.

Century rule for a two-digit year (`07/08/85`): 20yy when that year is not after the current year,
otherwise 19yy — the same rule as the NIK's own two-digit year (`rules.nik.resolve_century`).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

MONTHS: dict[int, tuple[str, ...]] = {
    1: ("januari", "january", "jan"),
    2: ("februari", "pebruari", "february", "feb", "peb"),
    3: ("maret", "march", "mar"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "june", "jun"),
    7: ("juli", "july", "jul"),
    8: ("agustus", "august", "agst", "agt", "agu", "ags", "aug"),
    9: ("september", "sept", "sep"),
    10: ("oktober", "october", "okt", "oct"),
    11: ("november", "nopember", "nov", "nop"),
    12: ("desember", "december", "des", "dec"),
}
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug before March 1900)


def parse_dates(raw: pl.Expr, *, numeric: pl.Expr | None, today: dt.date) -> tuple[pl.Expr, pl.Expr]:
    """(date or null, looks like a date): a null date that looks like a date does not exist (31-02)."""
    text = raw.fill_null("").str.strip_chars().str.to_lowercase()
    text = text.str.replace(r"(?:\s+|t)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?$", "")
    month_first = text.str.contains(r"^[a-z]")
    for number, names in MONTHS.items():
        text = text.str.replace_all(rf"\b(?:{'|'.join(names)})\b\.?", f"-{number:02d}-")
    text = text.str.replace_all(r"[\s,./\-]+", "-").str.strip_chars("-")
    # compact forms: yyyymmdd, ddmmyyyy, and dmmyyyy from a number cell that lost its leading zero
    text = (
        pl.when(text.str.contains(r"^(?:19|20)\d{6}$"))
        .then(
            pl.concat_str([text.str.slice(0, 4), text.str.slice(4, 2), text.str.slice(6, 2)], separator="-")
        )
        .when(text.str.contains(r"^\d{7,8}$"))
        .then(
            pl.concat_str(
                [
                    text.str.zfill(8).str.slice(0, 2),
                    text.str.zfill(8).str.slice(2, 2),
                    text.str.zfill(8).str.slice(4, 4),
                ],
                separator="-",
            )
        )
        .otherwise(text)
    )
    shaped = text.str.contains(r"^\d{1,4}-\d{1,2}-\d{1,4}$")
    parts = text.str.split("-")
    a, b, c = (parts.list.get(i, null_on_oob=True) for i in range(3))
    year_first = a.str.len_chars() == 4
    year_text = pl.when(year_first).then(a).otherwise(c)
    day_text = pl.when(year_first).then(c).when(month_first).then(b).otherwise(a)
    month_text = pl.when(year_first | ~month_first).then(b).otherwise(a)
    year = year_text.cast(pl.Int32, strict=False)
    short = year_text.str.len_chars() <= 2
    year = (
        pl.when(short & (2000 + year <= today.year))
        .then(2000 + year)
        .when(short)
        .then(1900 + year)
        .otherwise(year)
    )
    month = month_text.cast(pl.Int32, strict=False)
    day = day_text.cast(pl.Int32, strict=False)
    iso = pl.format(
        "{}-{}-{}",
        year.cast(pl.String).str.zfill(4),
        month.cast(pl.String).str.zfill(2),
        day.cast(pl.String).str.zfill(2),
    )
    plain_year = year_text.str.len_chars().is_in([2, 4])
    parsed = pl.when(shaped & plain_year).then(iso.str.to_date("%Y-%m-%d", strict=False))
    # Excel serial day numbers
    serial_text = raw.fill_null("").str.strip_chars().str.replace(r"[.,]0+$", "")
    is_serial = serial_text.str.contains(r"^\d{5}$")
    if numeric is not None:
        is_serial = is_serial | (numeric.fill_null(False) & serial_text.str.contains(r"^\d{1,5}$"))
    serial = serial_text.cast(pl.Int64, strict=False)
    serial_date = pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)
    value = (
        pl.when(is_serial & serial.is_between(61, 2_958_465))
        .then(serial_date)
        .otherwise(parsed.otherwise(pl.lit(None, dtype=pl.Date)))
    )
    return value, (shaped & plain_year) | is_serial
