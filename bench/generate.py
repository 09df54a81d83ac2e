"""Deterministic synthetic workers for benchmarks and load tests: valid NIKs, real districts, Indonesian names.

`people_frame(n, seed=1)` builds the columns of the registry import file with Polars expressions over
columns drawn in bulk from one seeded `random.Random`, so a million rows take seconds, not minutes, and
the same seed always gives the same file. Every NIK is valid (`sinergi.rules.nik.parse_nik`) for a real
Kemendagri district and unique in the frame: the serial is the row's rank among people sharing district,
birth date and sex. `write_people_csv(..., near_duplicates=0.05)` appends the same people again under a
second NIK with the mistakes officers really make (a typo in the name, day and month swapped, another
district, a changed phone) and returns the true pairs so a matcher's precision and recall can be scored.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl

from sinergi.rules.nik import districts

# Reference date for ages: fixed, so a seed gives the same file on any day.
REFERENCE_DATE = dt.date(2025, 1, 1)
MIN_AGE, MAX_AGE = 18, 60

MALE_GIVEN = (
    "Agus Budi Joko Slamet Bambang Heru Eko Dedi Rudi Andi Hendra Rizki Fajar Arif Dwi Teguh Wahyu Yusuf "
    "Ahmad Muhammad Rahmat Hadi Imam Suparman Sutrisno Sugeng Darmawan Irfan Ilham Reza Dimas Bayu Galih "
    "Hasan Iwan Jaka Kurniawan Lukman Nur Panji Rian Sigit Taufik Usman Wawan Yoga Zainal Aldi Bagus "
    "Candra Deni Endang Firman Gilang Hari Indra Jamal Komarudin Mulyadi Nanang Oki Purnomo Ridwan Samsul"
).split()
FEMALE_GIVEN = (
    "Siti Sri Dewi Ani Rina Yuni Wati Endah Lestari Ratna Nurul Fitri Indah Putri Ayu Dian Eka Lina Maya "
    "Novi Rini Sari Tuti Umi Vina Yanti Zahra Aisyah Fatimah Kartika Mega Nia Okta Permata Rahma Santi "
    "Tri Utami Wulan Yulia Anisa Bunga Citra Dina Erna Fani Gita Hesti Ika Juwita Kurnia Lilis Murni "
    "Nining Oktaviani Purwanti Rosmawati Sumiati Titin Warsini"
).split()
FAMILY = (
    "Saputra Wijaya Santoso Hidayat Setiawan Pratama Kurniawan Nugroho Gunawan Susanto Siregar Nasution "
    "Harahap Lubis Simanjuntak Sitompul Hutapea Pangaribuan Tambunan Sinaga Manurung Purba Ginting "
    "Tarigan Sembiring Wibowo Rahayu Handayani Permatasari Kusuma Firmansyah Ramadhan Hakim Maulana "
    "Suryadi Hartono Sugiarto Purnama Syahputra Utomo Prasetyo Rahman Hasibuan Daulay Pohan Panjaitan "
    "Situmorang Simatupang Effendi Iskandar Kartono Mulyono Sudirman Suharto Wahyudi Yulianto Zulkarnain"
).split()
# Javanese naming: often a single name; otherwise given + family or given + given + family.
NAME_PARTS_WEIGHTS = (0.25, 0.55, 0.20)

STREETS = (
    "Merdeka Sudirman Thamrin Diponegoro Gatot Subroto Ahmad Yani Kartini Imam Bonjol Veteran Pahlawan "
    "Raya Cilincing Kebon Bawang Pelabuhan Mawar Melati Kenanga Anggrek Flamboyan Cempaka Dahlia "
    "Manggis Rambutan Durian Nangka Kelapa Gading Swasembada Plumpang Sunter Tanjung Priok Marunda"
).split()
OCCUPATIONS_FORMAL = (
    "Buruh Pabrik",
    "Operator Mesin",
    "Karyawan Swasta",
    "Pekerja Gudang",
    "Pengemudi",
    "Satpam",
    "Staf Administrasi",
    "Teknisi",
    "Pekerja Konstruksi",
    "Perawat",
)
OCCUPATIONS_INFORMAL = (
    "Ojek Online",
    "Pedagang Kaki Lima",
    "Nelayan",
    "Petani",
    "Buruh Harian Lepas",
    "Tukang Bangunan",
    "Pekerja Rumah Tangga",
    "Penjahit",
    "Pemulung",
    "Pengrajin Batik",
)
UNION_PREFIXES = ("FSPMI", "KSPSI", "KSPI", "SPN", "FSP-KEP")
MEMBER_SHARE = 0.35

COLUMNS = [
    "NIK",
    "Nama",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "Kode Kecamatan",
    "Alamat",
    "No HP",
    "Pekerjaan",
    "Status Pekerjaan",
    "Upah",
    "No Anggota",
]


def _district_table() -> pl.DataFrame:
    rows = districts()
    codes = sorted(rows)
    return pl.DataFrame(
        {
            "district": codes,
            "regency_name": [rows[c]["nama_kabkota"] for c in codes],
            "district_name": [rows[c]["nama_kecamatan"] for c in codes],
        }
    )


def _draw(rng: random.Random, population, n: int, weights=None) -> list:
    return rng.choices(population, weights=weights, k=n)


def _birth_place(regency_name: pl.Expr) -> pl.Expr:
    """'Kab. Jember' -> 'Jember', 'Kota Jakarta Utara' -> 'Jakarta Utara' (what people write)."""
    return regency_name.str.replace(r"^(Kab\.|Kabupaten|Kota|Kota Adm\.|Kota Administrasi)\s+", "")


def _raw_people(n: int, rng: random.Random, table: pl.DataFrame) -> pl.DataFrame:
    """Drawn columns before NIK serials are assigned (serials need the whole frame)."""
    # Population is concentrated: most workers in a few thousand districts, as in real registries.
    district_idx = _draw(rng, range(table.height), n)
    sex = _draw(rng, ("L", "P"), n, weights=(0.55, 0.45))
    first_day = (REFERENCE_DATE.replace(year=REFERENCE_DATE.year - MAX_AGE)).toordinal()
    last_day = (REFERENCE_DATE.replace(year=REFERENCE_DATE.year - MIN_AGE)).toordinal()
    birth_ordinal = _draw(rng, range(first_day, last_day + 1), n)
    parts = _draw(rng, (1, 2, 3), n, weights=NAME_PARTS_WEIGHTS)
    male_given = _draw(rng, MALE_GIVEN, n)
    female_given = _draw(rng, FEMALE_GIVEN, n)
    second_male = _draw(rng, MALE_GIVEN, n)
    second_female = _draw(rng, FEMALE_GIVEN, n)
    family = _draw(rng, FAMILY, n)
    moved = _draw(rng, (False, True), n, weights=(0.9, 0.1))
    domicile_idx = _draw(rng, range(table.height), n)
    street = _draw(rng, STREETS, n)
    house = _draw(rng, range(1, 250), n)
    phone_prefix = _draw(rng, ("0812", "0813", "0821", "0852", "0857", "0878", "0896"), n)
    phone_rest = _draw(rng, range(10_000_000, 99_999_999), n)
    formal = _draw(rng, (True, False), n, weights=(0.6, 0.4))
    occ_formal = _draw(rng, OCCUPATIONS_FORMAL, n)
    occ_informal = _draw(rng, OCCUPATIONS_INFORMAL, n)
    wage_thousands = _draw(rng, range(1_500, 9_000), n)
    member = _draw(rng, (True, False), n, weights=(MEMBER_SHARE, 1 - MEMBER_SHARE))
    union = _draw(rng, UNION_PREFIXES, n)
    member_no = _draw(rng, range(1, 9_999_999), n)

    frame = pl.DataFrame(
        {
            "_district_idx": district_idx,
            "_domicile_idx": domicile_idx,
            "_moved": moved,
            "Jenis Kelamin": sex,
            "_birth_ordinal": birth_ordinal,
            "_parts": parts,
            "_male_given": male_given,
            "_female_given": female_given,
            "_second_male": second_male,
            "_second_female": second_female,
            "_family": family,
            "_street": street,
            "_house": house,
            "_phone_prefix": phone_prefix,
            "_phone_rest": phone_rest,
            "_formal": formal,
            "_occ_formal": occ_formal,
            "_occ_informal": occ_informal,
            "_wage_thousands": wage_thousands,
            "_member": member,
            "_union": union,
            "_member_no": member_no,
        }
    ).with_row_index("_row")
    table_idx = table.with_row_index("_idx")
    frame = frame.join(
        table_idx.select(
            pl.col("_idx").alias("_district_idx"),
            pl.col("district").alias("_nik_district"),
            pl.col("regency_name").alias("_regency_name"),
        ),
        on="_district_idx",
        how="left",
    ).join(
        table_idx.select(
            pl.col("_idx").alias("_domicile_idx"),
            pl.col("district").alias("_other_district"),
            pl.col("district_name").alias("_other_district_name"),
        ),
        on="_domicile_idx",
        how="left",
    )
    frame = frame.join(
        table.select(pl.col("district").alias("_nik_district"), pl.col("district_name").alias("_nik_dname")),
        on="_nik_district",
        how="left",
    ).sort("_row")
    # Epoch day 0 is 1970-01-01 = ordinal 719163.
    birth = (pl.col("_birth_ordinal") - dt.date(1970, 1, 1).toordinal()).cast(pl.Int32).cast(pl.Date)
    is_male = pl.col("Jenis Kelamin") == "L"
    given = pl.when(is_male).then("_male_given").otherwise("_female_given")
    second = pl.when(is_male).then("_second_male").otherwise("_second_female")
    name = (
        pl.when(pl.col("_parts") == 1)
        .then(given)
        .when(pl.col("_parts") == 2)
        .then(pl.concat_str([given, pl.col("_family")], separator=" "))
        .otherwise(pl.concat_str([given, second, pl.col("_family")], separator=" "))
    )
    domicile = pl.when(pl.col("_moved")).then("_other_district").otherwise("_nik_district")
    domicile_name = pl.when(pl.col("_moved")).then("_other_district_name").otherwise("_nik_dname")
    return frame.with_columns(
        birth.alias("_birth"),
        name.alias("Nama"),
        _birth_place(pl.col("_regency_name")).alias("Tempat Lahir"),
        domicile.alias("Kode Kecamatan"),
        pl.concat_str(
            [
                pl.lit("Jl. "),
                pl.col("_street"),
                pl.lit(" No. "),
                pl.col("_house").cast(pl.String),
                pl.lit(", Kec. "),
                domicile_name,
            ]
        ).alias("Alamat"),
        pl.concat_str([pl.col("_phone_prefix"), pl.col("_phone_rest").cast(pl.String)]).alias("No HP"),
        pl.when(pl.col("_formal")).then("_occ_formal").otherwise("_occ_informal").alias("Pekerjaan"),
        pl.when(pl.col("_formal"))
        .then(pl.lit("formal"))
        .otherwise(pl.lit("informal"))
        .alias("Status Pekerjaan"),
        (pl.col("_wage_thousands").cast(pl.Int64) * 1000).alias("Upah"),
        pl.when(pl.col("_member"))
        .then(
            pl.concat_str([pl.col("_union"), pl.lit("-"), pl.col("_member_no").cast(pl.String).str.zfill(7)])
        )
        .otherwise(pl.lit(""))
        .alias("No Anggota"),
    )


def _with_nik(frame: pl.DataFrame, *, serial_base: int = 0) -> pl.DataFrame:
    """NIK = district(6) + day(+40 for women) + month + yy + serial; serials rank within the group."""
    day = pl.col("_birth").dt.day() + pl.when(pl.col("Jenis Kelamin") == "P").then(40).otherwise(0)
    group = ["_nik_district", "_birth", "Jenis Kelamin"]
    serial = pl.int_range(1, pl.len() + 1).over(group) + serial_base
    return frame.with_columns(
        pl.concat_str(
            [
                pl.col("_nik_district"),
                day.cast(pl.String).str.zfill(2),
                pl.col("_birth").dt.month().cast(pl.String).str.zfill(2),
                (pl.col("_birth").dt.year() % 100).cast(pl.String).str.zfill(2),
                serial.cast(pl.String).str.zfill(4),
            ]
        ).alias("NIK"),
        pl.col("_birth").dt.strftime("%Y-%m-%d").alias("Tanggal Lahir"),
    )


def people_frame(n: int, *, seed: int = 1) -> pl.DataFrame:
    """n synthetic workers with the registry import columns (see COLUMNS); deterministic by seed."""
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = random.Random(seed)
    table = _district_table()
    frame = _with_nik(_raw_people(n, rng, table))
    return frame.select(COLUMNS)


# --- near duplicates ---------------------------------------------------------------------------

_NEARBY_KEYS = "asdfghjklqwertyuiopzxcvbnm"


def _typo(name: str, rng: random.Random) -> str:
    """One realistic slip: swap two adjacent letters, drop one, double one, or a wrong letter."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 3:
        return name + "h"
    i = rng.choice(letters[1:-1])
    kind = rng.randrange(4)
    if kind == 0 and name[i + 1].isalpha() and name[i + 1] != name[i]:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if kind == 1:
        return name[:i] + name[i + 1 :]
    if kind == 2:
        return name[:i] + name[i] + name[i:]
    replacement = rng.choice(_NEARBY_KEYS)
    if replacement == name[i].lower():
        replacement = "e" if replacement != "e" else "a"
    return name[:i] + replacement + name[i + 1 :]


