"""Demo claims: the May Day 2024 payments of article 002, and open claims in every state.

Article 002: on 1 May 2024 BPJS Ketenagakerjaan Cabang Jakarta Cilincing paid JKK, JHT, JP and
scholarship benefits of Rp974,549,826 to the heirs of a worker of PT Indofood CBP Sukses Makmur and
Rp911,074,260 to the heirs of a worker of PT Kukuh Mandiri Lestari. The workers and heirs are invented.

How each total is split (computed by sinergi.rules.benefits through the normal claim services):
- JKK death = 48 x the reported wage + funeral Rp10,000,000 + periodic 24 x Rp500,000 (PP 82/2019);
- scholarship = the first school year of the two children at the PP 82/2019 rates (JKK: no minimum period);
- JP = the accumulated contributions + returns paid as a lump sum (under 15 years of JP and a contribution
  density below 80%, so the as-if-15-years survivor pension does not apply);
- JHT = the balance; it is the free component: total - JKK - scholarship - JP, a plausible balance for
  the worker's 20+ years of contributions. The amounts below reproduce the article's totals exactly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sinergi.claims import selectors, services
from sinergi.claims.models import Claim, ClaimCase, ClaimEvent, DocumentType
from sinergi.core import clock
from sinergi.coverage.models import Participation, WageReport
from sinergi.regions.models import Region
from sinergi.registry.models import Employer, Employment, FamilyMember, Person
from sinergi.rules.benefits import service_due
from sinergi.unions.services import membership_create

PDF = b"%PDF-1.4\n% Sinergi demo document\n"
MAY_DAY = dt.date(2024, 5, 1)
DEMO_TAG = "Kasus demo"  # the start of every demo case's description (read by officers: Indonesian)
OLD_TAG = "demo:claims"  # what demos loaded before 15 called them
STATE_WORDS = {
    "submitted": "diajukan",
    "verified": "diverifikasi",
    "overdue": "melewati tenggat",
    "approved": "disetujui",
    "rejected": "ditolak",
}

# Invented people. NIKs are synthetic (district 317203 Cilincing / 317205 Pademangan, serial 9xxx).
MAY_DAY_FAMILIES = [
    {
        "key": "indofood",
        "employer": "PT Indofood CBP Sukses Makmur",
        "total": Decimal("974549826"),
        "worker": ("Slamet Riyadi Hartono", "3172031407780901", dt.date(1978, 7, 14), "M"),
        "accident": dt.date(2024, 2, 12),
        "wage": Decimal("12500000"),
        "jp_balance": Decimal("31847120"),
        "jp_months": 102,
        "jp_density": Decimal("70"),
        "enrolled": dt.date(2003, 8, 1),
        "months": 246,
        "family": [
            ("spouse", "Sri Wahyuningsih", dt.date(1981, 3, 2), "F", "", None),
            ("child", "Dimas Hartono", dt.date(2007, 9, 10), "M", "SMA", 2),
            ("child", "Nadia Hartono", dt.date(2014, 1, 21), "F", "SD", 4),
            ("parent", "Sumarni", dt.date(1952, 5, 5), "F", "", None),
        ],
    },
    {
        "key": "kukuh",
        "employer": "PT Kukuh Mandiri Lestari",
        "total": Decimal("911074260"),
        "worker": ("Bambang Suryadi", "3172052811750902", dt.date(1975, 11, 28), "M"),
        "accident": dt.date(2024, 3, 4),
        "wage": Decimal("9800000"),
        "jp_balance": Decimal("24615300"),
        "jp_months": 96,
        "jp_density": Decimal("72"),
        "enrolled": dt.date(1996, 2, 1),
        "months": 330,
        "family": [
            ("spouse", "Yuliani", dt.date(1979, 8, 17), "F", "", None),
            ("child", "Rizky Suryadi", dt.date(2004, 4, 2), "M", "PT", 2),
            ("child", "Putri Suryadi", dt.date(2011, 6, 30), "F", "SMP", 1),
        ],
    },
]

# Open claims in each state (invented participants in Jakarta Utara).
OPEN_CASES = [
    (
        "Agus Salim Prakoso",
        "3172031005850903",
        dt.date(1985, 5, 10),
        "M",
        "death",
        dt.date(2024, 10, 7),
        ["JKM", "BEASISWA"],
        "submitted",
    ),
    (
        "Dedi Kurnia",
        "3172050303880904",
        dt.date(1988, 3, 3),
        "M",
        "death",
        dt.date(2024, 9, 2),
        ["JKM"],
        "overdue",
    ),
    (
        "Hendra Wijaya",
        "3172031212800905",
        dt.date(1980, 12, 12),
        "M",
        "death",
        dt.date(2024, 8, 19),
        ["JKM"],
        "verified",
    ),
    (
        "Rahmat Hidayat",
        "3172052001820906",
        dt.date(1982, 1, 20),
        "M",
        "death",
        dt.date(2024, 7, 15),
        ["JKM"],
        "approved",
    ),
    (
        "Wawan Setiadi",
        "3172031506900907",
        dt.date(1990, 6, 15),
        "M",
        "death",
        dt.date(2024, 6, 10),
        ["JKM"],
        "rejected",
    ),
]


def _region(code):
    return Region.objects.filter(code=code).first()


def _person(name, nik, birth, sex, *, deceased=None, employer=None):
    """The registry's record for `nik`, or a new invented one (the registry demo may already hold it)."""
    person = Person.objects.filter(nik=nik).first()
    if person is None:
        person = Person.objects.create(
            nik=nik,
            name=name,
            name_key=name.lower(),
            birth_date=birth,
            sex=sex,
            domicile_region_id=nik[:6] if _region(nik[:6]) else "3172",
            occupation="buruh pabrik",
            is_deceased=deceased is not None,
            death_date=deceased,
        )
    return person


