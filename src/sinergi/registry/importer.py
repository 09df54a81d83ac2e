# ruff: noqa: S608 - table and column names come from model _meta and constants; values are parameters
"""Import of worker and member lists (XLSX, CSV): read, validate every row with Polars, commit set-based.

Two steps. `validate` maps the columns (Indonesian names and common variants), checks every row with
vectorised expressions (NIK format, Kemendagri district, a real birth date, sex and birth date agreeing
with the NIK, phone, wage, duplicates within the file, one union per worker per company) and returns
the valid rows plus a report of every rejected row with its reasons. `commit` writes the valid rows in
ONE transaction: the rows go to a temporary table (PostgreSQL COPY, SQLite executemany), then one
INSERT … ON CONFLICT (nik) DO UPDATE upserts people — only rows whose values differ are touched, so a
re-import changes nothing, not even `updated_at` — and set-based INSERTs add memberships and
employments, then member counts are recomputed. Any failure rolls everything back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.core.errors import SinergiError
from sinergi.registry.normalize import name_keys, phone_expr
from sinergi.rules.nik import districts
from sinergi.rules.vulnerable import INCOME_THRESHOLD, low_income_reason, occupation_pattern

# canonical field -> (template header, accepted header variants after normalising: lower-case, letters+digits)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "nik": (
        "NIK",
        ("nik", "noktp", "nomorktp", "nonik", "nomornik", "nomorindukkependudukan", "ktp", "noktpnik"),
    ),
    "name": ("Nama", ("nama", "namalengkap", "name", "namapekerja", "namaanggota", "namasesuaiktp")),
    "birth_place": ("Tempat Lahir", ("tempatlahir", "tmplahir", "tmptlahir", "tempatlhr")),
    "birth_date": (
        "Tanggal Lahir",
        (
            "tanggallahir",
            "tgllahir",
            "tgllhr",
            "tanggallhr",
            "tgllahiryyyymmdd",
            "tanggallahiryyyymmdd",
            "birthdate",
        ),
    ),
    "sex": ("Jenis Kelamin", ("jeniskelamin", "jk", "kelamin", "lp", "sex", "gender")),
    "district": ("Kode Kecamatan", ("kodekecamatan", "kodekec", "kecamatankode", "kodewilayah", "domisili")),
    "address": ("Alamat", ("alamat", "alamatdomisili", "alamatrumah", "address")),
    "phone": (
        "No HP",
        ("nohp", "nomorhp", "hp", "telepon", "telp", "notelp", "notelepon", "nohandphone", "phone", "nowa"),
    ),
    "occupation": ("Pekerjaan", ("pekerjaan", "jenispekerjaan", "profesi", "occupation")),
    "employment_status": ("Status Pekerjaan", ("statuspekerjaan", "statuskerja", "status", "sektor")),
    "wage": ("Upah", ("upah", "gaji", "upahrp", "gajirp", "penghasilan", "upahbulanan", "wage")),
    "member_number": ("No Anggota", ("noanggota", "nomoranggota", "nokta", "kta", "nomorkta", "memberno")),
    "kk_number": ("No KK", ("nokk", "nomorkk", "nomorkartukeluarga", "kk")),
}
REQUIRED = ("nik", "name")
TEMPLATE_HEADERS = [v[0] for v in COLUMNS.values()]
TEXT_COLUMNS = list(COLUMNS)


class ImportFileError(SinergiError):
    """The file cannot be read at all: nothing is validated or written."""


@dataclass
class ValidationResult:
    total: int
    valid: pl.DataFrame
    rejected: pl.DataFrame  # columns: row, nik, name, reasons
    mapping: dict[str, str] = field(default_factory=dict)  # canonical -> header found
    ignored: list[str] = field(default_factory=list)


def _norm_header(text) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text or "").lower())


def max_bytes() -> int:
    return settings.SINERGI_MAX_UPLOAD_MB * 1024 * 1024


# --- reading -------------------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> pl.DataFrame:
    """The file's rows as strings, with `_row` (the row number a person sees in Excel) first."""
    if len(data) > max_bytes():
        raise ImportFileError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(len(data) / 1048576, 1), "limit": settings.SINERGI_MAX_UPLOAD_MB},
            code="file_too_large",
            field="file",
        )
    name = (filename or "").lower()
    if not data.strip():
        raise ImportFileError(_("The file is empty."), code="file_empty", field="file")
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt")):
        if data[:4] == b"PK\x03\x04":
            raise ImportFileError(
                _("This file is a spreadsheet saved with a .csv name; upload it as .xlsx."),
                code="file_type",
                field="file",
            )
        return _read_csv(data)
    if name.endswith(".xls"):
        raise ImportFileError(
            _("Old Excel files (.xls) are not supported: save it as .xlsx or CSV UTF-8 and upload again."),
            code="file_type",
            field="file",
        )
    raise ImportFileError(
        _("Upload an .xlsx or .csv file (this one is %(ext)s).")
        % {"ext": name.rsplit(".", 1)[-1] if "." in name else "?"},
        code="file_type",
        field="file",
    )