def _spelling_variant(name: str, rng: random.Random) -> str:
    """Old and new Indonesian spellings and abbreviations (Muhammad/Moh., oe/u, dj/j)."""
    swaps = [("Muhammad", "Moh."), ("Ahmad", "Achmad"), ("u", "oe"), ("j", "dj"), ("y", "j"), ("Siti", "St.")]
    rng.shuffle(swaps)
    for old, new in swaps:
        if old in name:
            return name.replace(old, new, 1)
    return _typo(name, rng)


def near_duplicates_frame(people: pl.DataFrame, k: int, *, seed: int = 1) -> tuple[pl.DataFrame, list]:
    """k rows re-registering people from `people` under a second NIK, with the true (NIK, NIK) pairs."""
    if k <= 0 or people.height == 0:
        return people.clear(), []
    rng = random.Random(seed * 7919 + 17)
    sources = rng.sample(range(people.height), min(k, people.height))
    src = people[sources]
    table = districts()
    codes_by_regency: dict[str, list[str]] = {}
    for code in table:
        codes_by_regency.setdefault(code[:4], []).append(code)
    rows = src.to_dicts()
    out = []
    for src_row in rows:
        row = dict(src_row)
        birth = dt.date.fromisoformat(row["Tanggal Lahir"])
        nik_district = row["NIK"][:6]
        changes = rng.sample(
            ["typo", "spelling", "swap_dm", "district", "phone", "wage"], k=rng.randint(1, 3)
        )
        if "typo" in changes:
            row["Nama"] = _typo(row["Nama"], rng)
        if "spelling" in changes:
            row["Nama"] = _spelling_variant(row["Nama"], rng)
        if "swap_dm" in changes and birth.day <= 12 and birth.day != birth.month:
            birth = birth.replace(day=birth.month, month=birth.day)
        if "district" in changes:
            nik_district = rng.choice(codes_by_regency[nik_district[:4]])
        if "phone" in changes:
            row["No HP"] = row["No HP"][:4] + str(rng.randrange(10_000_000, 99_999_999))
        if "wage" in changes:
            row["Upah"] = int(row["Upah"]) + 1000 * rng.randrange(-200, 200)
        original = dict(src_row)
        unchanged = all(row[c] == original[c] for c in ("Nama", "No HP", "Upah")) and (
            birth.isoformat() == original["Tanggal Lahir"] and nik_district == original["NIK"][:6]
        )
        if unchanged:  # always at least one mistake besides the new NIK
            row["Nama"] = _typo(row["Nama"], rng)
        row["_nik_district"] = nik_district
        row["_birth"] = birth
        row["_original_nik"] = row["NIK"]
        out.append(row)
    dup = pl.DataFrame(out, schema_overrides={"_birth": pl.Date})
    # Serials from 5001 up cannot meet an original's (a group never has 5000 people in these sizes).
    dup = _with_nik(dup, serial_base=5000)
    pairs = list(zip(dup["_original_nik"].to_list(), dup["NIK"].to_list(), strict=True))
    return dup.select(COLUMNS), pairs


