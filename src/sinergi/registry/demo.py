"""Registry demo: the unions, employers and workers of the source articles, with invented people.

- DPW FSPMI DKI Jakarta with two Konsulat Cabang and workplace units (PUK) at Jakarta employers,
  including PT Indofood CBP Sukses Makmur and PT Kukuh Mandiri Lestari (article 002); ~2,400 members.
- PC FSP Kerah Biru-SPSI Jember with its informal-sector working groups (Pokja) (article 003).
- 1,000 vulnerable informal workers in Kota Pekalongan in the six occupations of Perwal 19B/2022.
- Families with spouses and school-age children, and two deceased workers (Indofood CBP, Kukuh
  Mandiri Lestari) whose heirs the claims demo pays.

Members go through the real import pipeline (validate + set-based commit), so loading twice changes
nothing. Every name is invented; NIKs are synthetic but valid for real Kemendagri districts.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import polars as pl
from django.db import transaction

from sinergi.registry import importer
from sinergi.registry.models import Employer, Employment, FamilyMember, Person
from sinergi.rules.nik import districts
from sinergi.unions.models import Membership, UnionBody, UnionOfficial, UnionRegistration
from sinergi.unions.services import member_counts_recompute, union_body_create

GIVEN_M = (
    "Agus Bambang Dedi Eko Fajar Hadi Irfan Joko Kurnia Lukman Mulyono Nanang Purnomo Rudi Sigit Teguh "
    "Wahyu Yoga Andri Budi Darmaji Gilang Heru Imam Jajang Komar Rohman Suparjo Tono Usep"
).split()
GIVEN_F = (
    "Ani Dewi Endang Fitri Indah Kartini Lilis Murni Nur Purwati Rini Siti Tuti Umi Wulan Yanti Ayu "
    "Dian Eka Lestari Marlina Novita Ratih Sumarni Titik Warsih"
).split()
FAMILY = (
    "Saputra Santoso Hidayat Setiawan Pratama Nugroho Susanto Siregar Lubis Wibowo Rahayu Kusuma "
    "Firmansyah Maulana Hartono Purnama Utomo Prasetyo Rahman Effendi Iskandar Wahyudi Sembiring Tarigan"
).split()

DKI_EMPLOYERS = [
    # name, region, sector, JKK risk class, size, PUK short name, members
    ("PT Indofood CBP Sukses Makmur", "3172", "industri makanan", 2, "large", "PUK SPAMK Indofood CBP", 520),
    ("PT Kukuh Mandiri Lestari", "3172", "industri logam", 3, "large", "PUK SPL Kukuh Mandiri Lestari", 380),
    ("PT Sinar Logam Marunda", "3172", "industri logam", 3, "large", "PUK SPL Sinar Logam", 420),
    ("PT Karya Baja Cakung", "3175", "industri logam", 3, "large", "PUK SPL Karya Baja", 400),
    ("PT Dharma Presisi Sunter", "3172", "otomotif", 3, "medium", "PUK SPAMK Dharma Presisi", 360),
    ("PT Armada Komponen Pulogadung", "3175", "otomotif", 3, "medium", "PUK SPAMK Armada Komponen", 320),
]
JEMBER_POKJA = [
    ("Pokja Petani", "pertanian", "Petani", 140),
    ("Pokja Nelayan", "perikanan", "Nelayan", 90),
    ("Pokja Pariwisata", "pariwisata", "Pemandu wisata", 60),
    ("Pokja UMKM", "UMKM", "Pedagang UMKM", 110),
]
PEKALONGAN_OCCUPATIONS = [
    ("Pengayuh becak", 300),
    ("Sopir angkot sistem setoran", 220),
    ("Tukang pijat tunanetra", 120),
    ("Lebe non-PNS", 90),
    ("Pengatur lalu lintas tuna rungu", 70),
    ("Penggali kubur", 200),
]

# The two deceased workers of article 002 (invented names; the same records the claims demo expects).
DECEASED = [
    {
        "employer": "PT Indofood CBP Sukses Makmur",
        "worker": ("Slamet Riyadi Hartono", "3172031407780901", dt.date(1978, 7, 14), "M"),
        "died": dt.date(2024, 2, 12),
        "enrolled": dt.date(2003, 8, 1),
        "wage": Decimal("12500000"),
        "family": [
            ("spouse", "Sri Wahyuningsih", dt.date(1981, 3, 2), "F", "", None),
            ("child", "Dimas Hartono", dt.date(2007, 9, 10), "M", "SMA", 2),
            ("child", "Nadia Hartono", dt.date(2014, 1, 21), "F", "SD", 4),
            ("parent", "Sumarni", dt.date(1952, 5, 5), "F", "", None),
        ],
    },
    {
        "employer": "PT Kukuh Mandiri Lestari",
        "worker": ("Bambang Suryadi", "3172052811750902", dt.date(1975, 11, 28), "M"),
        "died": dt.date(2024, 3, 4),
        "enrolled": dt.date(1996, 2, 1),
        "wage": Decimal("9800000"),
        "family": [
            ("spouse", "Yuliani", dt.date(1979, 8, 17), "F", "", None),
            ("child", "Rizky Suryadi", dt.date(2004, 4, 2), "M", "PT", 2),
            ("child", "Putri Suryadi", dt.date(2011, 6, 30), "F", "SMP", 1),
        ],
    },
]


def _nik(district: str, birth: dt.date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == "F" else 0)
    return f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def _people_frame(rng, n, *, district_codes, serial_base, occupation, status, wage, member_prefix=""):
    rows = []
    for i in range(n):
        sex = "F" if rng.random() < 0.4 else "M"
        birth = dt.date(1968, 1, 1) + dt.timedelta(days=rng.randrange(0, 34 * 365))
        district = district_codes[i % len(district_codes)]
        given = rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        name = given if rng.random() < 0.2 else f"{given} {rng.choice(FAMILY)}"
        rows.append(
            {
                "NIK": _nik(district, birth, sex, serial_base + i),
                "Nama": name,
                "Tanggal Lahir": birth.isoformat(),
                "Jenis Kelamin": "P" if sex == "F" else "L",
                "Kode Kecamatan": district,
                "Alamat": f"Jl. {rng.choice(FAMILY)} No. {rng.randrange(1, 200)}",
                "No HP": f"08{rng.choice((12, 13, 21, 52, 57))}{rng.randrange(10_000_000, 99_999_999)}",
                "Pekerjaan": occupation if isinstance(occupation, str) else occupation(i),
                "Status Pekerjaan": status,
                "Upah": str(wage if isinstance(wage, int) else wage(rng)),
                "No Anggota": f"{member_prefix}{serial_base + i:06d}" if member_prefix else "",
            }
        )
    frame = pl.DataFrame(rows)
    return frame.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))


def _import(frame, body=None):

    result = importer.validate(frame, body=body, language="en")
    if result.rejected.height:
        raise RuntimeError(f"demo rows rejected: {result.rejected.head(3).to_dicts()}")
    return importer.commit(result.valid, body=body, filename="demo")


def _employers():

    out = {}
    for name, region, sector, risk, size, _puk, _n in DKI_EMPLOYERS:
        out[name], _ = Employer.objects.get_or_create(
            name=name, defaults={"region_id": region, "sector": sector, "jkk_risk_class": risk, "size": size}
        )
    return out


def _body(name, **fields):

    return UnionBody.objects.filter(name=name).first() or union_body_create(actor=None, name=name, **fields)


def _dki(ctx, rng, employers):

    dpw = ctx.union_bodies["dpw_fspmi_dki"]
    levels = getattr(ctx, "union_levels", {}).get("fspmi", {})
    kc = {
        "3172": _body(
            "KC FSPMI Jakarta Utara",
            short_name="KC FSPMI Jakut",
            kind=UnionBody.Kind.UNIT,
            parent=dpw,
            level=levels.get("KC"),
            region_id="3172",
        ),
        "3175": _body(
            "KC FSPMI Jakarta Timur",
            short_name="KC FSPMI Jaktim",
            kind=UnionBody.Kind.UNIT,
            parent=dpw,
            level=levels.get("KC"),
            region_id="3175",
        ),
    }
    ctx.union_bodies["kc_fspmi_jakut"], ctx.union_bodies["kc_fspmi_jaktim"] = kc["3172"], kc["3175"]
    codes = sorted(c for c in districts() if c[:4] in ("3171", "3172", "3173", "3174", "3175"))
    for index, (name, region, _sector, _risk, _size, puk_name, count) in enumerate(DKI_EMPLOYERS):
        puk = _body(
            f"{puk_name} FSPMI",
            short_name=puk_name,
            kind=UnionBody.Kind.UNIT,
            parent=kc[region],
            level=levels.get("PUK"),
            region_id=region,
            employer=employers[name],
            sector=_sector,
        )
        key = "puk_indofood" if "Indofood" in name else "puk_kukuh" if "Kukuh" in name else f"puk_dki_{index}"
        ctx.union_bodies[key] = puk
        frame = _people_frame(
            rng,
            count,
            district_codes=codes,
            serial_base=1000 + index * 600,
            occupation=lambda i: ("Operator Produksi", "Teknisi", "Staf Gudang", "Quality Control")[i % 4],
            status="formal",
            wage=lambda r: 5_396_761 + r.randrange(0, 2_000) * 1000,
            member_prefix=f"FSPMI-{index + 1:02d}",
        )
        _import(frame, body=puk)


def _jember(ctx, rng):

    pc = ctx.union_bodies["pc_kerahbiru_jember"]
    levels = getattr(ctx, "union_levels", {}).get("fsp_kerahbiru", {})
    codes = sorted(c for c in districts() if c.startswith("3509"))
    for index, (name, sector, occupation, count) in enumerate(JEMBER_POKJA):
        pokja = _body(
            f"{name} FSP Kerah Biru-SPSI Jember",
            short_name=name,
            kind=UnionBody.Kind.UNIT,
            parent=pc,
            level=levels.get("POKJA"),
            region_id="3509",
            sector=sector,
        )
        ctx.union_bodies[f"pokja_{sector.lower()}"] = pokja
        frame = _people_frame(
            rng,
            count,
            district_codes=codes,
            serial_base=1000 + index * 300,
            occupation=occupation,
            status="informal",
            wage=lambda r: (1_000_000, 1_200_000, 1_500_000, 2_000_000)[r.randrange(4)],
            member_prefix=f"KB-{index + 1}",
        )
        _import(frame, body=pokja)


def _pekalongan(rng):
    codes = sorted(c for c in districts() if c.startswith("3375"))
    frames = []
    base = 1000
    for occupation, count in PEKALONGAN_OCCUPATIONS:
        frames.append(
            _people_frame(
                rng,
                count,
                district_codes=codes,
                serial_base=base,
                occupation=occupation,
                status="informal",
                wage=1_000_000,
            )
        )
        base += count
    frame = (
        pl.concat(frames)
        .drop("_row")
        .with_row_index("_row", offset=2)
        .with_columns(pl.col("_row").cast(pl.Int64))
    )
    _import(frame)


@transaction.atomic
def _families_and_deceased(rng, employers):

    for spec in DECEASED:
        employer = employers[spec["employer"]]
        name, nik, birth, sex = spec["worker"]
        person = Person.objects.filter(nik=nik).first()
        if person is None:
            person = Person.objects.create(
                nik=nik,
                name=name,
                birth_date=birth,
                sex=sex,
                domicile_region_id=nik[:6],
                occupation="Operator Produksi",
                employment_type="formal",
                is_deceased=True,
                death_date=spec["died"],
            )
        Employment.objects.get_or_create(
            person=person,
            employer=employer,
            defaults={"start_date": spec["enrolled"], "end_date": spec["died"], "wage": spec["wage"]},
        )
        puk = employer.union_units.first()
        if puk is not None and not Membership.objects.filter(person=person, body=puk).exists():
            Membership.objects.create(
                person=person,
                body=puk,
                employer=employer,
                member_number=f"FSPMI-D{nik[-4:]}",
                joined_on=spec["enrolled"],
                left_on=spec["died"],
                status=Membership.Status.LEFT,
                verified=True,
            )
        if not person.family.exists():
            FamilyMember.objects.bulk_create(
                [
                    FamilyMember(
                        person=person,
                        relation=rel,
                        name=n,
                        birth_date=b,
                        sex=s,
                        school_level=lv,
                        school_grade=g,
                        is_married=rel in ("spouse", "parent"),
                    )
                    for rel, n, b, s, lv, g in spec["family"]
                ]
            )
    # families for some living members: spouse and school-age children (once)
    if FamilyMember.objects.filter(
        person__is_deceased=False, person__memberships__body__employer__in=employers.values()
    ).exists():
        return
    members = list(
        Person.objects.filter(
            memberships__body__employer__in=employers.values(), family__isnull=True, is_deceased=False
        )
        .order_by("nik")
        .values_list("pk", "birth_date", "sex")[:40]
    )
    levels = [("TK", None), ("SD", 2), ("SD", 5), ("SMP", 1), ("SMA", 3), ("PT", 1)]
    family = []
    for pk, birth, sex in members:
        spouse_sex = "F" if sex == "M" else "M"
        family.append(
            FamilyMember(
                person_id=pk,
                relation="spouse",
                name=f"{rng.choice(GIVEN_F if spouse_sex == 'F' else GIVEN_M)} {rng.choice(FAMILY)}",
                birth_date=birth + dt.timedelta(days=rng.randrange(-900, 900)),
                sex=spouse_sex,
                is_married=True,
            )
        )
        for _child in range(rng.randrange(1, 4)):
            level, grade = rng.choice(levels)
            child_sex = rng.choice("MF")
            family.append(
                FamilyMember(
                    person_id=pk,
                    relation="child",
                    name=f"{rng.choice(GIVEN_F if child_sex == 'F' else GIVEN_M)} {rng.choice(FAMILY)}",
                    birth_date=dt.date(
                        2025 - {"TK": 5, "SD": 9, "SMP": 13, "SMA": 16, "PT": 19}[level],
                        rng.randrange(1, 13),
                        rng.randrange(1, 28),
                    ),
                    sex=child_sex,
                    school_level=level,
                    school_grade=grade,
                )
            )
    FamilyMember.objects.bulk_create(family)


@transaction.atomic
def _records(ctx):

    recorded = [
        ("fspmi", "disnakertrans_dki", "412/-1.835/SP/2001", dt.date(2001, 3, 19)),
        ("fsp_kerahbiru", "disnaker_jember", "560/118/35.09.325/2015", dt.date(2015, 9, 7)),
    ]
    for body_key, agency_key, number, date in recorded:
        body, agency = ctx.union_bodies.get(body_key), ctx.orgs.get(agency_key)
        if body is None or agency is None:
            continue
        UnionRegistration.objects.get_or_create(
            body=body,
            agency=agency,
            record_number=number,
            defaults={
                "status": UnionRegistration.Status.RECORDED,
                "submitted_on": date - dt.timedelta(days=18),
                "record_date": date,
            },
        )
    positions = [
        ("dpw_fspmi_dki", "Ketua"),
        ("dpw_fspmi_dki", "Sekretaris"),
        ("puk_indofood", "Ketua PUK"),
        ("puk_kukuh", "Ketua PUK"),
        ("pc_kerahbiru_jember", "Ketua"),
        ("pokja_pertanian", "Koordinator"),
    ]
    for body_key, position in positions:
        body = ctx.union_bodies.get(body_key)
        if body is None or UnionOfficial.objects.filter(body=body, position=position).exists():
            continue
        person = (
            Person.objects.filter(memberships__body__path__startswith=body.path, memberships__status="active")
            .exclude(union_positions__isnull=False)
            .order_by("nik")
            .first()
        )
        if person is not None:
            UnionOfficial.objects.create(
                body=body,
                person=person,
                position=position,
                term_start=dt.date(2022, 1, 15),
                term_end=dt.date(2027, 1, 14),
            )


def load(ctx):

    rng = random.Random(1967)  # own stream: the demo is the same whatever other apps draw
    employers = _employers()
    ctx.say("  registry: DPW FSPMI DKI Jakarta, workplace units and members …")
    _dki(ctx, rng, employers)
    ctx.say("  registry: PC FSP Kerah Biru-SPSI Jember and its Pokja …")
    _jember(ctx, rng)
    ctx.say("  registry: vulnerable workers in Kota Pekalongan …")
    _pekalongan(rng)
    _families_and_deceased(rng, employers)
    _records(ctx)
    member_counts_recompute()
    ctx.employers = getattr(ctx, "employers", {}) | employers