def _read_csv(data: bytes) -> pl.DataFrame:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        head = data[:65536].decode("utf-8", errors="strict") if len(data) <= 65536 else None
        if head is None:
            data.decode("utf-8", errors="strict")
            head = data[:65536].decode("utf-8", errors="ignore")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                'The CSV file is not UTF-8 text. In Excel choose "CSV UTF-8 (Comma delimited)" and save again.'
            ),
            code="file_encoding",
            field="file",
        )
    first_line = head.splitlines()[0] if head.splitlines() else ""
    separator = max((";", ",", "\t"), key=first_line.count)
    try:
        frame = pl.read_csv(
            io.BytesIO(data),
            separator=separator,
            infer_schema=False,
            has_header=True,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError, pl.exceptions.ShapeError) as exc:
        raise ImportFileError(
            _("The CSV file is broken (%(detail)s): check that every row has the same columns.")
            % {"detail": str(exc).splitlines()[0][:160]},
            code="file_broken",
            field="file",
        )
    return frame.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> pl.DataFrame:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = None
        body: list[list[str]] = []
        numbers: list[int] = []
        for index, row in enumerate(rows, start=1):
            cells = [_cell(v) for v in row]
            if header is None:
                if any(cells):
                    header = cells
                continue
            if any(cells):
                body.append(cells)
                numbers.append(index)
        wb.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, IndexError) as exc:
        raise ImportFileError(
            _("The spreadsheet cannot be opened (%(detail)s). Open it in Excel and save it as .xlsx again.")
            % {"detail": exc.__class__.__name__},
            code="file_broken",
            field="file",
        )
    if header is None:
        raise ImportFileError(_("The spreadsheet has no rows."), code="file_empty", field="file")
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    names, seen = [], set()
    for i, h in enumerate(header[:width]):
        h = h or f"column_{i + 1}"
        while h in seen:
            h += "_"
        seen.add(h)
        names.append(h)
    columns = {n: [(r[i] if i < len(r) else "") for r in body] for i, n in enumerate(names)}
    frame = pl.DataFrame(columns, schema={n: pl.String for n in names})
    return frame.with_columns(pl.Series("_row", numbers, dtype=pl.Int64)).select(["_row", *names])


def map_columns(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, str], list[str]]:
    """Rename recognised headers to canonical names; add missing optional columns as blanks."""
    lookup = {variant: key for key, (_label, variants) in COLUMNS.items() for variant in variants}
    mapping: dict[str, str] = {}
    ignored: list[str] = []
    for col in frame.columns:
        if col == "_row":
            continue
        key = lookup.get(_norm_header(col))
        if key and key not in mapping:
            mapping[key] = col
        else:
            ignored.append(col)
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in mapping]
    if missing:
        raise ImportFileError(
            _("Required column(s) missing: %(cols)s. Download the template to see the column names.")
            % {"cols": ", ".join(missing)},
            code="missing_columns",
            field="file",
        )
    out = frame.select(
        pl.col("_row"),
        *[pl.col(src).cast(pl.String).alias(key) for key, src in mapping.items()],
        *[pl.lit("", dtype=pl.String).alias(key) for key in COLUMNS if key not in mapping],
    )
    if out.height == 0:
        raise ImportFileError(_("The file has a header but no rows."), code="file_empty", field="file")
    return out, mapping, ignored


# --- validation ----------------------------------------------------------------------------------


def _msg(language: str, id_text: str, en_text: str) -> str:
    return id_text if (language or "id").startswith("id") else en_text


def _district_series() -> pl.Series:
    return pl.Series("code", sorted(districts()), dtype=pl.String)