def write_people_csv(path, n: int, *, seed: int = 1, near_duplicates: float = 0.0) -> dict:
    """Write n rows (originals plus `near_duplicates` share of re-registrations, shuffled) to a CSV.

    Returns the ground truth: {"rows": n, "originals": m, "duplicates": k, "pairs": [(nik_a, nik_b), …]}.
    """
    if not 0.0 <= near_duplicates < 1.0:
        raise ValueError("near_duplicates must be in [0, 1)")
    k = int(round(n * near_duplicates))
    originals = people_frame(n - k, seed=seed)
    dup, pairs = near_duplicates_frame(originals, k, seed=seed)
    frame = pl.concat([originals, dup]) if k else originals
    if k:
        frame = frame.sample(fraction=1.0, shuffle=True, seed=seed)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path)
    return {"rows": frame.height, "originals": originals.height, "duplicates": len(pairs), "pairs": pairs}


# --- employers, unions and memberships ------------------------------------------------------------

EMPLOYER_WORDS = (
    "Maju Jaya Sentosa Abadi Makmur Sejahtera Mandiri Karya Utama Prima Nusantara Indah Baru Sinar "
    "Mulia Bersama Logam Tekstil Garmen Batik Samudra Perkasa Agung Cahaya Harapan"
).split()
SECTORS = ("Manufaktur", "Tekstil", "Logistik", "Konstruksi", "Perdagangan", "Perikanan", "Jasa")
FEDERATIONS = (
    ("FSPMI", "Federasi Serikat Pekerja Metal Indonesia"),
    ("KSPSI", "Konfederasi Serikat Pekerja Seluruh Indonesia"),
    ("KSPI", "Konfederasi Serikat Pekerja Indonesia"),
    ("SPN", "Serikat Pekerja Nasional"),
    ("FSP-KEP", "Federasi Serikat Pekerja Kimia, Energi dan Pertambangan"),
)


