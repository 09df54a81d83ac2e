"""Demo: the 2020 Kartu Pekerja Jakarta program (target 23,000, split 6,000 / 4,500 / 5,750 / 6,750) with
cards issued to DPW FSPMI DKI members, the May Day 2024 distribution of 580 sembako packages at GOR
Rawa Badak (Koja, North Jakarta) by BPJS Ketenagakerjaan Jakarta Utara, Jakpreneur cohorts and its
e-order level, and Koperasi Metal Maju Bersama (launched August 2019) with members and savings.

Everything is inserted set-based and guarded by existence checks, so a second run changes nothing.
Workers come from the registry demo (active members below DPW FSPMI DKI); when fewer than
`MIN_ELIGIBLE` of them meet the 2020 rules, invented workers employed since 2016 are added here so the
2020 story can still be told.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sinergi.core import clock
from sinergi.programs import eligibility
from sinergi.programs.models import (
    Allocation,
    Application,
    ApplicationEvent,
    Attendance,
    Card,
    Cohort,
    Cooperative,
    CoopMember,
    Course,
    Distribution,
    Enrolment,
    Handover,
    Program,
    ProgramTarget,
    SavingsEntry,
)
from sinergi.registry.models import Employer, Employment, Person
from sinergi.rules.programs import allocate_packages
from sinergi.unions.models import Membership, UnionBody
from sinergi.unions.services import member_counts_recompute, union_body_create

MIN_ELIGIBLE = 2500  # DKI members eligible in 2020 the demo needs for its cards
CARDS = 2400  # issued in the demo (realisation against the 23,000 target)
KPJ_CODE = "KPJ2020"
FIRST = [
    "Agus",
    "Budi",
    "Dedi",
    "Eko",
    "Fitri",
    "Hendra",
    "Indah",
    "Joko",
    "Kurnia",
    "Lestari",
    "Mulyadi",
    "Nur",
    "Putri",
    "Rahmat",
    "Siti",
    "Taufik",
    "Wahyuni",
    "Yanti",
    "Zainal",
    "Ahmad",
    "Dewi",
    "Rizki",
]
LAST = [
    "Saputra",
    "Hidayat",
    "Lestari",
    "Nugroho",
    "Wijaya",
    "Pratama",
    "Santoso",
    "Rahayu",
    "Kurniawan",
    "Siregar",
    "Simanjuntak",
    "Maulana",
    "Setiawan",
    "Handayani",
    "Susanto",
    "Permana",
]
NJ_DISTRICTS = ["317201", "317202", "317203", "317204", "317205", "317206"]


def _dki_members(ctx):
    dpw = ctx.union_bodies["dpw_fspmi_dki"]
    member_ids = Membership.objects.filter(body__path__startswith=dpw.path, status="active").values(
        "person_id"
    )
    return Person.objects.filter(pk__in=member_ids, merged_into__isnull=True)


@transaction.atomic
def _supplementary_workers(ctx, needed: int):
    """Invented metal workers in North Jakarta, members of a PUK below DPW FSPMI DKI (only if needed)."""
    rng = ctx.rng
    dpw = ctx.union_bodies["dpw_fspmi_dki"]
    levels = getattr(ctx, "union_levels", {}).get("fspmi", {})
    employers, units = [], []
    for i, name in enumerate(
        [
            "PT Logam Jaya Utama",
            "PT Baja Samudra Priok",
            "PT Mesin Cakung Presisi",
            "PT Komponen Koja Mandiri",
        ]
    ):
        emp, _ = Employer.objects.get_or_create(
            name=name, defaults={"region_id": "3172", "size": "large", "sector": "logam", "jkk_risk_class": 3}
        )
        employers.append(emp)
        unit = UnionBody.objects.filter(name=f"PUK SPAMK FSPMI {name}").first() or union_body_create(
            actor=None,
            name=f"PUK SPAMK FSPMI {name}",
            short_name=f"PUK {name.replace('PT ', '')}",
            kind=UnionBody.Kind.UNIT,
            region_id=NJ_DISTRICTS[i],
            parent=dpw,
            level=levels.get("PUK"),
            employer=emp,
        )
        units.append(unit)
    candidates = []
    for n in range(needed):
        district = NJ_DISTRICTS[n % len(NJ_DISTRICTS)]
        sex = "F" if n % 3 == 0 else "M"
        birth = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
        day = birth.day + (40 if sex == "F" else 0)
        candidates.append(
            (
                f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{9000 - n % 9000:04d}",
                district,
                sex,
                birth,
            )
        )
    existing = set(Person.objects.filter(nik__in=[c[0] for c in candidates]).values_list("nik", flat=True))
    people = []
    for nik, district, sex, birth in candidates:
        if nik in existing:
            continue
        name = f"{FIRST[rng.randrange(len(FIRST))]} {LAST[rng.randrange(len(LAST))]}"
        people.append(
            Person(
                nik=nik,
                name=name,
                name_key=name.lower(),
                birth_date=birth,
                sex=sex,
                domicile_region_id=district,
                occupation="operator produksi",
                employment_type="formal",
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)
    created = Person.objects.filter(nik__in=[p.nik for p in people])
    jobs, members = [], []
    for i, person in enumerate(created):
        k = i % len(employers)
        wage = Decimal(3_900_000 + rng.randrange(0, 1_100_000) // 1000 * 1000)
        if i % 10 == 0:
            wage = Decimal(5_200_000)  # above the 2020 ceiling: not eligible
        jobs.append(
            Employment(
                person=person,
                employer=employers[k],
                start_date=dt.date(2016, 1, 4),
                wage=wage,
                work_region_id=units[k].region_id,
            )
        )
        members.append(
            Membership(
                person=person,
                body=units[k],
                employer=employers[k],
                member_number=f"FSPMI-{person.pk:07d}",
                joined_on=dt.date(2017, 5, 1),
                verified=True,
                verified_on=dt.date(2019, 2, 1),
            )
        )
    Employment.objects.bulk_create(jobs, batch_size=1000)
    Membership.objects.bulk_create(members, batch_size=1000)
    # counts are derived: recompute the bodies that gained members (and their ancestors) right away
    member_counts_recompute(body_ids=sorted({m.body_id for m in members}))
    return len(people)


def _kpj(ctx, people_qs):
    if Program.objects.filter(code=KPJ_CODE).exists():
        return Program.objects.get(code=KPJ_CODE)
    officer, checker, official = (
        ctx.users["petugas.dki"],
        ctx.users["petugas2.dki"],
        ctx.users["serikat.fspmi"],
    )
    program = Program.objects.create(
        code=KPJ_CODE,
        name="Kartu Pekerja Jakarta 2020",
        kind=Program.Kind.WORKER_CARD,
        owner=ctx.orgs["disnakertrans_dki"],
        region_id="31",
        legal_basis="Program Kartu Pekerja Jakarta, Pemprov DKI Jakarta (sejak Februari 2018); kriteria "
        "Disnakertrans dan Energi DKI: KTP DKI, bekerja di DKI, upah ≤ UMP + 10%",
        year=2020,
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 12, 31),
        rules=_kpj_rules(),
        description="Target distribusi 23.000 KPJ pada 2020 (Disnakertrans dan Energi DKI).",
    )
    ProgramTarget.objects.bulk_create(
        [
            ProgramTarget(program=program, year=2020, quarter=q, amount=a)
            for q, a in [(None, 23000), (1, 6000), (2, 4500), (3, 5750), (4, 6750)]
        ]
    )
    ctx_e = eligibility.program_context(program, on=dt.date(2020, 6, 1))
    eligible = list(
        eligibility.eligible_people(program, base_qs=people_qs, ctx=ctx_e)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    bodies = dict(
        Membership.objects.filter(person_id__in=eligible, status="active").values_list("person_id", "body_id")
    )
    n_issued = min(CARDS, max(0, len(eligible) - 40))
    issued, pending = eligible[:n_issued], eligible[n_issued : n_issued + 40]
    now = clock.now()
    apps = [
        Application(
            program=program,
            person_id=pid,
            union_body_id=bodies.get(pid),
            status="approved",
            wage_ceiling=ctx_e.wage_ceiling,
            nominated_by=official,
            verified_by=officer,
            verified_at=now,
            decided_by=checker,
            decided_at=now,
        )
        for pid in issued
    ] + [
        Application(
            program=program,
            person_id=pid,
            union_body_id=bodies.get(pid),
            status="nominated" if i % 2 else "verified",
            wage_ceiling=ctx_e.wage_ceiling,
            nominated_by=official,
            verified_by=None if i % 2 else officer,
            verified_at=None if i % 2 else now,
        )
        for i, pid in enumerate(pending)
    ]
    Application.objects.bulk_create(apps, batch_size=1000)
    app_rows = list(
        Application.objects.filter(program=program).values_list("pk", "person_id", "union_body_id", "status")
    )
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(application_id=a, from_status="", to_status="nominated", actor=official)
            for a, _p, _b, _s in app_rows
        ],
        batch_size=2000,
    )
    # issue dates follow the quarterly plan, the later quarters slowed by COVID-19
    quarter_days = [dt.date(2020, 2, 20), dt.date(2020, 5, 14), dt.date(2020, 8, 27), dt.date(2020, 11, 19)]
    weights = [6000, 2000, 1500, 1000]
    cards, serial = [], 0
    approved = [r for r in app_rows if r[3] == "approved"]
    cut = [len(approved) * sum(weights[: i + 1]) // sum(weights) for i in range(4)]
    for i, (aid, pid, bid, _s) in enumerate(approved):
        q = next(k for k, c in enumerate(cut) if i < c)
        serial += 1
        handed = i % 5 != 0
        cards.append(
            Card(
                program=program,
                application_id=aid,
                person_id=pid,
                union_body_id=bid,
                number=f"{KPJ_CODE}-{serial:07d}",
                issued_on=quarter_days[q],
                issued_by=checker,
                handed_over_on=quarter_days[q] + dt.timedelta(days=14) if handed else None,
                handover_place="Kantor Sudin Nakertrans dan Energi Jakarta Utara" if handed else "",
                handover_event="Penyerahan KPJ melalui DPW FSPMI DKI" if handed else "",
                handed_over_by="Sudin Nakertrans dan Energi Jakarta Utara" if handed else "",
            )
        )
    Card.objects.bulk_create(cards, batch_size=2000)
    Program.objects.filter(pk=program.pk).update(card_serial=serial)
    ctx.say(f"  KPJ 2020: {len(cards)} cards issued, {len(pending)} applications pending")
    return program


def _may_day(ctx, people_qs):
    name = "Paket sembako May Day 2024 — Jakarta Utara"
    if Distribution.objects.filter(name=name).exists():
        return
    dist = Distribution.objects.create(
        name=name,
        organisation=ctx.orgs["bpjs_cilincing"],
        region_id="3172",
        event_date=dt.date(2024, 5, 1),
        place="GOR Rawa Badak, Rawa Badak Selatan, Koja, Jakarta Utara",
        package="paket sembako",
        stock_received=580,
    )
    bodies = list(UnionBody.objects.filter(region__code__startswith="3172", kind="unit").order_by("pk")[:8])
    if not bodies:
        bodies = [ctx.union_bodies["dpw_fspmi_dki"]]
    weights = [
        Membership.objects.filter(body__path__startswith=b.path, status="active", verified=True).count()
        for b in bodies
    ]
    quotas = allocate_packages(580, weights)
    Allocation.objects.bulk_create(
        [
            Allocation(distribution=dist, union_body=b, weight=w, quota=q)
            for b, w, q in zip(bodies, weights, quotas, strict=True)
        ]
    )
    volunteer = ctx.users["bpjs.cilincing"]
    start = timezone.make_aware(dt.datetime(2024, 5, 1, 9, 0))
    rows = []
    for body, quota in zip(bodies, quotas, strict=True):
        ids = list(
            Membership.objects.filter(
                body__path__startswith=body.path,
                status="active",
                person__domicile_region__code__startswith="3172",
            )
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .distinct()[: max(0, quota - 2)]
        )
        rows += [(pid, body.pk) for pid in ids]
    seen, handovers = set(), []
    for i, (pid, bid) in enumerate(rows):
        if pid in seen:
            continue
        seen.add(pid)
        handovers.append(
            Handover(
                distribution=dist,
                person_id=pid,
                union_body_id=bid,
                identified_by="nik",
                handed_at=start + dt.timedelta(seconds=20 * i),
                place=dist.place,
                handed_by=volunteer,
            )
        )
    Handover.objects.bulk_create(handovers[:575], batch_size=1000)
    ctx.say(f"  May Day 2024: {min(len(handovers), 575)} of 580 packages handed over")


def _jakpreneur(ctx, people_qs):
    code = "JAKPRENEUR2020"
    if Program.objects.filter(code=code).exists():
        return
    program = Program.objects.create(
        code=code,
        name="Jakpreneur: pelatihan kewirausahaan pekerja",
        kind=Program.Kind.TRAINING,
        owner=ctx.orgs["disnakertrans_dki"],
        region_id="31",
        legal_basis="Program Jakpreneur Pemprov DKI Jakarta (pengembangan kewirausahaan terpadu)",
        year=2020,
        start_date=dt.date(2019, 10, 1),
        end_date=dt.date(2020, 12, 31),
        rules=[{"rule": "ktp_province", "value": "31"}, {"rule": "union_member"}],
        description="Yang sudah dilatih ditingkatkan ke pelatihan e-order (Kadisnakertrans, Agustus 2020).",
    )
    ProgramTarget.objects.create(program=program, year=2020, quarter=None, amount=200)
    basics = Course.objects.create(program=program, level=1, name="Dasar kewirausahaan Jakpreneur")
    eorder = Course.objects.create(
        program=program, level=2, name="Pelatihan e-order (katering untuk perangkat daerah)"
    )
    c1 = Cohort.objects.create(
        course=basics,
        name="Jakpreneur Angkatan I — Jakarta Utara",
        region_id="3172",
        start_date=dt.date(2019, 11, 4),
        end_date=dt.date(2019, 11, 8),
        place="PPKD Jakarta Utara",
        sessions=5,
        min_attendance=4,
    )
    c2 = Cohort.objects.create(
        course=basics,
        name="Jakpreneur Angkatan II — Jakarta Utara",
        region_id="3172",
        start_date=dt.date(2020, 2, 10),
        end_date=dt.date(2020, 2, 14),
        place="PPKD Jakarta Utara",
        sessions=5,
        min_attendance=4,
    )
    c3 = Cohort.objects.create(
        course=eorder,
        name="E-order Angkatan I (ditunda COVID-19)",
        region_id="3172",
        start_date=dt.date(2020, 9, 7),
        end_date=dt.date(2020, 9, 9),
        place="Disnakertrans dan Energi DKI",
        sessions=3,
        min_attendance=3,
    )
    ids = list(people_qs.order_by("-pk").values_list("pk", flat=True)[:90])
    enrol = [
        Enrolment(cohort=c1 if i < 45 else c2, person_id=pid, status="completed" if i % 9 else "dropped")
        for i, pid in enumerate(ids)
    ]
    Enrolment.objects.bulk_create(enrol)
    done = list(Enrolment.objects.filter(cohort__in=[c1, c2]).select_related("cohort"))
    Attendance.objects.bulk_create(
        [
            Attendance(enrolment=e, session=s, present=e.status == "completed" or s < 3)
            for e in done
            for s in range(1, 6)
        ]
    )
    for e in done:
        if e.status == "completed":
            e.completed_on = e.cohort.end_date
            e.certificate_number = f"JP-1-{e.cohort_id:04d}-{e.pk:06d}"
    Enrolment.objects.bulk_update(done, ["completed_on", "certificate_number"])
    graduates = [e.person_id for e in done if e.status == "completed"][:30]
    Enrolment.objects.bulk_create([Enrolment(cohort=c3, person_id=pid) for pid in graduates])
    ctx.say(f"  Jakpreneur: {len(done)} enrolled in basics, {len(graduates)} graduates in e-order")


def _kmmb(ctx, people_qs):
    name = "Koperasi Metal Maju Bersama"
    if Cooperative.objects.filter(name=name).exists():
        return
    coop = Cooperative.objects.create(
        name=name,
        short_name="KMMB",
        organisation=ctx.orgs["kmmb"],
        union_body=ctx.union_bodies["dpw_fspmi_dki"],
        region_id="31",
        launched_on=dt.date(2019, 8, 1),
        pokok_amount=Decimal(100_000),  # demo bylaws figures (invented)
        wajib_amount=Decimal(25_000),
    )
    ids = list(people_qs.order_by("pk").values_list("pk", flat=True)[:300])
    bodies = dict(
        Membership.objects.filter(person_id__in=ids, status="active").values_list("person_id", "body_id")
    )
    members = [
        CoopMember(
            cooperative=coop,
            person_id=pid,
            union_body_id=bodies[pid],
            member_number=f"KMMB-{i + 1:06d}",
            joined_on=dt.date(2019, 8, 1) + dt.timedelta(days=(i % 120)),
        )
        for i, pid in enumerate(ids)
        if pid in bodies
    ]
    CoopMember.objects.bulk_create(members)
    Cooperative.objects.filter(pk=coop.pk).update(member_serial=len(members))
    recorder = ctx.users["koperasi.kmmb"]
    entries = []
    for i, m in enumerate(CoopMember.objects.filter(cooperative=coop)):
        entries.append(
            SavingsEntry(
                member=m, kind="pokok", entry_date=m.joined_on, amount=coop.pokok_amount, recorded_by=recorder
            )
        )
        month = dt.date(m.joined_on.year, m.joined_on.month, 25)
        while month <= dt.date(2020, 12, 25):
            entries.append(
                SavingsEntry(
                    member=m, kind="wajib", entry_date=month, amount=coop.wajib_amount, recorded_by=recorder
                )
            )
            month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 25)
        if i % 4 == 0:
            entries.append(
                SavingsEntry(
                    member=m,
                    kind="sukarela",
                    entry_date=dt.date(2020, 3, 2),
                    amount=Decimal(200_000 + 50_000 * (i % 5)),
                    recorded_by=recorder,
                )
            )
        if i % 12 == 0:
            entries.append(
                SavingsEntry(
                    member=m,
                    kind="sukarela",
                    entry_date=dt.date(2020, 4, 20),
                    amount=Decimal(-100_000),
                    note="penarikan (pandemi)",
                    recorded_by=recorder,
                )
            )
    SavingsEntry.objects.bulk_create(entries, batch_size=2000)
    ctx.say(f"  KMMB: {len(members)} members, {len(entries)} savings entries")


def _kpj_rules():
    return [
        {"rule": "ktp_province", "value": "31"},
        {"rule": "works_in_region", "value": "31"},
        {"rule": "kpj_wage_ceiling"},
    ]


def _eligible_2020(people) -> int:
    """How many of `people` meet the KPJ 2020 rules on 1 June 2020 (an unsaved program, one query)."""
    probe = Program(
        code=KPJ_CODE,
        year=2020,
        region_id="31",
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2020, 12, 31),
        rules=_kpj_rules(),
    )
    ctx = eligibility.program_context(probe, on=dt.date(2020, 6, 1))
    return eligibility.eligible_people(probe, base_qs=people, ctx=ctx).count()


def load(ctx):
    people = _dki_members(ctx)
    if not Program.objects.filter(code=KPJ_CODE).exists():
        eligible = _eligible_2020(people)
        if eligible < MIN_ELIGIBLE:
            # the registry demo's members were hired too recently or earn too much for the 2020 ceiling
            added = _supplementary_workers(ctx, (MIN_ELIGIBLE - eligible) * 3 // 2)  # about 2 in 3 qualify
            ctx.say(
                f"  programs: {added} invented DKI metal workers (employed since 2016) added for the 2020 story"
            )
            people = _dki_members(ctx)
    with transaction.atomic():
        _kpj(ctx, people)
        _may_day(ctx, people)
        _jakpreneur(ctx, people)
        _kmmb(ctx, people)
