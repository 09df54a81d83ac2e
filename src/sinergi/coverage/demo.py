"""Coverage demo: the articles' sponsored schemes and Jakarta's wage earners, with invented people.

- Kota Pekalongan (article 004): the city budget pays the BPU package for vulnerable workers under
  Perwal 19/2023 revising Perwal 19B/2022; in 2023, 423 participants enrolled against a target of
  500. Told through the real flow: an officer of Dinperinaker selects candidates from the registry,
  a second officer approves, the branch's participant numbers are imported back; January–March
  2023 are billed to the city and paid.
- Kabupaten Jember (article 003): APBD-paid farmers, fishermen and guru ngaji (the guru ngaji are
  created here; the registry has the farmers' and fishermen's working groups).
- DKI Jakarta (article 002): members of DPW FSPMI DKI Jakarta with PU participations at their
  employers (most covered, about one in seven not, so the coverage gap shows something); August to
  October 2026 billed; one employer has not paid and its workers' coverage lapsed.

Idempotent: nothing is added when the Pekalongan scheme already exists.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from sinergi.core import clock
from sinergi.coverage import services
from sinergi.coverage.models import Bill, Participation, Scheme, WageReport
from sinergi.registry.models import Employment, Person
from sinergi.registry.normalize import name_key
from sinergi.rules import contributions as rules
from sinergi.rules.nik import districts
from sinergi.unions.models import Membership

PEKALONGAN_SCHEME = "Perlindungan Pekerja Rentan Kota Pekalongan"
PEKALONGAN_OCCUPATIONS = [
    "Penggali kubur",
    "Pengayuh becak",
    "Tukang pijat tunanetra",
    "Pengatur lalu lintas tuna rungu",
    "Sopir angkot sistem setoran",
    "Lebe non-PNS",
]
JEMBER_SCHEME = "Jaminan Sosial Ketenagakerjaan Pekerja Rentan Kabupaten Jember"
GURU_NGAJI = 120
UNPAID_EMPLOYER = "PT Armada Komponen Pulogadung"
JAKARTA_MONTHS = [dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1)]
GIVEN = "Ahmad Abdul Muhammad Siti Nur Khoirul Umi Zainal Fatimah Hasan Aminah Ridwan Mahmud Khadijah".split()
FAMILY = "Hasyim Syafii Maksum Rosyid Fauzi Junaidi Zubaidah Baidowi Mas'udi Anwar".split()


def _pekalongan(ctx):

    officer, checker = ctx.users["petugas.pekalongan"], ctx.users["petugas2.pekalongan"]
    eligible = Person.objects.filter(
        domicile_region__code__startswith="3375",
        employment_type="informal",
        is_vulnerable=True,
        occupation__in=PEKALONGAN_OCCUPATIONS,
    ).count()
    if eligible < 423:
        _create_people(
            ctx, 423 - eligible, district_prefix="3375", occupation=PEKALONGAN_OCCUPATIONS[1], seed=3375
        )
    package = rules.package_monthly(dt.date(2023, 1, 1))
    scheme = services.scheme_create(
        actor=officer,
        sponsor_organisation=ctx.orgs["apbd_pekalongan"],
        agency=ctx.orgs["dinperinaker_pekalongan"],
        branch=ctx.orgs["bpjs_pekalongan"],
        region_id="3375",
        name=PEKALONGAN_SCHEME,
        legal_basis="Perwal Kota Pekalongan No. 19/2023 tentang Perubahan atas Perwal No. 19B/2022",
        year=2023,
        target=500,
        budget=package * 500 * 12,
        eligible_occupations=PEKALONGAN_OCCUPATIONS,
        occupation_priority=PEKALONGAN_OCCUPATIONS,
        billing_cycle=Scheme.Cycle.MONTHLY,
    )
    # the 2023 story happens in January 2023 (a closed budget year refuses selection and approval)
    with clock.travel("2023-01-05"):
        batch = services.candidates_select(actor=officer, scheme=scheme, limit=423)
        services.batch_decide(
            actor=checker,
            batch=batch,
            approve=True,
            note="Verifikasi kelurahan selesai",
            start_date=dt.date(2023, 1, 1),
        )
        niks = [row[0] for row in services.enrolment_rows(scheme)]
        reply = "NIK,No Peserta\n" + "".join(
            f"{nik},23{i:09d}\n" for i, nik in enumerate(niks, start=33750001)
        )
        services.participant_numbers_import(
            actor=officer, scheme=scheme, data=reply.encode(), filename="kpj-2023.csv"
        )
    return scheme


def _create_people(ctx, n, *, district_prefix, occupation, seed, vulnerable=True):
    """Invented people with valid NIKs for real districts of `district_prefix`."""
    rng = random.Random(seed)
    codes = sorted(c for c in districts() if c.startswith(district_prefix))
    existing = set(Person.objects.filter(nik__startswith=district_prefix).values_list("nik", flat=True))
    people, serial = [], 9000
    while len(people) < n:
        serial += 1
        birth = dt.date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
        sex = rng.choice("MF")
        district = rng.choice(codes)
        nik = f"{district}{birth.day + (40 if sex == 'F' else 0):02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"
        if nik in existing:
            continue
        existing.add(nik)
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        people.append(
            Person(
                nik=nik,
                name=name,
                name_key=name_key(name),
                birth_date=birth,
                sex=sex,
                domicile_region_id=district,
                occupation=occupation,
                employment_type="informal",
                declared_income=Decimal(1000000),
                is_vulnerable=vulnerable,
                vulnerable_reason="pekerja informal berpenghasilan rendah" if vulnerable else "",
            )
        )
    Person.objects.bulk_create(people, batch_size=500)


def _jember(ctx):

    _create_people(ctx, GURU_NGAJI, district_prefix="3509", occupation="Guru ngaji", seed=3509)
    package = rules.package_monthly(dt.date(2026, 1, 1))
    people = list(
        Person.objects.filter(
            domicile_region__code__startswith="3509",
            occupation__in=["Petani", "Nelayan", "Guru ngaji"],
            is_deceased=False,
        ).order_by("pk")
    )
    scheme = services.scheme_create(
        actor=ctx.users["petugas.jember"],
        sponsor_organisation=ctx.orgs["apbd_jember"],
        agency=ctx.orgs["disnaker_jember"],
        region_id="3509",
        name=JEMBER_SCHEME,
        legal_basis="Inpres 2/2021; APBD Kabupaten Jember 2026",
        year=2026,
        target=400,
        budget=package * 400 * 12,
        eligible_occupations=["Petani", "Nelayan", "Guru ngaji"],
        occupation_priority=["Guru ngaji", "Nelayan", "Petani"],
        require_vulnerable=False,
    )
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    income = rules.BPU_MIN_INCOME.value_at(start)
    parts = [
        Participation(
            person=p,
            segment="BPU",
            payer_kind="sponsor",
            sponsor_organisation_id=scheme.sponsor_organisation_id,
            scheme=scheme,
            region_id=p.domicile_region_id,
            participant_number=f"22{p.pk:09d}",
            start_date=start,
            end_date=end,
            status="active",
            prior_contribution_months=12 * 4,  # APBD-paid since June 2022 (article 003)
            wage=income,
        )
        for p in people
    ]
    Participation.objects.bulk_create(parts, batch_size=500)
    created = Participation.objects.filter(scheme=scheme)
    WageReport.objects.bulk_create(
        [WageReport(participation=p, amount=income, valid_from=start) for p in created], batch_size=500
    )


def _jakarta(ctx):

    dpw = ctx.union_bodies["dpw_fspmi_dki"]
    members = Membership.objects.filter(status="active", body__path__startswith=dpw.path).values("person_id")
    jobs = (
        Employment.objects.filter(
            end_date__isnull=True,
            person_id__in=members,
            person__is_deceased=False,
            person__participations__isnull=True,
            wage__isnull=False,
        )
        .select_related("employer", "person")
        .order_by("person_id")
    )
    parts = []
    for job in jobs:
        if job.person_id % 7 == 0:  # about one in seven never registered by the employer: the gap
            continue
        employer = job.employer
        parts.append(
            Participation(
                person=job.person,
                segment="PU",
                jkk=True,
                jkm=True,
                jht=True,
                jp=employer.size in ("medium", "large"),
                payer_kind="employer",
                employer=employer,
                region_id=employer.region_id,
                participant_number=f"21{job.person_id:09d}",
                # the registry import dates employments on the import day; coverage began earlier
                start_date=min(job.start_date, dt.date(2024, 1, 1)),
                status="active",
                risk_class=employer.jkk_risk_class,
                labour_intensive_industry=employer.labour_intensive_industry or "",
                prior_contribution_months=job.person_id % 120,
                wage=job.wage,
            )
        )
    Participation.objects.bulk_create(parts, batch_size=1000)
    created = Participation.objects.filter(segment="PU", payer_kind="employer", scheme__isnull=True).exclude(
        wage_reports__isnull=False
    )
    WageReport.objects.bulk_create(
        [WageReport(participation=p, amount=p.wage, valid_from=p.start_date) for p in created],
        batch_size=1000,
    )
    return len(parts)


def _bills(ctx):

    admin = ctx.users["admin"]
    # Each branch bills the payers in its own service area; the administrator's run then bills what
    # no demo branch serves (the Jember sponsor).
    pekalongan, cilincing = ctx.users["bpjs.pekalongan"], ctx.users["bpjs.cilincing"]
    for month in (dt.date(2023, 1, 1), dt.date(2023, 2, 1), dt.date(2023, 3, 1)):
        services.billing_run(actor=pekalongan, month=month)
    for month in JAKARTA_MONTHS:
        services.billing_run(actor=cilincing, month=month)
    for month in (dt.date(2023, 1, 1), dt.date(2023, 2, 1), dt.date(2023, 3, 1), *JAKARTA_MONTHS):
        services.billing_run(actor=admin, month=month)
    for bill in Bill.objects.exclude(payer_name=UNPAID_EMPLOYER).order_by("month", "pk"):
        paid_on = rules.bill_due_date(bill.month) - dt.timedelta(days=5)
        services.payment_record(
            actor=admin, bill=bill, amount=bill.total, paid_on=paid_on, reference=f"SPM-{bill.number}"
        )
    services.statuses_refresh(actor=admin)


def load(ctx):

    if Scheme.objects.filter(name=PEKALONGAN_SCHEME, year=2023).exists():
        ctx.say("  coverage: demo already loaded")
        return
    with transaction.atomic():
        ctx.say("  coverage: Pekalongan vulnerable-worker scheme 2023 (selection, approval, numbers) …")
        scheme = _pekalongan(ctx)
        ctx.say("  coverage: Jember APBD-paid farmers, fishermen and guru ngaji …")
        _jember(ctx)
        ctx.say("  coverage: Jakarta wage earners (DPW FSPMI DKI members) …")
        n = _jakarta(ctx)
        ctx.say("  coverage: billing runs and payments …")
        _bills(ctx)
    ctx.say(f"  coverage: {scheme} with {scheme.participations.count()} participants; {n} Jakarta workers")
