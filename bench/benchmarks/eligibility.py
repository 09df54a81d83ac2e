"""Evaluating a program's eligibility (Kartu Pekerja Jakarta 2025 rules: KTP DKI, works in DKI, wage ≤
1.15 × UMP) over the whole registry in one SQL query, against a bare COUNT(*) of the people table.

Setup inserts `size` synthetic workers (bench.generate.people_frame) with one current job each, set-based
(executemany in one transaction). 40 % are given a Jakarta domicile and 80 % of those work in Jakarta,
so the rules' subqueries run for a large share of rows rather than being skipped by the first filter.
"""

import datetime as dt
import random

from bench.generate import people_frame

DEFAULT_SIZE = 1_000_000
JAKARTA = ["317101", "317201", "317203", "317204", "317301", "317401", "317501"]


def _insert(model, columns: list[str], rows, batch=20_000):
    """executemany into `model` with every concrete column: the given ones, the rest at their default."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [f.column for f in fields]
    defaults = []
    for f in fields:
        if f.attname in columns:
            defaults.append(None)
        elif f.name in ("created_at", "updated_at"):
            defaults.append(now)
        else:
            d = f.get_default()
            defaults.append(f.get_db_prep_save(d, connection) if d is not None else None)
    index = {c: fields.index(next(f for f in fields if f.attname == c)) for c in columns}
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
    with transaction.atomic(), connection.cursor() as cur:
        buf = []
        for row in rows:
            values = list(defaults)
            for c, v in zip(columns, row, strict=True):
                values[index[c]] = v
            buf.append(values)
            if len(buf) >= batch:
                cur.executemany(sql, buf)
                buf = []
        if buf:
            cur.executemany(sql, buf)


def load_registry(size: int, *, seed: int = 1) -> int:
    """`size` people with one current job each; returns the number of people."""
    from sinergi.registry.models import Employer, Employment, Person

    frame = people_frame(size, seed=seed)
    rng = random.Random(seed)
    employers = [
        Employer.objects.create(
            name=f"PT Bench {i}", region_id=JAKARTA[i % len(JAKARTA)] if i % 2 else "3273"
        )
        for i in range(200)
    ]
    domiciles = [
        JAKARTA[rng.randrange(len(JAKARTA))] if rng.random() < 0.4 else d for d in frame["Kode Kecamatan"]
    ]
    _insert(
        Person,
        ["nik", "name", "name_key", "birth_date", "sex", "domicile_region_id", "employment_type"],
        (
            (nik, name, name.lower(), dt.date.fromisoformat(born), "M" if sex == "L" else "F", dom, "formal")
            for nik, name, born, sex, dom in zip(
                frame["NIK"],
                frame["Nama"],
                frame["Tanggal Lahir"],
                frame["Jenis Kelamin"],
                domiciles,
                strict=True,
            )
        ),
    )
    ids = dict(Person.objects.values_list("nik", "pk"))
    start = dt.date(2019, 1, 2)
    _insert(
        Employment,
        ["person_id", "employer_id", "start_date", "wage", "work_region_id"],
        (
            (
                ids[nik],
                employers[i % 200].pk,
                start,
                wage,
                (JAKARTA[i % len(JAKARTA)] if dom.startswith("31") and i % 5 else dom),
            )
            for i, (nik, wage, dom) in enumerate(zip(frame["NIK"], frame["Upah"], domiciles, strict=True))
        ),
    )
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh bulk load: give the planner statistics, as autovacuum would
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return len(ids)


def kpj_program(year: int):
    from sinergi.accounts.models import Organisation
    from sinergi.programs.models import Program

    org, _ = Organisation.objects.get_or_create(
        name="Disnakertrans Bench", defaults={"kind": "agency", "region_id": "31"}
    )
    return Program.objects.create(
        code=f"KPJ{year}",
        name=f"Kartu Pekerja Jakarta {year}",
        kind="worker_card",
        owner=org,
        region_id="31",
        legal_basis="bench",
        year=year,
        start_date=dt.date(year, 1, 1),
        end_date=dt.date(year, 12, 31),
        rules=[
            {"rule": "ktp_province", "value": "31"},
            {"rule": "works_in_region", "value": "31"},
            {"rule": "kpj_wage_ceiling"},
        ],
    )


def run(bench, size):
    import os

    bench.note("load average at start (2 cores, shared)", round(os.getloadavg()[0], 1))
    from sinergi.programs import eligibility
    from sinergi.registry.models import Person

    bench.time("setup: people and jobs (executemany)", lambda: load_registry(size), rows=size * 2)
    program = kpj_program(2025)
    ctx = eligibility.program_context(program, on=dt.date(2025, 6, 1))
    bench.note("ceiling (Rp)", int(ctx.wage_ceiling))
    bench.time("COUNT(*) people", lambda: Person.objects.count(), rows=size)
    out = {}
    secs = bench.time(
        "eligible count (one query)",
        lambda: out.setdefault("n", eligibility.eligible_people(program, ctx=ctx).count()),
        rows=size,
        baseline="COUNT(*) people",
    )
    bench.time(
        "eligible ids fetched",
        lambda: out.setdefault(
            "ids", list(eligibility.eligible_people(program, ctx=ctx).values_list("pk", flat=True))
        ),
        rows=size,
        baseline="COUNT(*) people",
    )
    bench.note("eligible", out["n"])
    bench.note("share eligible %", round(100 * out["n"] / size, 1))
    bench.goal("eligibility over 1,000,000 people in ≤ 10 s (extrapolated)", secs * 1_000_000 / size <= 10)