def _deceased_worker(spec):
    """Prefer the registry demo's deceased worker of this employer; otherwise create the invented one."""
    employer = Employer.objects.filter(name__icontains=spec["employer"].replace("PT ", "")).first()
    if employer is None:
        employer = Employer.objects.create(
            name=spec["employer"], region_id="3172", jkk_risk_class=2, size="large"
        )
    person = (
        Person.objects.filter(is_deceased=True, employments__employer=employer).order_by("id").first()
        if employer
        else None
    )
    if person is None:
        name, nik, birth, sex = spec["worker"]
        person = _person(name, nik, birth, sex, deceased=spec["accident"])
        Employment.objects.get_or_create(
            person=person,
            employer=employer,
            defaults={"start_date": spec["enrolled"], "end_date": spec["accident"], "wage": spec["wage"]},
        )
    if not person.family.exists():
        FamilyMember.objects.bulk_create(
            [
                FamilyMember(
                    person=person, relation=rel, name=n, birth_date=b, sex=s, school_level=lv, school_grade=g
                )
                for rel, n, b, s, lv, g in spec["family"]
            ]
        )
    return person, employer


def _north_jakarta_employer():
    """A wage earner's participation is paid by an employer (a participation without a payer cannot
    be billed): the open cases' workers work for a North Jakarta company of the demo."""
    return Employer.objects.filter(region__code__startswith="3172").order_by("pk").first()


def _participation(person, *, employer, start, months, wage, end=None):
    if person.participations.exists():
        return
    p = Participation.objects.create(
        person=person,
        segment="PU",
        jkk=True,
        jkm=True,
        jht=True,
        jp=True,
        payer_kind="employer",
        employer=employer,
        region_id=employer.region_id if employer else person.domicile_region_id,
        participant_number=f"DEMO{person.nik[-6:]}",
        start_date=start,
        end_date=end,
        status="active",
        prior_contribution_months=months,
        wage=wage,
    )
    WageReport.objects.create(participation=p, amount=wage, valid_from=start)


def _file_name(doc_type: str) -> str:
    """A scan named the way an officer names it: the document's Indonesian name ("akta-kematian")."""
    from django.utils import translation
    from django.utils.text import slugify

    with translation.override("id"):
        return slugify(str(DocumentType(doc_type).label)) or "dokumen"


def _documents(actor, claim):
    for code in selectors.missing_documents(claim):
        services.claim_document_add(
            actor=actor,
            claim=claim,
            doc_type=code,
            upload=SimpleUploadedFile(f"{_file_name(code)}.pdf", PDF),
        )


def load(ctx):
    if ClaimCase.objects.filter(
        Q(description__startswith=DEMO_TAG) | Q(description__startswith=OLD_TAG)
    ).exists():
        ctx.say("claims: demo already loaded")
        return
    verifier = ctx.users["bpjs.cilincing"]
    approver = ctx.users["bpjs2.cilincing"]
    with transaction.atomic():
        for spec in MAY_DAY_FAMILIES:
            _may_day(spec, verifier, approver)
        for row in OPEN_CASES:
            _open_case(row, verifier, approver)
        _union_members(ctx)
    ctx.say("claims: May Day 2024 payments (article 002) and open claims in every state")