def validate(
    frame: pl.DataFrame, *, body=None, today: dt.date | None = None, language: str = "id"
) -> ValidationResult:
    """Check every row; vectorised over the whole frame."""
    today = today or clock.today()
    frame, mapping, ignored = map_columns(frame)
    L = language  # noqa: N806
    codes = _district_series()
    s = {k: pl.col(k).fill_null("").str.strip_chars() for k in COLUMNS}
    nik = s["nik"].str.replace_all(r"[\s.'`-]", "")
    df = frame.with_columns(nik.alias("nik"))
    nik_ok = pl.col("nik").str.contains(r"^\d{16}$")
    dd = pl.col("nik").str.slice(6, 2).cast(pl.Int32, strict=False)
    mm = pl.col("nik").str.slice(8, 2).cast(pl.Int32, strict=False)
    yy = pl.col("nik").str.slice(10, 2).cast(pl.Int32, strict=False)
    day = pl.when(dd > 40).then(dd - 40).otherwise(dd)

    # the birth date column, in the formats people type
    bd_raw = s["birth_date"]
    bd = pl.coalesce(
        bd_raw.str.to_date("%Y-%m-%d", strict=False),
        bd_raw.str.to_date("%d-%m-%Y", strict=False),
        bd_raw.str.to_date("%d/%m/%Y", strict=False),
        bd_raw.str.to_date("%d.%m.%Y", strict=False),
        bd_raw.str.to_date("%Y/%m/%d", strict=False),
    )
    df = df.with_columns(
        bd.alias("_bd"),
        dd.alias("_dd"),
        mm.alias("_mm"),
        yy.alias("_yy"),
        day.alias("_day"),
        pl.when(dd > 40).then(pl.lit("F")).otherwise(pl.lit("M")).alias("_nik_sex"),
    )
    hint = pl.col("_bd").dt.year()
    year = (
        pl.when(hint.is_not_null() & ((hint % 100) == pl.col("_yy")))
        .then(hint)
        .when((2000 + pl.col("_yy")) <= today.year)
        .then(2000 + pl.col("_yy"))
        .otherwise(1900 + pl.col("_yy"))
    )
    df = df.with_columns(year.alias("_year"))
    nik_date_text = pl.format(
        "{}-{}-{}",
        pl.col("_year").cast(pl.String),
        pl.col("_mm").cast(pl.String).str.zfill(2),
        pl.col("_day").cast(pl.String).str.zfill(2),
    )
    df = df.with_columns(nik_date_text.str.to_date("%Y-%m-%d", strict=False).alias("_nik_date"))
    day_ok = pl.col("_dd").is_between(1, 31) | pl.col("_dd").is_between(41, 71)
    month_ok = pl.col("_mm").is_between(1, 12)
    shown_date = pl.format(
        "{}-{}-{}",
        pl.col("_day").cast(pl.String).str.zfill(2),
        pl.col("_mm").cast(pl.String).str.zfill(2),
        pl.col("_year").cast(pl.String),
    )

    sex_raw = s["sex"].str.to_uppercase().str.replace_all(r"[^A-Z]", "")
    sex = (
        pl.when(sex_raw.is_in(["L", "LK", "LAKILAKI", "M", "PRIA", "MALE"]))
        .then(pl.lit("M"))
        .when(sex_raw.is_in(["P", "PR", "PEREMPUAN", "F", "W", "WANITA", "FEMALE"]))
        .then(pl.lit("F"))
        .when(sex_raw == "")
        .then(pl.lit(""))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    district = s["district"].str.replace_all(r"[.\s]", "")
    wage_raw = (
        s["wage"].str.replace_all(r"(?i)rp|\s", "").str.replace(r"[.,]00$", "").str.replace_all(r"[.,]", "")
    )
    status_raw = s["employment_status"].str.to_lowercase()
    status = (
        pl.when(status_raw.is_in(["formal", "pekerja formal", "penerima upah", "pu", "ppu"]))
        .then(pl.lit("formal"))
        .when(status_raw.is_in(["informal", "pekerja informal", "bukan penerima upah", "bpu"]))
        .then(pl.lit("informal"))
        .when(status_raw.is_in(["tidak bekerja", "none", "-"]))
        .then(pl.lit("none"))
        .when(status_raw == "")
        .then(pl.lit(""))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    df = df.with_columns(
        sex.alias("_sex"),
        district.alias("_district"),
        phone_expr(s["phone"]).alias("_phone"),
        wage_raw.alias("_wage_raw"),
        wage_raw.cast(pl.Int64, strict=False).alias("_wage"),
        status.alias("_status"),
        s["kk_number"].str.replace_all(r"[\s.'`-]", "").alias("_kk"),
    )

    def E(cond, id_text, en_text):  # noqa: N802 - a check: (condition for rejection, message)
        text = id_text if L.startswith("id") else en_text
        return cond, pl.lit(text) if isinstance(text, str) else text

    valid_nik_parts = nik_ok & day_ok & month_ok
    checks = [
        E(
            ~nik_ok,
            pl.format("NIK harus tepat 16 digit (terisi: '{}').", pl.col("nik")),
            pl.format("NIK must be exactly 16 digits (got '{}').", pl.col("nik")),
        ),
        E(
            nik_ok & ~pl.col("nik").str.slice(0, 6).is_in(codes),
            pl.format(
                "NIK: kode kecamatan {} tidak ada dalam daftar Kemendagri.", pl.col("nik").str.slice(0, 6)
            ),
            pl.format("NIK: district code {} is not in the Kemendagri list.", pl.col("nik").str.slice(0, 6)),
        ),
        E(
            nik_ok & ~day_ok,
            pl.format(
                "NIK: tanggal {} tidak mungkin (01-31 laki-laki, 41-71 perempuan).",
                pl.col("nik").str.slice(6, 2),
            ),
            pl.format("NIK: day {} is impossible (01-31 men, 41-71 women).", pl.col("nik").str.slice(6, 2)),
        ),
        E(
            nik_ok & ~month_ok,
            pl.format("NIK: bulan {} bukan 01-12.", pl.col("nik").str.slice(8, 2)),
            pl.format("NIK: month {} is not 01-12.", pl.col("nik").str.slice(8, 2)),
        ),
        E(
            valid_nik_parts & pl.col("_nik_date").is_null(),
            pl.format("NIK: tanggal lahir {} tidak valid.", shown_date),
            pl.format("NIK: birth date {} is not a real date.", shown_date),
        ),
        E(
            valid_nik_parts & (pl.col("_nik_date") > pl.lit(today)),
            pl.format("NIK: tanggal lahir {} ada di masa depan.", shown_date),
            pl.format("NIK: birth date {} is in the future.", shown_date),
        ),
        E(
            nik_ok & (pl.col("nik").str.slice(12, 4) == "0000"),
            "NIK: nomor urut (4 digit terakhir) tidak boleh 0000.",
            "NIK: the serial number (last 4 digits) cannot be 0000.",
        ),
        E(s["name"] == "", "Nama wajib diisi.", "Name is required."),
        E(
            (bd_raw != "") & pl.col("_bd").is_null(),
            pl.format("Tanggal lahir '{}' tidak dikenali (pakai YYYY-MM-DD).", bd_raw),
            pl.format("Birth date '{}' is not a date (use YYYY-MM-DD).", bd_raw),
        ),
        E(
            pl.col("_bd").is_not_null()
            & pl.col("_nik_date").is_not_null()
            & (pl.col("_bd") != pl.col("_nik_date")),
            pl.format(
                "NIK berisi tanggal lahir {} tetapi yang diisi {}.",
                pl.col("_nik_date").dt.strftime("%d-%m-%Y"),
                pl.col("_bd").dt.strftime("%d-%m-%Y"),
            ),
            pl.format(
                "NIK encodes birth date {} but {} was entered.",
                pl.col("_nik_date").dt.strftime("%d-%m-%Y"),
                pl.col("_bd").dt.strftime("%d-%m-%Y"),
            ),
        ),
        E(
            pl.col("_sex").is_null(),
            pl.format("Jenis kelamin '{}' tidak dikenali (L atau P).", s["sex"]),
            pl.format("Sex '{}' is not recognised (L or P).", s["sex"]),
        ),
        E(
            valid_nik_parts & (pl.col("_sex") != "") & (pl.col("_sex") != pl.col("_nik_sex")),
            pl.format(
                "NIK berisi jenis kelamin {} tetapi yang diisi {}.",
                pl.when(pl.col("_nik_sex") == "F").then(pl.lit("perempuan")).otherwise(pl.lit("laki-laki")),
                pl.when(pl.col("_sex") == "F").then(pl.lit("perempuan")).otherwise(pl.lit("laki-laki")),
            ),
            pl.format(
                "NIK encodes sex {} but {} was entered.",
                pl.when(pl.col("_nik_sex") == "F").then(pl.lit("female")).otherwise(pl.lit("male")),
                pl.when(pl.col("_sex") == "F").then(pl.lit("female")).otherwise(pl.lit("male")),
            ),
        ),
        E(
            (pl.col("_district") != "") & ~pl.col("_district").is_in(codes),
            pl.format("Kode kecamatan '{}' tidak ada dalam daftar Kemendagri (6 digit).", s["district"]),
            pl.format("District code '{}' is not in the Kemendagri list (6 digits).", s["district"]),
        ),
        E(
            pl.col("_phone").is_null(),
            pl.format("No HP '{}' bukan nomor Indonesia.", s["phone"]),
            pl.format("Phone '{}' is not an Indonesian number.", s["phone"]),
        ),
        E(
            (pl.col("_wage_raw") != "") & (pl.col("_wage").is_null() | (pl.col("_wage") < 0)),
            pl.format("Upah '{}' bukan angka rupiah bulat.", s["wage"]),
            pl.format("Wage '{}' is not a whole rupiah amount.", s["wage"]),
        ),
        E(
            pl.col("_status").is_null(),
            pl.format("Status pekerjaan '{}' tidak dikenali (formal/informal).", s["employment_status"]),
            pl.format("Employment status '{}' is not recognised (formal/informal).", s["employment_status"]),
        ),
        E(
            (pl.col("_kk") != "") & ~pl.col("_kk").str.contains(r"^\d{16}$"),
            "No KK harus 16 digit.",
            "KK number must be 16 digits.",
        ),
        E(
            s["name"].str.len_chars() > 200,
            "Nama terlalu panjang (maks. 200).",
            "Name is too long (max 200).",
        ),
        E(
            s["member_number"].str.len_chars() > 40,
            "No anggota terlalu panjang (maks. 40).",
            "Member number is too long (max 40).",
        ),
        E(
            s["address"].str.len_chars() > 300,
            "Alamat terlalu panjang (maks. 300).",
            "Address is too long (max 300).",
        ),
        E(
            s["occupation"].str.len_chars() > 120,
            "Pekerjaan terlalu panjang (maks. 120).",
            "Occupation is too long (max 120).",
        ),
        E(
            s["birth_place"].str.len_chars() > 100,
            "Tempat lahir terlalu panjang (maks. 100).",
            "Birth place is too long (max 100).",
        ),
    ]
    # duplicates within the file: every occurrence of a repeated NIK / member number is rejected
    df = df.with_columns(
        pl.col("_row").min().over("nik").alias("_nik_first"),
        pl.len().over("nik").alias("_nik_n"),
        pl.when(s["member_number"] != "")
        .then(pl.len().over(s["member_number"]))
        .otherwise(1)
        .alias("_mno_n"),
    )
    checks.append(
        E(
            nik_ok & (pl.col("_nik_n") > 1),
            pl.format(
                "NIK muncul {} kali dalam berkas (pertama di baris {}).",
                pl.col("_nik_n"),
                pl.col("_nik_first"),
            ),
            pl.format(
                "NIK appears {} times in the file (first in row {}).", pl.col("_nik_n"), pl.col("_nik_first")
            ),
        )
    )
    if body is not None:  # member numbers matter only when the rows become members of a body
        checks.append(
            E(
                pl.col("_mno_n") > 1,
                pl.format("No anggota {} dipakai lebih dari sekali dalam berkas.", s["member_number"]),
                pl.format("Member number {} is used more than once in the file.", s["member_number"]),
            )
        )
    if body is not None and body.employer_id:
        from sinergi.unions.models import Membership

        taken = list(
            Membership.objects.filter(employer_id=body.employer_id, status=Membership.Status.ACTIVE)
            .exclude(body=body)
            .values_list("person__nik", flat=True)
        )
        if taken:
            checks.append(
                E(
                    pl.col("nik").is_in(pl.Series(taken, dtype=pl.String)),
                    "Sudah anggota serikat lain di perusahaan ini (UU 21/2000 Pasal 14).",
                    "Already a member of another union at this company (UU 21/2000 Art. 14).",
                )
            )
    # flags first (cheap, every row); messages only for the rejected rows
    df = df.with_columns(pl.any_horizontal([c.fill_null(False) for c, _m in checks]).alias("_bad"))
    bad_rows = (
        df.filter(pl.col("_bad"))
        .rechunk()
        .with_columns(
            pl.concat_list(
                [
                    pl.when(c.fill_null(False)).then(m).otherwise(pl.lit(None, dtype=pl.String))
                    for c, m in checks
                ]
            )
            .list.drop_nulls()
            .alias("_errors")
        )
    )
    rejected = bad_rows.select(
        pl.col("_row").alias("row"),
        pl.col("nik"),
        s["name"].alias("name"),
        pl.col("_errors").list.join("; ").alias("reasons"),
    )
    bad = pl.col("_bad")
    good = df.filter(~bad)
    valid = _shape_valid(good, today)
    return ValidationResult(total=df.height, valid=valid, rejected=rejected, mapping=mapping, ignored=ignored)


def _shape_valid(good: pl.DataFrame, today: dt.date) -> pl.DataFrame:
    """The columns written to the staging table, with vulnerability computed from the rule tables."""
    s = {k: pl.col(k).fill_null("").str.strip_chars() for k in COLUMNS}
    status = pl.col("_status")
    informal = status == "informal"
    income = pl.when(informal).then(pl.col("_wage")).otherwise(pl.lit(None, dtype=pl.Int64))
    occ = s["occupation"].str.to_lowercase()
    pattern, labels = occupation_pattern(today)
    good = good.with_columns(
        occ.str.extract(pattern, 1)
        .replace_strict(labels, default=None, return_dtype=pl.String)
        .alias("_listed")
    )
    listed = pl.col("_listed")
    threshold = int(INCOME_THRESHOLD.value_at(today))
    low_income = income.is_not_null() & (income <= threshold)
    reason = (
        pl.when(informal & listed.is_not_null())
        .then(pl.lit("pekerjaan tercantum: ") + listed)
        .when(informal & low_income)
        .then(pl.lit(low_income_reason(threshold)))
        .otherwise(pl.lit(""))
    )
    return good.select(
        pl.col("_row").alias("row"),
        pl.col("nik"),
        pl.col("_kk").alias("kk_number"),
        s["name"].alias("name"),
        s["birth_place"].alias("birth_place"),
        pl.col("_nik_date").alias("birth_date"),
        pl.col("_nik_sex").alias("sex"),
        pl.when(pl.col("_district") != "")
        .then(pl.col("_district"))
        .otherwise(pl.col("nik").str.slice(0, 6))
        .alias("region"),
        s["address"].alias("address"),
        pl.col("_phone").alias("phone"),
        s["occupation"].alias("occupation"),
        status.alias("employment_type"),
        income.alias("declared_income"),
        pl.when(status == "formal")
        .then(pl.col("_wage"))
        .otherwise(pl.lit(None, dtype=pl.Int64))
        .alias("wage"),
        (reason != "").alias("is_vulnerable"),
        reason.alias("vulnerable_reason"),
        s["member_number"].alias("member_number"),
    ).with_columns(
        name_keys(good["name"].fill_null("").str.strip_chars()).str.slice(0, 200).alias("name_key")
    )


# --- commit --------------------------------------------------------------------------------------

STAGE = "registry_import_stage"
STAGE_COLUMNS = [
    ("nik", "varchar(16)"),
    ("kk_number", "varchar(16)"),
    ("name", "varchar(200)"),
    ("name_key", "varchar(200)"),
    ("birth_place", "varchar(100)"),
    ("birth_date", "date"),
    ("sex", "varchar(1)"),
    ("region", "varchar(13)"),
    ("address", "varchar(300)"),
    ("phone", "varchar(20)"),
    ("occupation", "varchar(120)"),
    ("employment_type", "varchar(10)"),
    ("declared_income", "numeric(18,0)"),
    ("wage", "numeric(18,0)"),
    ("is_vulnerable", "boolean"),
    ("vulnerable_reason", "varchar(200)"),
    ("member_number", "varchar(40)"),
]
_TEXT_STAGE = [c for c, t in STAGE_COLUMNS if t.startswith("varchar")]


def _fill_stage(cursor, valid: pl.DataFrame):
    names = [c for c, _t in STAGE_COLUMNS]
    frame = valid.select(names).with_columns([pl.col(c).fill_null("") for c in _TEXT_STAGE])
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cols_sql = ", ".join(f"{c} {t}" for c, t in STAGE_COLUMNS)
    if connection.vendor == "postgresql":
        cursor.execute(f"CREATE TEMP TABLE {STAGE} ({cols_sql})")
        raw = cursor.cursor
        force = ", ".join(_TEXT_STAGE)
        with raw.copy(
            f"COPY {STAGE} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({force}))"
        ) as copy:
            for start in range(0, frame.height, 200_000):
                copy.write(
                    frame.slice(start, 200_000).write_csv(include_header=False, quote_style="necessary")
                )
    else:
        cursor.execute(f"CREATE TEMP TABLE {STAGE} ({cols_sql}, PRIMARY KEY (nik))")
        placeholders = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {STAGE} ({', '.join(names)}) VALUES ({placeholders})"
        frame = frame.with_columns(pl.col("birth_date").cast(pl.String))
        for start in range(0, frame.height, 50_000):
            cursor.executemany(sql, frame.slice(start, 50_000).rows())
    if connection.vendor == "postgresql":
        cursor.execute(f"CREATE UNIQUE INDEX ON {STAGE} (nik)")
        cursor.execute(f"ANALYZE {STAGE}")


def _distinct(a: str, b: str) -> str:
    return f"({a} IS DISTINCT FROM {b})" if connection.vendor == "postgresql" else f"({a} IS NOT {b})"


@dataclass
class CommitResult:
    rows: int
    people_created: int
    people_updated: int
    memberships_created: int = 0
    memberships_updated: int = 0
    employments_created: int = 0
    employments_updated: int = 0

    def as_dict(self):
        return dict(self.__dict__)


def commit(
    valid: pl.DataFrame,
    *,
    body=None,
    actor=None,
    filename: str = "",
    progress=None,
    timings: dict | None = None,
) -> CommitResult:
    """Write the valid rows in one transaction (see module docstring). Raises on any failure.

    `timings`, when given, receives the seconds each step took (for benchmarks)."""
    import time

    lap_start = [time.perf_counter()]

    def lap(name):
        if timings is not None:
            now_ = time.perf_counter()
            timings[name] = round(now_ - lap_start[0], 3)
            lap_start[0] = now_

    from sinergi.registry.models import Employment, Person
    from sinergi.unions.models import Membership
    from sinergi.unions.services import member_counts_recompute

    person_t, member_t, employment_t = (
        Person._meta.db_table,
        Membership._meta.db_table,
        Employment._meta.db_table,
    )
    now = clock.now()
    today = clock.today()
    if connection.vendor == "sqlite":
        now_param = now.isoformat(sep=" ")
        today_param = today.isoformat()
    else:
        now_param, today_param = now, today
    p = person_t
    # new value for each updated column: blanks in the file never erase what is stored
    keep_blank = lambda col: f"CASE WHEN excluded.{col} <> '' THEN excluded.{col} ELSE {p}.{col} END"  # noqa: E731
    new_values = {
        "name": "excluded.name",
        "name_key": "excluded.name_key",
        "kk_number": keep_blank("kk_number"),
        "birth_place": keep_blank("birth_place"),
        "birth_date": "excluded.birth_date",
        "sex": "excluded.sex",
        "domicile_region_id": "excluded.domicile_region_id",
        "address": keep_blank("address"),
        "phone": keep_blank("phone"),
        "occupation": keep_blank("occupation"),
        "employment_type": f"CASE WHEN s_type.v <> '' THEN excluded.employment_type ELSE {p}.employment_type END",
        "declared_income": f"COALESCE(excluded.declared_income, {p}.declared_income)",
        "is_vulnerable": f"CASE WHEN excluded.vulnerable_reason <> '' OR s_type.v <> '' THEN excluded.is_vulnerable ELSE {p}.is_vulnerable END",
        "vulnerable_reason": f"CASE WHEN excluded.vulnerable_reason <> '' OR s_type.v <> '' THEN excluded.vulnerable_reason ELSE {p}.vulnerable_reason END",
    }
    # employment_type '' in the file means "not given": the insert defaults to formal, updates keep the old
    has_type = valid.height and valid["employment_type"].ne("").any()
    type_given = "'x'" if has_type else "''"
    new_values = {k: v.replace("s_type.v", type_given) for k, v in new_values.items()}
    set_sql = ", ".join(f"{k} = {v}" for k, v in new_values.items())
    changed = " OR ".join(_distinct(f"{p}.{k}", v) for k, v in new_values.items())
    insert_cols = (
        "nik, kk_number, name, name_key, birth_place, birth_date, sex, domicile_region_id, address, phone, "
        "occupation, employment_type, informal_sector, declared_income, is_vulnerable, vulnerable_reason, "
        "welfare_decile, is_deceased, death_date, merged_into_id, created_at, updated_at"
    )
    upsert = (
        f"INSERT INTO {p} ({insert_cols}) "
        f"SELECT s.nik, s.kk_number, s.name, s.name_key, s.birth_place, s.birth_date, s.sex, s.region, s.address, "
        f"s.phone, s.occupation, CASE WHEN s.employment_type = '' THEN 'formal' ELSE s.employment_type END, '', "
        f"s.declared_income, s.is_vulnerable, s.vulnerable_reason, NULL, %s, NULL, NULL, %s, %s "
        f"FROM {STAGE} s WHERE true "
        f"ON CONFLICT (nik) DO UPDATE SET {set_sql}, updated_at = excluded.updated_at WHERE {changed}"
    )
    result = CommitResult(rows=valid.height, people_created=0, people_updated=0)
    with transaction.atomic():
        with connection.cursor() as cursor:
            _fill_stage(cursor, valid)
            lap("stage")
            if progress:
                progress.message(_("Rows staged; writing people …"))
            cursor.execute(f"SELECT COUNT(*) FROM {STAGE} s JOIN {p} ON {p}.nik = s.nik")
            existing = cursor.fetchone()[0]
            cursor.execute(upsert, [False, now_param, now_param])
            touched = cursor.rowcount
            result.people_created = valid.height - existing
            result.people_updated = max(0, touched - result.people_created)
            lap("people upsert")
            if body is not None:
                employer_id = body.employer_id
                cursor.execute(
                    f"INSERT INTO {member_t} (person_id, body_id, employer_id, member_number, joined_on, left_on, "
                    f"status, verified, verified_on, created_at, updated_at) "
                    f"SELECT p.id, %s, %s, s.member_number, %s, NULL, 'active', %s, %s, %s, %s "
                    f"FROM {STAGE} s JOIN {p} p ON p.nik = s.nik "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {member_t} m WHERE m.person_id = p.id AND m.body_id = %s "
                    f"AND m.status = 'active')",
                    [body.pk, employer_id, today_param, True, today_param, now_param, now_param, body.pk],
                )
                result.memberships_created = cursor.rowcount
                lap("memberships insert")
                cursor.execute(
                    f"UPDATE {member_t} AS m SET member_number = s.member_number, updated_at = %s "
                    f"FROM {STAGE} s JOIN {p} p ON p.nik = s.nik "
                    f"WHERE m.person_id = p.id AND m.body_id = %s AND m.status = 'active' "
                    f"AND s.member_number <> '' AND s.member_number <> m.member_number",
                    [now_param, body.pk],
                )
                result.memberships_updated = cursor.rowcount
                lap("memberships update")
                if employer_id:
                    cursor.execute(
                        f"INSERT INTO {employment_t} (person_id, employer_id, start_date, end_date, wage, "
                        f"work_region_id, created_at, updated_at) "
                        f"SELECT p.id, %s, %s, NULL, s.wage, NULL, %s, %s FROM {STAGE} s JOIN {p} p ON p.nik = s.nik "
                        f"WHERE s.employment_type = 'formal' AND NOT EXISTS (SELECT 1 FROM {employment_t} e "
                        f"WHERE e.person_id = p.id AND e.employer_id = %s AND e.end_date IS NULL)",
                        [employer_id, today_param, now_param, now_param, employer_id],
                    )
                    result.employments_created = cursor.rowcount
                    cursor.execute(
                        f"UPDATE {employment_t} AS e SET wage = s.wage, updated_at = %s "
                        f"FROM {STAGE} s JOIN {p} p ON p.nik = s.nik "
                        f"WHERE e.person_id = p.id AND e.employer_id = %s AND e.end_date IS NULL "
                        f"AND s.wage IS NOT NULL AND {_distinct('s.wage', 'e.wage')}",
                        [now_param, employer_id],
                    )
                    result.employments_updated = cursor.rowcount
                    lap("employments")
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        if body is not None:
            member_counts_recompute(body_ids=[body.pk])
            lap("member counts")
        if any(v for k, v in result.as_dict().items() if k != "rows"):  # a no-op re-import writes nothing
            audit_record(
                actor=actor,
                action="import",
                object_type="registry.person",
                object_id=str(body.pk) if body is not None else "",
                object_repr=(f"{filename} → {body}" if body is not None else filename)[:300],
                changes=result.as_dict(),
            )
    return result


# --- report and template -------------------------------------------------------------------------


def report_xlsx(rejected: pl.DataFrame, *, language: str = "id") -> bytes:
    from sinergi.core.exports import xlsx_bytes

    headers = (
        ["Baris", "NIK", "Nama", "Alasan ditolak"]
        if language.startswith("id")
        else ["Row", "NIK", "Name", "Why rejected"]
    )
    return xlsx_bytes(
        headers, rejected.select("row", "nik", "name", "reasons").iter_rows(), sheet_title="Ditolak"
    )


EXAMPLE_ROW = [
    "3172055203900001",
    "Contoh Nama Pekerja",
    "Jakarta",
    "1990-03-12",
    "P",
    "317205",
    "Jl. Contoh No. 1",
    "081234567890",
    "Operator Mesin",
    "formal",
    "5500000",
    "FSPMI-0000001",
    "",
]


def template_xlsx() -> bytes:
    from sinergi.core.exports import xlsx_bytes

    return xlsx_bytes(TEMPLATE_HEADERS, [EXAMPLE_ROW], sheet_title="Anggota")


def template_csv() -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerow(EXAMPLE_ROW)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
