"""The leadership dashboard over `size` workers: the month-end snapshot job (freezing every indicator for
every cell) and the p95 of the region dashboard and its drill-downs, read from the stored figures.

Data: `size` people spread over the districts of DKI Jakarta, 60 % with a participation in force, 35 %
members of one of 40 union bodies, 5 % holding a worker card issued this year; inserted in SQL. A DKI
plan in force with targets for the province and for Jakarta Utara. The baseline is one bare COUNT over
the people table. Goals (issue #13): snapshot over 1,000,000 workers in under 60 s; p95 under 300 ms.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from bench.benchmarks.billing import _insert_generic, _pad

DEFAULT_SIZE = 100_000
YEAR = 2025
REQUESTS = 30


def _setup(size: int):
    from django.db import connection, transaction

    from sinergi.accounts.models import Organisation, User
    from sinergi.coverage.models import Participation
    from sinergi.programs.models import Application, Card
    from sinergi.regions.models import Region
    from sinergi.registry.models import Person
    from sinergi.unions.models import Membership, UnionBody
    from sinergi.unions.services import union_body_create
    from tests.programs.factories import kpj_program

    vendor = connection.vendor
    districts = list(
        Region.objects.filter(code__startswith="31", level="district")
        .order_by("code")
        .values_list("code", flat=True)
    )
    k = len(districts)
    district_case = "CASE n % {k} {whens} END".format(
        k=k, whens=" ".join(f"WHEN {i} THEN '{c}'" for i, c in enumerate(districts))
    )
    org, _ = Organisation.objects.get_or_create(
        name="Bench Disnaker DKI", defaults={"kind": "agency", "region_id": "31"}
    )
    bodies = [
        UnionBody.objects.filter(name=f"Bench PUK {i}").first()
        or union_body_create(
            actor=None,
            name=f"Bench PUK {i}",
            short_name=f"PUK {i}",
            kind="unit",
            region_id=districts[i % k][:4],
        )
        for i in range(40)
    ]
    body_case = "CASE n % 40 {whens} END".format(
        whens=" ".join(f"WHEN {i} THEN {b.pk}" for i, b in enumerate(bodies))
    )
    officer, _ = User.objects.get_or_create(
        username="bench.officer", defaults={"organisation": org, "role": "agency_officer"}
    )
    with transaction.atomic(), connection.cursor() as cur:
        _insert_generic(
            cur,
            Person,
            "",
            {
                "nik": "'317205' || " + _pad("n", 10, vendor),
                "name": "'Pekerja ' || CAST(n AS VARCHAR(12))",
                "name_key": "'pekerja ' || CAST(n AS VARCHAR(12))",
                "birth_date": "%(birth)s",
                "sex": "'M'",
                "domicile_region_id": district_case,
                "employment_type": "CASE WHEN n % 3 = 0 THEN 'informal' ELSE 'formal' END",
            },
            {"count": size, "birth": dt.date(1990, 1, 1)},
            vendor,
        )
        cur.execute("SELECT MIN(id) FROM registry_person")
        p0 = cur.fetchone()[0] - 1
        n_cov = size * 6 // 10
        _insert_generic(
            cur,
            Participation,
            "",
            {
                "person_id": f"n + {p0}",
                "segment": "CASE WHEN n % 2 = 0 THEN 'PU' ELSE 'BPU' END",
                "payer_kind": "CASE WHEN n % 2 = 0 THEN 'employer' WHEN n % 5 = 1 THEN 'sponsor' ELSE 'self' END",
                "region_id": "'31'",
                "participant_number": "'25' || " + _pad("n", 10, vendor),
                "start_date": "%(start)s",
                "status": "'active'",
                "wage": "1000000",
            },
            {"count": n_cov, "start": dt.date(YEAR - 1, 1, 1)},
            vendor,
        )
        n_mem = size * 35 // 100
        _insert_generic(
            cur,
            Membership,
            "",
            {
                "person_id": f"(n * 2) % {size} + 1 + {p0}",
                "body_id": body_case,
                "status": "'active'",
                "verified": "TRUE",
            },
            {"count": n_mem},
            vendor,
        )
    program = kpj_program(year=YEAR, owner=org, code=f"BENCH{YEAR}")
    n_cards = size // 20
    with transaction.atomic(), connection.cursor() as cur:
        _insert_generic(
            cur,
            Application,
            "",
            {
                "program_id": str(program.pk),
                "person_id": f"n * 20 + {p0}",
                "status": "'approved'",
                "eligibility": "'[]'",
                "nominated_by_id": str(officer.pk),
            },
            {"count": n_cards},
            vendor,
        )
        cur.execute("SELECT MIN(id) FROM programs_application")
        a0 = cur.fetchone()[0] - 1
        _insert_generic(
            cur,
            Card,
            "",
            {
                "program_id": str(program.pk),
                "application_id": f"n + {a0}",
                "person_id": f"n * 20 + {p0}",
                "number": "'KPJ' || " + _pad("n", 10, vendor),
                "status": "'active'",
                "issued_on": "%(issued)s",
                "issued_by_id": str(officer.pk),
                "union_body_id": body_case,
            },
            {"count": n_cards, "issued": dt.date(YEAR, 2, 10)},
            vendor,
        )
    if vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return org, officer


def _plan(org, officer):
    from sinergi.accounts.models import User
    from sinergi.planning import services
    from sinergi.regions.models import Region

    head, _ = User.objects.get_or_create(
        username="bench.head", defaults={"organisation": org, "role": "agency_head"}
    )
    team = services.review_team_create(actor=officer, organisation=org, name="Bench P3KP", members=[officer])
    plan = services.plan_create(
        actor=officer,
        organisation=org,
        year=YEAR,
        title="Bench plan",
        region=Region.objects.get(code="31"),
        review_team=team,
    )
    act = services.activity_add(
        actor=officer, plan=plan, program="KPJ", name="Kartu", responsible_unit="Bidang"
    )
    for code in ("31", "3172"):
        services.target_set(
            actor=officer,
            activity=act,
            indicator="cards.issued",
            region=Region.objects.get(code=code),
            quarters=[10, 20, 30, 40],
        )
        services.target_set(
            actor=officer,
            activity=act,
            indicator="coverage.participants",
            region=Region.objects.get(code=code),
            quarters=[10, 20, 30, 40],
        )
    services.budget_line_add(
        actor=officer,
        activity=act,
        account_code="5.1",
        sub_activity="Cetak",
        amount=10**9,
        source="APBD",
        spend_indicator="cards.issued",
        unit_cost=15000,
    )
    services.plan_submit(actor=officer, plan=plan)
    services.plan_review(actor=officer, plan=plan, verdict="agree")
    services.plan_approve(actor=head, plan=plan)


def _p95(client, path: str) -> float:
    times = []
    for _ in range(REQUESTS):
        t = time.perf_counter()
        response = client.get(path, HTTP_HOST="127.0.0.1")
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, response.status_code
    return statistics.quantiles(times, n=20)[18]


def run(bench, size):
    from django.db import connection
    from django.test import Client

    from sinergi.accounts.models import Organisation, User
    from sinergi.core import clock
    from sinergi.planning import snapshots

    org, officer = _setup(size)
    _plan(org, officer)

    def count():
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM registry_person")
            return cur.fetchone()[0]

    bench.time("count people (baseline)", count, rows=size)
    with clock.travel(f"{YEAR}-07-02"):
        secs = bench.time(
            "freeze month-end snapshot (all indicators, all cells)",
            lambda: snapshots.freeze(kind="month", period_end=dt.date(YEAR, 6, 30)),
            rows=size,
            baseline="count people (baseline)",
        )
        bench.time("refresh live snapshot", lambda: snapshots.refresh_live(on=dt.date(YEAR, 7, 2)), rows=size)
        bench.goal(
            "snapshot over 1,000,000 workers in under 60 s (extrapolated)", secs * 1_000_000 / size < 60
        )
        leader_org, _ = Organisation.objects.get_or_create(
            name="Bench Pemprov", defaults={"kind": "leadership", "region_id": "31"}
        )
        leader, _ = User.objects.get_or_create(
            username="bench.leader", defaults={"organisation": leader_org, "role": "leadership_viewer"}
        )
        client = Client()
        client.force_login(leader)
        client.get(f"/reporting/?year={YEAR}", HTTP_HOST="127.0.0.1")  # warm-up (imports, template cache)
        worst = 0.0
        for label, path in (
            ("province", f"/reporting/?region=31&year={YEAR}"),
            ("regency (Jakarta Utara)", f"/reporting/?region=3172&year={YEAR}"),
            ("district (union bodies)", f"/reporting/?region=317205&year={YEAR}"),
            ("API dashboard", f"/api/v1/reporting/dashboard?region=31&year={YEAR}"),
        ):
            p95 = _p95(client, path)
            worst = max(worst, p95)
            bench.note(f"p95 {label} (ms)", round(p95 * 1000, 1))
        bench.goal("dashboard and drill-downs p95 under 300 ms", worst < 0.3)
