"""A small synthetic province for `sinergi simulate --world small` (tests, benchmarks): the demo's
organisations and logins, then employers, workers, families, union units, memberships, coverage and a
sponsored scheme, every one of them written through the services an officer would use.

North Jakarta (Cilincing's service area) holds the employers and their wage earners; Pekalongan holds
informal workers enrolled by the city's scheme for the current budget year (so January renews it).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sinergi.aspirations.defaults import ensure_defaults
from sinergi.core import clock
from sinergi.coverage.services import (
    batch_decide,
    candidates_select,
    participant_numbers_import,
    participation_enrol,
    scheme_create,
)
from sinergi.demo import DemoContext, _foundation, demo_password
from sinergi.regions.models import Region
from sinergi.registry.services import employer_create, employment_add, family_member_add, person_create
from sinergi.rules.contributions import package_monthly
from sinergi.rules.vulnerable import INCOME_THRESHOLD
from sinergi.unions.models import UnionBody
from sinergi.unions.services import membership_create, union_body_create

GIVEN = [
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gilang",
    "Hana",
    "Indra",
    "Joko",
    "Kartika",
    "Lestari",
]
FAMILY = ["Saputra", "Wijaya", "Nugroho", "Hidayat", "Siregar", "Lubis", "Santoso", "Pratama", "Kusuma"]


def _districts(prefix: str) -> list[str]:

    return list(
        Region.objects.filter(code__startswith=prefix)
        .exclude(code=prefix)
        .order_by("code")
        .values_list("code", flat=True)
        .filter(code__regex=r"^\d{6}$")
    )


class _People:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.serial = 0

    def make(self, *, actor, district: str, today: dt.date, **extra):

        self.serial += 1
        sex = self.rng.choice("MF")
        birth = dt.date(
            today.year - self.rng.randint(20, 50), self.rng.randint(1, 12), self.rng.randint(1, 28)
        )
        day = birth.day + (40 if sex == "F" else 0)
        nik = f"{district}{day:02d}{birth.month:02d}{birth.year % 100:02d}{self.serial:04d}"
        name = f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)}"
        return person_create(
            actor=actor,
            nik=nik,
            name=name,
            birth_date=birth,
            sex=sex,
            domicile_region_id=district,
            address=f"Jl. Simulasi No. {self.serial}",
            **extra,
        )


def small_world_load(*, people: int = 120, seed: int = 7, say=print) -> dict:
    """Load the world at the clock's current date. `people` wage earners in North Jakarta (plus a
    fifth more without work, and a quarter as many informal workers in Pekalongan). Returns counts."""
    rng = random.Random(seed)
    today = clock.today()
    ctx = DemoContext(say=say, password=demo_password())
    say("Loading a small synthetic province: organisations and logins …")
    _foundation(ctx)
    # the aspirations service levels and holidays that migrations seed (a flushed database lacks them)
    ensure_defaults()
    branch_officer = ctx.users["bpjs.cilincing"]
    agency = ctx.users["petugas.dki"]
    dpw = ctx.union_bodies["dpw_fspmi_dki"]
    puk_level = ctx.union_levels["fspmi"]["PUK"]
    north = _districts("3172")
    factory = _People(rng)
    employers, units = [], []
    say(f"… {max(2, people // 30)} employers, {people} wage earners, families and memberships …")
    for i in range(max(2, people // 30)):
        employer = employer_create(
            actor=agency,
            name=f"PT Simulasi Sejahtera {i + 1}",
            region_id=rng.choice(north),
            sector="industri pengolahan",
            jkk_risk_class=rng.randint(1, 4),
            size="medium",
        )
        employers.append(employer)
        units.append(
            union_body_create(
                actor=agency,
                name=f"PUK SPAMK FSPMI {employer.name}",
                short_name=f"PUK {employer.name}"[:60],
                kind=UnionBody.Kind.UNIT,
                region_id=employer.region_id,
                parent=dpw,
                level=puk_level,
                employer=employer,
            )
        )
    started = (today.replace(day=1) - dt.timedelta(days=365)).replace(day=1)
    for n in range(people):
        person = factory.make(actor=agency, district=rng.choice(north), today=today)
        k = n % len(employers)
        employer = employers[k]
        wage = Decimal(rng.randrange(5_000, 9_000) * 1_000)
        employment_add(actor=agency, person=person, employer=employer, start_date=started, wage=wage)
        participation_enrol(
            actor=branch_officer,
            person=person,
            segment="PU",
            start_date=started,
            wage=wage,
            employer=employer,
            programmes=("JKK", "JKM", "JHT", "JP"),
            participant_number=f"8{seed % 100:02d}{n + 1:07d}",
        )
        if rng.random() < 0.6:
            family_member_add(
                actor=agency,
                person=person,
                relation="spouse",
                name=f"{rng.choice(GIVEN)} {person.name.split()[-1]}",
                birth_date=person.birth_date,
                sex="F" if person.sex == "M" else "M",
            )
        if rng.random() < 0.7:
            membership_create(actor=agency, person=person, body=units[k], joined_on=started, verified=True)
    for _n in range(people // 5):  # looking for work: the pool new hires come from
        factory.make(actor=agency, district=rng.choice(north), today=today)
    say("… a sponsored scheme in Pekalongan …")
    pekalongan = _districts("3375")
    maker, checker = ctx.users["petugas.pekalongan"], ctx.users["petugas2.pekalongan"]
    low_income = INCOME_THRESHOLD.value_at(today) // 2
    informal = [
        factory.make(
            actor=maker,
            district=rng.choice(pekalongan),
            today=today,
            employment_type="informal",
            occupation="pedagang kaki lima",
            declared_income=low_income,
        )
        for _n in range(max(4, people // 4))
    ]
    target = len(informal)
    # The budget covers the year's premiums of the target with room to spare (priced by the rules).
    budget = package_monthly(dt.date(today.year, 1, 1)) * 12 * target * 2
    scheme = scheme_create(
        actor=maker,
        sponsor_organisation=ctx.orgs["apbd_pekalongan"],
        agency=ctx.orgs["dinperinaker_pekalongan"],
        branch=ctx.orgs["bpjs_pekalongan"],
        region_id="3375",
        name="Perlindungan Pekerja Rentan Kota Pekalongan (simulasi)",
        legal_basis="Peraturan Wali Kota (simulasi)",
        year=today.year,
        target=target,
        budget=budget,
        require_vulnerable=True,
    )
    batch = candidates_select(actor=maker, scheme=scheme)
    batch_decide(actor=checker, batch=batch, approve=True)
    lines = ["NIK,No Peserta"] + [
        f"{p.nik},7{seed % 100:02d}{i + 1:07d}" for i, p in enumerate(sorted(informal, key=lambda p: p.pk))
    ]
    participant_numbers_import(
        actor=maker, scheme=scheme, data=("\n".join(lines) + "\n").encode(), filename="nomor-peserta.csv"
    )
    return {"employers": len(employers), "workers": people, "informal": len(informal), "scheme": scheme.pk}
