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


def parse_date_column(
    frame: pl.DataFrame, col: str, *, numeric: str, today: dt.date, out: str
) -> pl.DataFrame:
    """Add `out` (the date or null) and `{out}_shaped` (it looks like a date: a null date that looks
    like one does not exist, e.g. 31-02). Each distinct text is parsed once (dates repeat), in stages
    so that every intermediate column is computed once, then joined back."""
    values = frame.select(pl.col(col), pl.col(numeric).fill_null(False).alias("_n")).unique()
    raw = pl.col(col).fill_null("")
    values = values.with_columns(
        raw.str.strip_chars()
        .str.to_lowercase()
        .str.replace(r"(?:\s+|t)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?$", "")
        .alias("_t")
    )
    values = values.with_columns(pl.col("_t").str.contains(r"^[a-z]").alias("_month_first"))
    words = pl.col("_t").str.contains(r"[a-z]")
    named = pl.col("_t")
    for number, names in MONTHS.items():
        named = named.str.replace_all(rf"(?-u:\b)(?:{'|'.join(names)})(?-u:\b)\.?", f"-{number:02d}-")
    values = values.with_columns(pl.when(words).then(named).otherwise(pl.col("_t")).alias("_t"))
    values = values.with_columns(
        pl.col("_t").str.replace_all(r"[\s,./\-]+", "-").str.strip_chars("-").alias("_t")
    )
    t = pl.col("_t")
    # compact forms: yyyymmdd, ddmmyyyy, and dmmyyyy from a number cell that lost its leading zero
    values = values.with_columns(
        pl.when(t.str.contains(r"^(?:19|20)\d{6}$"))
        .then(pl.concat_str([t.str.slice(0, 4), t.str.slice(4, 2), t.str.slice(6, 2)], separator="-"))
        .when(t.str.contains(r"^\d{7,8}$"))
        .then(
            pl.concat_str(
                [
                    t.str.zfill(8).str.slice(0, 2),
                    t.str.zfill(8).str.slice(2, 2),
                    t.str.zfill(8).str.slice(4, 4),
                ],
                separator="-",
            )
        )
        .otherwise(t)
        .alias("_t")
    )
    values = values.with_columns(
        pl.col("_t").str.contains(r"^\d{1,4}-\d{1,2}-\d{1,4}$").alias("_shaped"),
        pl.col("_t").str.split("-").alias("_parts"),
    )
    parts = pl.col("_parts")
    values = values.with_columns(
        parts.list.get(0, null_on_oob=True).alias("_a"),
        parts.list.get(1, null_on_oob=True).alias("_b"),
        parts.list.get(2, null_on_oob=True).alias("_c"),
    )
    a, b, c, month_first = pl.col("_a"), pl.col("_b"), pl.col("_c"), pl.col("_month_first")
    year_first = a.str.len_chars() == 4
    values = values.with_columns(
        pl.when(year_first).then(a).otherwise(c).alias("_y"),
        pl.when(year_first)
        .then(c)
        .when(month_first)
        .then(b)
        .otherwise(a)
        .cast(pl.Int32, strict=False)
        .alias("_d"),
        pl.when(year_first | ~month_first).then(b).otherwise(a).cast(pl.Int32, strict=False).alias("_m"),
    )
    y_text = pl.col("_y")
    year = y_text.cast(pl.Int32, strict=False)
    short = y_text.str.len_chars() <= 2
    year = (
        pl.when(short & (2000 + year <= today.year))
        .then(2000 + year)
        .when(short)
        .then(1900 + year)
        .otherwise(year)
    )
    shaped = pl.col("_shaped") & y_text.str.len_chars().is_in([2, 4])
    iso = pl.format(
        "{}-{}-{}",
        year.cast(pl.String).str.zfill(4),
        pl.col("_m").cast(pl.String).str.zfill(2),
        pl.col("_d").cast(pl.String).str.zfill(2),
    )
    serial_text = raw.str.strip_chars().str.replace(r"[.,]0+$", "")
    is_serial = serial_text.str.contains(r"^\d{5}$") | (pl.col("_n") & serial_text.str.contains(r"^\d{1,5}$"))
    serial = serial_text.cast(pl.Int64, strict=False)
    values = values.with_columns(
        pl.when(is_serial & serial.is_between(61, 2_958_465))
        .then(pl.lit(EXCEL_EPOCH) + pl.duration(days=serial))
        .when(shaped)
        .then(iso.str.to_date("%Y-%m-%d", strict=False))
        .otherwise(pl.lit(None, dtype=pl.Date))
        .alias(out),
        (shaped | is_serial).alias(f"{out}_shaped"),
    ).select(pl.col(col), pl.col("_n").alias(numeric), pl.col(out), pl.col(f"{out}_shaped"))
    frame = frame.with_columns(pl.col(numeric).fill_null(False))
    return frame.join(values, on=[col, numeric], how="left", nulls_equal=True, maintain_order="left")