def _may_day(spec, verifier, approver):
    person, employer = _deceased_worker(spec)
    _participation(
        person, employer=employer, start=spec["enrolled"], months=spec["months"], wage=spec["wage"]
    )
    case = services.case_open(
        actor=verifier,
        person=person,
        event_type="death",
        event_date=spec["accident"],
        benefits=["JKK", "JHT", "JP", "BEASISWA"],
        employer=employer,
        description=f"{DEMO_TAG} {spec['key']}: kecelakaan kerja; dibayarkan pada upacara May Day 2024",
        ceremonial=True,
        ceremony_date=MAY_DAY,
        ceremony_place="Jakarta Utara (Hari Buruh 2024)",
    )
    claims = {c.benefit: c for c in case.claims.all()}
    claim_date = spec["accident"] + dt.timedelta(days=35)
    services.claim_quote(
        actor=verifier,
        claim=claims["JKK"],
        inputs={"kind": "death", "wage": spec["wage"], "claim_date": claim_date},
    )
    services.claim_quote(
        actor=verifier,
        claim=claims["JP"],
        inputs={
            "balance": spec["jp_balance"],
            "contribution_months": spec["jp_months"],
            "membership_months": spec["jp_months"],
            "density": spec["jp_density"],
            "average_monthly_wage": spec["wage"],
            "claim_date": claim_date,
        },
    )
    services.claim_quote(actor=verifier, claim=claims["BEASISWA"])
    known = sum(Claim_amount(claims[b]) for b in ("JKK", "JP", "BEASISWA"))
    jht_balance = spec["total"] - known  # the free component (see the module docstring)
    services.claim_quote(
        actor=verifier, claim=claims["JHT"], inputs={"balance": jht_balance, "claim_date": claim_date}
    )
    total = Decimal(0)
    for claim in claims.values():
        claim.refresh_from_db()
        _documents(verifier, claim)
        services.claim_verify(actor=verifier, claim=claim)
        services.claim_decide(actor=approver, claim=claim, approve=True)
        heir = claim.claimant_name
        services.claim_payment_instruction_set(
            actor=approver,
            claim=claim,
            bank_name="Bank DKI",
            bank_account=f"7010{person.nik[-6:]}{claim.pk:04d}",
            account_holder=heir,
        )
        payment = services.claim_pay(
            actor=approver, claim=claim, paid_on=MAY_DAY, reference=f"HARIBURUH-{claim.pk}"
        )
        total += payment.amount
    _backdate(case, spec["accident"])
    if total != spec["total"]:
        raise AssertionError(f"demo total {total} != article total {spec['total']}")


def _union_members(ctx):
    """The demo participants are FSPMI members, so the union official sees their claims' status."""
    body = getattr(ctx, "union_bodies", {}).get("dpw_fspmi_dki")
    official = ctx.users.get("serikat.fspmi")
    if body is None or official is None:
        return
    demo_cases = ClaimCase.objects.filter(
        Q(description__startswith=DEMO_TAG) | Q(description__startswith=OLD_TAG)
    )
    for case in demo_cases.select_related("person"):
        if not case.person.memberships.exists():
            membership_create(
                actor=official, person=case.person, body=body, joined_on=dt.date(2015, 5, 1), verified=True
            )


def _backdate(case, accident):
    """The May Day claims were filed and decided in April 2024: put the clock and history there."""
    complete = dt.date(2024, 4, 22)
    moments = {
        "submitted": dt.datetime.combine(accident + dt.timedelta(days=30), dt.time(9)),
        "verified": dt.datetime.combine(dt.date(2024, 4, 23), dt.time(10)),
        "approved": dt.datetime.combine(dt.date(2024, 4, 25), dt.time(14)),
        "paid": dt.datetime.combine(MAY_DAY, dt.time(10)),
    }
    moments = {k: timezone.make_aware(v) for k, v in moments.items()}
    for claim in case.claims.all():
        Claim.objects.filter(pk=claim.pk).update(
            documents_complete_on=complete,
            due_on=service_due(claim.benefit, complete)[0],
            verified_at=moments["verified"],
            decided_at=moments["approved"],
            letter_number=f"{case.reference}/{claim.benefit}/04/2024",
        )
        for status, moment in moments.items():
            ClaimEvent.objects.filter(claim=claim, to_status=status).update(at=moment)


def Claim_amount(claim):  # noqa: N802 - reads as a phrase in the sum above
    claim.refresh_from_db()
    return claim.amount


def _open_case(row, verifier, approver):
    name, nik, birth, sex, event, day, benefits, state = row
    person = _person(name, nik, birth, sex, deceased=day)
    if not person.family.exists():
        FamilyMember.objects.bulk_create(
            [
                FamilyMember(
                    person=person,
                    relation="spouse",
                    name=f"Istri {name.split()[0]}",
                    birth_date=birth + dt.timedelta(days=900),
                    sex="F",
                ),
                FamilyMember(
                    person=person,
                    relation="child",
                    name=f"Anak {name.split()[0]}",
                    birth_date=dt.date(2015, 2, 2),
                    school_level="SD",
                    school_grade=4,
                ),
            ]
        )
    _participation(
        person,
        employer=_north_jakarta_employer(),
        start=dt.date(2019, 1, 1),
        months=60,
        wage=Decimal("5067381"),
    )
    case = services.case_open(
        actor=verifier,
        person=person,
        event_type=event,
        event_date=day,
        benefits=benefits,
        description=f"{DEMO_TAG}: {STATE_WORDS.get(state, state)}",
    )
    for claim in case.claims.all():
        services.claim_quote(actor=verifier, claim=claim)
        if state == "submitted":
            continue
        _documents(verifier, claim)
        if state == "overdue":
            # documents were complete three weeks ago: the service clock has run out
            claim.refresh_from_db()
            past = clock.today() - dt.timedelta(days=21)
            Claim.objects.filter(pk=claim.pk).update(
                documents_complete_on=past, due_on=service_due(claim.benefit, past)[0]
            )
            continue
        services.claim_verify(actor=verifier, claim=claim)
        if state == "approved":
            services.claim_decide(actor=approver, claim=claim, approve=True)
        elif state == "rejected":
            services.claim_decide(
                actor=approver,
                claim=claim,
                approve=False,
                reason="Heirship letter does not match the family card (KK).",
            )
