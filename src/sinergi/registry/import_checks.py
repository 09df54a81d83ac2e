"""The member-list checks, one named function each, vectorised over the whole file (Polars).

A check returns `(condition, message)` pairs: the condition marks the rows it rejects, the message (an
expression, so it can show the row's own value) says why in the officer's words. Messages are gettext
strings rendered in the job's language (`message`). NIK rules come from `rules.nik` — the same rules
the single-record form and the API use.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.roles import can
from sinergi.core.money import MAX_RUPIAH
from sinergi.core.tables import NUMBER_MARK, ImportFileError
from sinergi.registry.import_dates import parse_date_column
from sinergi.registry.normalize import phone_expr
from sinergi.registry.selectors import employer_list
from sinergi.rules.nik import districts, nik_frame
from sinergi.unions.models import Membership


@dataclass(frozen=True)
class Field:
    label: object  # lazy gettext
    template: str  # the header in our template ("" = not in the template)
    synonyms: tuple[str, ...]  # normalised: lower-case letters and digits only
    stored: bool = True


# Every field officials use, with the headers they write for it (Indonesian and English).
FIELDS: dict[str, Field] = {
    "nik": Field(
        gettext_lazy("NIK"),
        "NIK",
        (
            "nik",
            "noktp",
            "nomorktp",
            "nonik",
            "nomornik",
            "nomorindukkependudukan",
            "noindukkependudukan",
            "ktp",
            "noktpnik",
            "niknoktp",
            "nikktp",
            "nomorinduk",
            "idnumber",
            "nationalid",
        ),
    ),
    "name": Field(
        gettext_lazy("Name"),
        "Nama",
        (
            "nama",
            "namalengkap",
            "name",
            "fullname",
            "namapekerja",
            "namaanggota",
            "namasesuaiktp",
            "namakaryawan",
            "namabersangkutan",
        ),
    ),
    "birth_place": Field(
        gettext_lazy("Birth place"),
        "Tempat Lahir",
        ("tempatlahir", "tmplahir", "tmptlahir", "tempatlhr", "tptlahir", "birthplace", "placeofbirth"),
    ),
    "birth_date": Field(
        gettext_lazy("Birth date"),
        "Tanggal Lahir",
        (
            "tanggallahir",
            "tgllahir",
            "tgllhr",
            "tanggallhr",
            "tgllahiryyyymmdd",
            "tanggallahiryyyymmdd",
            "birthdate",
            "dateofbirth",
            "dob",
            "tgllahirddmmyyyy",
            "tanggallahirddmmyyyy",
        ),
    ),
    "sex": Field(
        gettext_lazy("Sex"),
        "Jenis Kelamin",
        ("jeniskelamin", "jk", "kelamin", "lp", "sex", "gender", "jeniskelaminlp", "jklp"),
    ),
    "district": Field(
        gettext_lazy("District code"),
        "Kode Kecamatan",
        ("kodekecamatan", "kodekec", "kecamatankode", "kodewilayah", "domisili", "districtcode"),
    ),
    "address": Field(
        gettext_lazy("Address"),
        "Alamat",
        ("alamat", "alamatdomisili", "alamatrumah", "address", "alamatlengkap", "alamatsesuaiktp", "jalan"),
    ),
    "rt_rw": Field(gettext_lazy("RT/RW"), "", ("rtrw", "rtw")),
    "rt": Field(gettext_lazy("RT"), "", ("rt",)),
    "rw": Field(gettext_lazy("RW"), "", ("rw",)),
    "village": Field(
        gettext_lazy("Village (kelurahan/desa)"),
        "",
        ("kelurahan", "kel", "desa", "kelurahandesa", "desakelurahan", "keldesa", "village"),
    ),
    "district_name": Field(
        gettext_lazy("District (kecamatan) name"), "", ("kecamatan", "kec", "namakecamatan", "subdistrict")
    ),
    "city": Field(
        gettext_lazy("Regency/city"),
        "",
        ("kabupatenkota", "kabkota", "kota", "kabupaten", "kotakabupaten", "city", "regency"),
    ),
    "phone": Field(
        gettext_lazy("Phone"),
        "No HP",
        (
            "nohp",
            "nomorhp",
            "hp",
            "telepon",
            "telp",
            "notelp",
            "notelepon",
            "nohandphone",
            "phone",
            "nowa",
            "nohpwa",
            "hpwa",
            "nowahp",
            "nomorhpwa",
            "wa",
            "whatsapp",
            "nowhatsapp",
            "nomorwa",
            "telpon",
            "notelpon",
            "nomortelepon",
            "handphone",
            "nomorhandphone",
            "mobile",
            "phonenumber",
            "notlp",
            "kontak",
            "nokontak",
            "telphp",
            "tlp",
            "notlphp",
        ),
    ),
    "occupation": Field(
        gettext_lazy("Occupation"),
        "Pekerjaan",
        ("pekerjaan", "jenispekerjaan", "profesi", "occupation", "job"),
    ),
    "position": Field(
        gettext_lazy("Department/position (stored as occupation when there is none)"),
        "",
        (
            "bagian",
            "jabatan",
            "divisi",
            "departemen",
            "department",
            "position",
            "unitkerja",
            "bagianjabatan",
            "jabatanbagian",
            "seksi",
        ),
    ),
    "employment_status": Field(
        gettext_lazy("Employment status"),
        "Status Pekerjaan",
        ("statuspekerjaan", "statuskerja", "status", "sektor", "employmentstatus"),
    ),
    "wage": Field(
        gettext_lazy("Wage"),
        "Upah",
        ("upah", "gaji", "upahrp", "gajirp", "penghasilan", "upahbulanan", "wage", "salary", "gajipokok"),
    ),
    "member_number": Field(
        gettext_lazy("Member number"),
        "No Anggota",
        ("noanggota", "nomoranggota", "nokta", "kta", "nomorkta", "memberno", "membernumber", "noregistrasi"),
    ),
    "join_date": Field(
        gettext_lazy("Date joined the union"),
        "Tgl Masuk Serikat",
        (
            "tglmasukserikat",
            "tanggalmasukserikat",
            "tglmasuk",
            "tanggalmasuk",
            "tanggalbergabung",
            "tglbergabung",
            "tglgabung",
            "tanggalgabung",
            "tglmasukanggota",
            "tanggalmasukanggota",
            "mulaianggota",
            "anggotasejak",
            "joindate",
            "datejoined",
            "joined",
            "membersince",
            "tgldaftar",
            "tanggaldaftar",
            "tglmasukspsb",
            "tglmasukspsi",
        ),
    ),
    "kk_number": Field(
        gettext_lazy("KK number"), "No KK", ("nokk", "nomorkk", "nomorkartukeluarga", "kk", "nokartukeluarga")
    ),
    "company": Field(
        gettext_lazy("Company (employer: linked by name in your area, or registered)"),
        "",
        ("perusahaan", "pt", "namaperusahaan", "tempatkerja", "company", "employer", "namapt"),
    ),
    # kept as the row reference in the report (the official's own numbering), not stored on the person
    "seq": Field(
        gettext_lazy("Row number in your sheet (shown in the report)"),
        "",
        ("no", "nourut", "nomor", "nomorurut", "urut"),
        False,
    ),
}
REQUIRED = ("nik", "name")
TEMPLATE_HEADERS = [f.template for f in FIELDS.values() if f.template]
HEADER_SCAN_ROWS = 30
FOOTER_WORDS = (
    r"(?i)(?-u:\b)(?:jumlah|total|subtotal|grand total|mengetahui|menyetujui|ketua|sekretaris|bendahara|ttd|"
    r"tanda tangan|dibuat oleh|disahkan|hormat kami|catatan|keterangan|signature|approved)(?-u:\b)"
)
_SYNONYMS = {syn: key for key, f in FIELDS.items() for syn in f.synonyms}


def norm_header(text) -> str:
    """'No. HP / WA' -> 'nohpwa'; '(dd-mm-yyyy)' hints and punctuation are ignored."""
    text = re.sub(r"\(.*?\)", "", str(text or "").replace(NUMBER_MARK, "").lower())
    return re.sub(r"[^a-z0-9]", "", text)


def field_for(header, remembered: dict | None = None) -> str:
    key = norm_header(header)
    if remembered and key in remembered and (remembered[key] in FIELDS or remembered[key] == ""):
        return remembered[key]
    return _SYNONYMS.get(key, "")


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def message(template, **values) -> pl.Expr:
    """A translated message as an expression; `%(name)s` takes a value or an expression per row."""
    text = str(template)
    parts, pos = [], 0
    for match in _PLACEHOLDER.finditer(text):
        if match.start() > pos:
            parts.append(pl.lit(text[pos : match.start()]))
        value = values[match.group(1)]
        parts.append(
            value.cast(pl.String).fill_null("") if isinstance(value, pl.Expr) else pl.lit(str(value))
        )
        pos = match.end()
    if pos < len(text):
        parts.append(pl.lit(text[pos:]))
    return pl.concat_str(parts) if len(parts) > 1 else (parts[0] if parts else pl.lit(""))


# --- the table: header row, mapping, rows to skip ------------------------------------------------


@dataclass
class Layout:
    header_row: int  # the row number (as in Excel) of the header
    header_pos: int  # its position in the grid
    headers: dict[str, str]  # grid column -> header text
    mapping: dict[str, str]  # grid column -> field ("" = not imported)

    def field_columns(self) -> dict[str, str]:
        """field -> grid column (the first column mapped to it)."""
        out: dict[str, str] = {}
        for col, key in self.mapping.items():
            if key and key not in out:
                out[key] = col
        return out


def find_layout(
    grid: pl.DataFrame, *, remembered: dict | None = None, mapping: dict | None = None, header_row=None
) -> Layout:
    """Detect the header among the first rows: the row naming the most known fields, with NIK or Nama.

    Title rows, merged cells (their text is in the first cell only) and blank rows above it are passed
    over. `mapping` (grid column -> field, from the official's correction) and `remembered` (normalised
    header -> field, what this union body mapped last time) win over the synonyms."""
    cells = [c for c in grid.columns if c != "_row"]
    head = grid.head(HEADER_SCAN_ROWS)
    best, best_score, best_pos = None, 0, 0
    for pos, row in enumerate(head.iter_rows(named=True)):
        if header_row is not None:
            if row["_row"] == int(header_row):
                best, best_pos, best_score = row, pos, 99
                break
            continue
        found = {field_for(row[c], remembered) for c in cells if row[c]}
        if mapping:  # the official's mapping (API) names columns whose headers nobody recognises
            found |= {mapping[c] for c in cells if row[c] and mapping.get(c) in FIELDS}
        found -= {"", "seq"}
        score = len(found) + (2 if found & set(REQUIRED) else 0)
        if len(found) >= 2 and found & set(REQUIRED) and score > best_score:
            best, best_score, best_pos = row, score, pos
    if best is None:
        raise ImportFileError(
            _(
                "No header row with the columns NIK and Nama was found in the first %(rows)s rows. Put the "
                "column names in one row above the data (download the template to see them)."
            )
            % {"rows": HEADER_SCAN_ROWS},
            code="missing_columns",
            field="file",
        )
    headers = {c: best[c] for c in cells if best[c]}
    auto = {}
    for col, text in headers.items():
        key = field_for(text, remembered)
        auto[col] = key if key not in auto.values() else ""
    if mapping:
        auto.update({c: k for c, k in mapping.items() if c in headers and (k in FIELDS or k == "")})
    layout = Layout(header_row=best["_row"], header_pos=best_pos, headers=headers, mapping=auto)
    missing = [str(FIELDS[k].template) for k in REQUIRED if k not in layout.field_columns()]
    if missing:
        raise ImportFileError(
            _("Required column(s) missing: %(cols)s. Download the template to see the column names.")
            % {"cols": ", ".join(missing)},
            code="missing_columns",
            field="file",
        )
    return layout


def split_rows(grid: pl.DataFrame, layout: Layout) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(data rows, skipped rows with their reason) below the header; blank rows are dropped."""
    cols = layout.field_columns()
    cells = [c for c in grid.columns if c != "_row"]
    body = grid.slice(layout.header_pos + 1)
    filled = pl.sum_horizontal([(pl.col(c) != "").cast(pl.Int32) for c in cells])
    body = body.with_columns(filled.alias("_filled")).filter(pl.col("_filled") > 0)
    nik = pl.col(cols["nik"]).str.strip_prefix(NUMBER_MARK)
    name = pl.col(cols["name"]).str.strip_prefix(NUMBER_MARK)
    text = pl.concat_str([pl.col(c).str.strip_prefix(NUMBER_MARK) for c in cells], separator=" ")
    last_with_nik = body.filter(nik != "")["_row"].max() or 0
    header_nik, header_name = (
        norm_header(layout.headers[cols["nik"]]),
        norm_header(layout.headers[cols["name"]]),
    )
    body = body.with_columns(nik.alias("_nik_cell"), name.alias("_name_cell"))
    candidates = body.filter(
        (pl.col("_nik_cell").str.len_chars() < 8) | pl.col("_nik_cell").str.contains(r"[A-Za-z]{2,}")
    )
    nik, name = pl.col("_nik_cell"), pl.col("_name_cell")
    numbering = nik.str.contains(r"^\(?\d{1,2}\)?$") & name.str.contains(r"^\(?\d{1,2}\)?$")
    repeated = (nik.str.to_lowercase().str.replace_all(r"[^a-z0-9]", "") == header_nik) & (
        name.str.to_lowercase().str.replace_all(r"[^a-z0-9]", "") == header_name
    )
    footer = (nik == "") & (
        text.str.contains(FOOTER_WORDS) | ((pl.col("_row") > last_with_nik) & (pl.col("_filled") <= 2))
    )
    reason = (
        pl.when(numbering)
        .then(pl.lit(_("column numbers under the header")))
        .when(repeated)
        .then(pl.lit(_("the header repeated")))
        .when(footer)
        .then(pl.lit(_("not a member row (total, signature or note)")))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    candidates = candidates.with_columns(reason.alias("_skip")).filter(pl.col("_skip").is_not_null())
    skipped = candidates.select(
        pl.col("_row").alias("row"),
        pl.col("_skip").alias("reason"),
        text.str.replace_all(r"\s+", " ").str.strip_chars().str.slice(0, 80).alias("text"),
    )
    kept = body.join(candidates.select("_row"), on="_row", how="anti", maintain_order="left")
    return kept.drop("_filled", "_nik_cell", "_name_cell"), skipped


def canonical(body: pl.DataFrame, layout: Layout) -> pl.DataFrame:
    """One text column per field ('' when absent); `_num_<field>` says the cell was a number."""
    cols = layout.field_columns()
    out = [pl.col("_row")]
    for key in FIELDS:
        if key in cols:
            src = pl.col(cols[key]).fill_null("")
            out.append(src.str.strip_prefix(NUMBER_MARK).str.strip_chars().alias(key))
            if key in ("nik", "kk_number", "birth_date", "join_date"):
                out.append(src.str.starts_with(NUMBER_MARK).alias(f"_num_{key}"))
        else:
            out.append(pl.lit("", dtype=pl.String).alias(key))
            if key in ("nik", "kk_number", "birth_date", "join_date"):
                out.append(pl.lit(False).alias(f"_num_{key}"))
    return body.select(out)


# --- derived columns -----------------------------------------------------------------------------

SEX_MALE = ["L", "LK", "LAKILAKI", "M", "PRIA", "MALE", "COWOK"]
SEX_FEMALE = ["P", "PR", "PEREMPUAN", "F", "W", "WANITA", "FEMALE", "CEWEK"]


def derive(df: pl.DataFrame, *, today: dt.date) -> pl.DataFrame:
    """Parsed values next to the text: NIK parts, dates, sex, district, phone, wage, status, KK."""
    df = parse_date_column(df, "birth_date", numeric="_num_birth_date", today=today, out="_bd")
    df = parse_date_column(df, "join_date", numeric="_num_join_date", today=today, out="_jd")
    df = df.with_columns(pl.col("_bd").dt.year().alias("_bd_year"))
    df = nik_frame(df, "nik", numeric="_num_nik", hint="_bd_year", today=today, prefix="_nik")
    df = nik_frame(df, "kk_number", numeric="_num_kk_number", today=today, prefix="_kk")
    sex_raw = pl.col("sex").str.to_uppercase().str.replace_all(r"[^A-Z]", "")
    sex = (
        pl.when(sex_raw.is_in(SEX_MALE))
        .then(pl.lit("M"))
        .when(sex_raw.is_in(SEX_FEMALE))
        .then(pl.lit("F"))
        .when(sex_raw == "")
        .then(pl.lit(""))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    wage_raw = (
        pl.col("wage")
        .str.replace_all(r"(?i)rp|\s", "")
        .str.replace(r"[.,]00$", "")
        .str.replace_all(r"[.,]", "")
    )
    status_raw = pl.col("employment_status").str.to_lowercase()
    status = (
        pl.when(
            status_raw.is_in(
                [
                    "formal",
                    "pekerja formal",
                    "penerima upah",
                    "pu",
                    "ppu",
                    "tetap",
                    "kontrak",
                    "pkwt",
                    "pkwtt",
                ]
            )
        )
        .then(pl.lit("formal"))
        .when(status_raw.is_in(["informal", "pekerja informal", "bukan penerima upah", "bpu", "mandiri"]))
        .then(pl.lit("informal"))
        .when(status_raw.is_in(["tidak bekerja", "none", "-"]))
        .then(pl.lit("none"))
        .when(status_raw == "")
        .then(pl.lit(""))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return df.with_columns(
        sex.alias("_sex"),
        pl.col("district").str.replace_all(r"[.\s]", "").alias("_district"),
        phone_expr(pl.col("phone")).alias("_phone"),
        wage_raw.alias("_wage_raw"),
        wage_raw.cast(pl.Int64, strict=False).alias("_wage"),
        status.alias("_status"),
    )


# --- the checks ----------------------------------------------------------------------------------


def _shown_nik(reveal: bool) -> pl.Expr:
    raw = pl.col("nik")
    if reveal:
        return raw
    return (
        pl.when(raw.str.len_chars() >= 12)
        .then(pl.concat_str([raw.str.slice(0, 6), pl.lit("******"), raw.str.slice(-4)]))
        .otherwise(pl.lit("******"))
    )


def nik_checks(*, reveal: bool) -> list:
    """The NIK rules of `rules.nik` (the form's and the API's), each problem in its own words."""
    has = lambda code: pl.col("_nik_problems").list.contains(code)  # noqa: E731
    shown = _shown_nik(reveal)
    return [
        (has("nik_required"), message(_("NIK is empty."))),
        (
            has("nik_excel_number"),
            message(
                _(
                    "NIK %(value)s arrived as a number: Excel keeps only 15 digits, so the last digit is lost "
                    "and cannot be trusted. Format the NIK column as Text and type the NIK again."
                ),
                value=shown,
            ),
        ),
        (
            has("nik_too_short"),
            message(
                _("NIK has %(length)s digits: too short (a NIK has 16)."),
                length=pl.col("_nik").str.len_chars(),
            ),
        ),
        (
            has("nik_too_long"),
            message(
                _("NIK has %(length)s digits: too long (a NIK has 16)."),
                length=pl.col("_nik").str.len_chars(),
            ),
        ),
        (has("nik_not_digits"), message(_("NIK %(value)s must be 16 digits, nothing else."), value=shown)),
        (
            has("nik_unknown_district"),
            message(
                _("NIK: district code %(code)s is not in the Kemendagri list."),
                code=pl.col("_nik").str.slice(0, 6),
            ),
        ),
        (
            has("nik_day"),
            message(
                _("NIK: day %(day)s is impossible (01-31 for men, 41-71 for women)."), day=pl.col("_nik_day")
            ),
        ),
        (has("nik_month"), message(_("NIK: month %(month)s is not 01-12."), month=pl.col("_nik_month"))),
        (
            has("nik_birth_date"),
            message(_("NIK: birth date %(date)s is not a real date."), date=pl.col("_nik_date_text")),
        ),
        (
            has("nik_birth_future"),
            message(_("NIK: birth date %(date)s is in the future."), date=pl.col("_nik_date_text")),
        ),
        (has("nik_serial"), message(_("NIK: the serial number (last 4 digits) cannot be 0000."))),
    ]


def _sex_word(col: str) -> pl.Expr:
    return pl.when(pl.col(col) == "F").then(pl.lit(_("female"))).otherwise(pl.lit(_("male")))


def identity_checks(*, today: dt.date) -> list:
    """Name, birth date and sex, and their agreement with the NIK."""
    bd_given = pl.col("birth_date") != ""
    return [
        (pl.col("name") == "", message(_("Name is required."))),
        (
            bd_given & pl.col("_bd").is_null() & pl.col("_bd_shaped"),
            message(_("Birth date %(value)s does not exist."), value=pl.col("birth_date")),
        ),
        (
            bd_given & pl.col("_bd").is_null() & ~pl.col("_bd_shaped"),
            message(
                _(
                    "Birth date %(value)s is not a date we can read (write e.g. 07-08-1985 or 7 Agustus 1985)."
                ),
                value=pl.col("birth_date"),
            ),
        ),
        (
            pl.col("_bd") > pl.lit(today),
            message(_("Birth date %(value)s is in the future."), value=pl.col("birth_date")),
        ),
        (
            pl.col("_bd").is_not_null()
            & pl.col("_nik_date").is_not_null()
            & (pl.col("_bd") != pl.col("_nik_date")),
            message(
                _("NIK encodes birth date %(nik)s but %(entered)s was entered."),
                nik=pl.col("_nik_date").dt.strftime("%d-%m-%Y"),
                entered=pl.col("_bd").dt.strftime("%d-%m-%Y"),
            ),
        ),
        (
            pl.col("_sex").is_null(),
            message(_("Sex %(value)s is not recognised (write L or P)."), value=pl.col("sex")),
        ),
        (
            pl.col("_nik_sex").is_not_null()
            & (pl.col("_sex") != "")
            & (pl.col("_sex") != pl.col("_nik_sex")),
            message(
                _("NIK encodes sex %(nik)s but %(entered)s was entered."),
                nik=_sex_word("_nik_sex"),
                entered=_sex_word("_sex"),
            ),
        ),
    ]


def detail_checks(*, today: dt.date, codes: pl.Series) -> list:
    """District, phone, wage, status, KK number, join date and lengths."""
    kk_has = lambda code: pl.col("_kk_format") == code  # noqa: E731
    jd_given = pl.col("join_date") != ""
    return [
        (
            (pl.col("_district") != "") & ~pl.col("_district").is_in(codes),
            message(
                _("District code %(value)s is not in the Kemendagri list (6 digits)."),
                value=pl.col("district"),
            ),
        ),
        (
            pl.col("_phone").is_null(),
            message(_("Phone %(value)s is not an Indonesian number."), value=pl.col("phone")),
        ),
        (
            (pl.col("_wage_raw") != "") & (pl.col("_wage").is_null() | (pl.col("_wage") < 0)),
            message(_("Wage %(value)s is not a whole rupiah amount."), value=pl.col("wage")),
        ),
        (
            pl.col("_wage") > int(MAX_RUPIAH),
            message(
                _("Wage %(value)s is more than any amount Sinergi keeps (at most Rp 1.000.000.000.000.000)."),
                value=pl.col("wage"),
            ),
        ),
        (
            pl.col("_status").is_null(),
            message(
                _("Employment status %(value)s is not recognised (formal/informal)."),
                value=pl.col("employment_status"),
            ),
        ),
        (
            (pl.col("kk_number") != "") & kk_has("nik_excel_number"),
            message(
                _(
                    "KK number arrived as a number: Excel keeps only 15 digits, so the last digit is lost. "
                    "Format the column as Text and type it again."
                )
            ),
        ),
        (
            (pl.col("kk_number") != "") & pl.col("_kk_format").is_not_null() & ~kk_has("nik_excel_number"),
            message(_("KK number must be 16 digits.")),
        ),
        (
            jd_given & pl.col("_jd").is_null() & pl.col("_jd_shaped"),
            message(_("Join date %(value)s does not exist."), value=pl.col("join_date")),
        ),
        (
            jd_given & pl.col("_jd").is_null() & ~pl.col("_jd_shaped"),
            message(_("Join date %(value)s is not a date we can read."), value=pl.col("join_date")),
        ),
        (
            pl.col("_jd") > pl.lit(today),
            message(_("Join date %(value)s is in the future."), value=pl.col("join_date")),
        ),
        (pl.col("name").str.len_chars() > 200, message(_("Name is too long (max 200)."))),
        (pl.col("member_number").str.len_chars() > 40, message(_("Member number is too long (max 40)."))),
        (pl.col("_address").str.len_chars() > 300, message(_("Address is too long (max 300)."))),
        (pl.col("_occupation").str.len_chars() > 120, message(_("Occupation is too long (max 120)."))),
        (pl.col("birth_place").str.len_chars() > 100, message(_("Birth place is too long (max 100)."))),
    ]


def composed(df: pl.DataFrame) -> pl.DataFrame:
    """The address as officials split it (Alamat, RT/RW, Kelurahan, Kecamatan, Kota) in one line; the
    department or position as the occupation when there is no occupation column value."""
    rt_rw = (
        pl.when(pl.col("rt_rw") != "")
        .then(pl.lit("RT/RW ") + pl.col("rt_rw"))
        .when((pl.col("rt") != "") | (pl.col("rw") != ""))
        .then(pl.format("RT {}/RW {}", pl.col("rt"), pl.col("rw")))
        .otherwise(pl.lit(""))
    )
    parts = [
        pl.col("address"),
        rt_rw,
        pl.when(pl.col("village") != "").then(pl.lit("Kel. ") + pl.col("village")).otherwise(pl.lit("")),
        pl.when(pl.col("district_name") != "")
        .then(pl.lit("Kec. ") + pl.col("district_name"))
        .otherwise(pl.lit("")),
        pl.col("city"),
    ]
    address = pl.concat_str(parts, separator=", ").str.replace_all(r"(?:, )+", ", ").str.strip_chars(", ")
    return df.with_columns(
        address.alias("_address"),
        pl.when(pl.col("occupation") != "")
        .then(pl.col("occupation"))
        .otherwise(pl.col("position"))
        .alias("_occupation"),
    )


def duplicates(df: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, list]:
    """(rows kept, later identical rows as skipped, checks for a NIK reused with other data).

    A row identical to an earlier one (same NIK, same values) is a paste: only the first is imported.
    A NIK on rows with a different name, birth date or sex: which person is right cannot be guessed, so
    every such row is refused. The same person twice with other details differing: the first is
    imported and the later row refused."""
    nik_ok = pl.col("_nik_problems").list.len() == 0
    values = [k for k in FIELDS if k not in ("seq",)]
    df = df.with_columns(pl.struct([pl.col(k) for k in values]).hash(seed=11).alias("_sig"))
    first_same = pl.col("_row").min().over(["nik", "_sig"])
    df = df.with_columns(first_same.alias("_first_same"))
    copies = df.filter(pl.col("_row") != pl.col("_first_same")).select(
        pl.col("_row").alias("row"),
        message(_("duplicate of row %(row)s (identical)"), row=pl.col("_first_same")).alias("reason"),
        pl.col("name").str.slice(0, 80).alias("text"),
    )
    df = df.filter(pl.col("_row") == pl.col("_first_same"))
    key = pl.when(nik_ok).then(pl.col("_nik")).otherwise(pl.lit(None, dtype=pl.String))
    df = df.with_columns(key.alias("_key")).with_columns(
        pl.when(pl.col("_key").is_not_null()).then(pl.len().over("_key")).otherwise(1).alias("_nik_n"),
        pl.when(pl.col("member_number") != "")
        .then(pl.col("_nik").n_unique().over("member_number"))
        .otherwise(1)
        .alias("_mno_n"),
    )
    # only the (few) rows whose NIK is used more than once need the comparison of identities
    reused_rows = df.filter(pl.col("_nik_n") > 1)
    identity = pl.concat_str(
        [
            pl.col("name").str.to_lowercase().str.replace_all(r"\s+", " "),
            pl.col("_bd").cast(pl.String).fill_null(""),
            pl.col("_sex").fill_null(""),
        ],
        separator="|",
    )
    stats = (
        reused_rows.with_columns(identity.alias("_ident"))
        .group_by("_key")
        .agg(
            pl.col("_ident").n_unique().alias("_idents"),
            pl.col("_row").min().alias("_nik_first"),
            pl.col("_row").sort().cast(pl.String).str.join(", ").alias("_nik_rows"),
        )
    )
    df = df.join(stats, on="_key", how="left", maintain_order="left")
    reused = pl.col("_key").is_not_null() & (pl.col("_nik_n") > 1)
    checks = [
        (
            reused & (pl.col("_idents") > 1),
            message(
                _(
                    "The same NIK is on rows %(rows)s with a different name, birth date or sex: check which is right."
                ),
                rows=pl.col("_nik_rows"),
            ),
        ),
        (
            reused & (pl.col("_idents") == 1) & (pl.col("_row") != pl.col("_nik_first")),
            message(
                _(
                    "Same person as row %(row)s (same NIK) but other details differ: row %(row)s is imported, correct this row or delete it."
                ),
                row=pl.col("_nik_first"),
            ),
        ),
    ]
    return df, copies, checks


def member_number_checks() -> list:
    return [
        (
            pl.col("_mno_n") > 1,
            message(
                _("Member number %(value)s is used for more than one NIK in the file."),
                value=pl.col("member_number"),
            ),
        )
    ]


def one_union_per_company(body) -> list:
    """UU 21/2000 Art. 14: a worker is a member of one union at one company. One query for the file."""
    if body is None or not body.employer_id:
        return []

    taken = list(
        Membership.objects.filter(employer_id=body.employer_id, status=Membership.Status.ACTIVE)
        .exclude(body=body)
        .values_list("person__nik", flat=True)
    )
    if not taken:
        return []
    return [
        (
            pl.col("_nik").is_in(pl.Series(taken, dtype=pl.String)),
            message(_("Already a member of another union at this company (UU 21/2000 Art. 14).")),
        )
    ]


# --- employers named in the file ------------------------------------------------------------------

_LEGAL_FORMS = r"(?:pt|cv|tbk|persero|perseroan terbatas|ud|koperasi|kop)"


def company_key(expr: pl.Expr) -> pl.Expr:
    """'PT. Maju Jaya, Tbk' and 'maju  jaya' -> 'maju jaya': case, punctuation and legal form ignored."""
    text = expr.fill_null("").str.to_lowercase().str.replace_all(r"[^a-z0-9 ]", " ")
    text = text.str.replace_all(r"\s+", " ").str.strip_chars()
    text = text.str.replace(rf"^{_LEGAL_FORMS} ", "").str.replace(rf" {_LEGAL_FORMS}$", "")
    return text.str.replace(rf" {_LEGAL_FORMS}$", "").str.strip_chars()


def company_key_text(name: str) -> str:
    return pl.select(company_key(pl.lit(name)).alias("k"))["k"][0]


@dataclass
class EmployerLookup:
    """The employers an importer may link rows to (their scope), by `company_key`, and whether they
    may register a company that is not there (as the single-record employer form requires)."""

    ids_by_key: dict[str, list[int]]
    may_register: bool = False

    @classmethod
    def for_user(cls, user) -> EmployerLookup:

        ids_by_key: dict[str, list[int]] = {}
        for pk, name in employer_list(user=user).order_by().values_list("pk", "name"):
            ids_by_key.setdefault(company_key_text(name), []).append(pk)
        return cls(ids_by_key=ids_by_key, may_register=bool(can(user, "edit_registry")))


def resolve_companies(df: pl.DataFrame, lookup: EmployerLookup | None) -> pl.DataFrame:
    """`_company_key`, `_company_n` (employers with that name in scope) and `_employer_id` (the one
    match) for every row that names a company."""
    lookup = lookup or EmployerLookup(ids_by_key={})
    df = df.with_columns(company_key(pl.col("company")).alias("_company_key"))
    keys = [k for k in df["_company_key"].unique().to_list() if k]
    table = pl.DataFrame(
        {
            "_company_key": keys,
            "_company_n": [len(lookup.ids_by_key.get(k, [])) for k in keys],
            "_employer_id": [
                lookup.ids_by_key[k][0] if len(lookup.ids_by_key.get(k, [])) == 1 else None for k in keys
            ],
        },
        schema={"_company_key": pl.String, "_company_n": pl.Int64, "_employer_id": pl.Int64},
    )
    return df.join(table, on="_company_key", how="left", maintain_order="left").with_columns(
        pl.col("_company_n").fill_null(0)
    )


def company_checks(lookup: EmployerLookup | None) -> list:
    named = pl.col("_company_key") != ""
    checks = [
        (
            named & (pl.col("_company_n") > 1),
            message(
                _(
                    "The company “%(value)s” matches %(n)s registered employers in your area: write its name "
                    "exactly as registered (see Employers) or leave the cell empty."
                ),
                value=pl.col("company"),
                n=pl.col("_company_n"),
            ),
        )
    ]
    if not (lookup and lookup.may_register):
        checks.append(
            (
                named & (pl.col("_company_n") == 0),
                message(
                    _(
                        "The company “%(value)s” is not registered in your area and your role may not register "
                        "employers: ask the manpower agency to register it, or leave the cell empty."
                    ),
                    value=pl.col("company"),
                ),
            )
        )
    return checks


def district_codes() -> pl.Series:
    return pl.Series("code", sorted(districts()), dtype=pl.String)