def employers_frame(n: int, *, seed: int = 1) -> pl.DataFrame:
    """n employers: Nama Perusahaan, NPP (8 digits, unique), Kode Kecamatan, Sektor, Jumlah Pekerja."""
    rng = random.Random(seed * 31 + 7)
    codes = sorted(districts())
    names = ["PT " + " ".join(rng.sample(EMPLOYER_WORDS, 3)) for _ in range(n)]
    npp = rng.sample(range(10_000_000, 99_999_999), n)
    return pl.DataFrame(
        {
            "Nama Perusahaan": names,
            "NPP": [str(x) for x in npp],
            "Kode Kecamatan": rng.choices(codes, k=n),
            "Sektor": rng.choices(SECTORS, k=n),
            "Jumlah Pekerja": rng.choices(range(5, 5000), k=n),
        }
    )


def union_bodies() -> list[dict]:
    """The federations whose member numbers people_frame writes (prefix = `short`)."""
    return [{"short": short, "name": name} for short, name in FEDERATIONS]


def memberships_frame(people: pl.DataFrame, *, seed: int = 1) -> pl.DataFrame:
    """One membership per person with a member number: NIK, Serikat, No Anggota, Tanggal Masuk."""
    members = people.filter(pl.col("No Anggota") != "")
    rng = random.Random(seed * 13 + 5)
    start = dt.date(2005, 1, 1).toordinal()
    joined = [dt.date.fromordinal(start + d) for d in rng.choices(range(7300), k=members.height)]
    return members.select(
        "NIK",
        pl.col("No Anggota").str.replace(r"-\d+$", "").alias("Serikat"),
        "No Anggota",
    ).with_columns(pl.Series("Tanggal Masuk", [d.isoformat() for d in joined]))
