"""A monthly billing run over `size` active participations, against one hand-written INSERT … SELECT
that computes the same per-payer bill totals in the same run.

Mix: 60% wage earners (PU, JKK risk classes I–V, JHT and JP with the JP cap) across employers of
about 50 workers, 30% sponsored non-wage earners (BPU JKK+JKM, 10 sponsors), 10% self-paying BPU
(with JHT). Data are inserted in SQL so setup stays quick; the run itself is `services.billing_run`.
Goal (issue #4): 1,000,000 participations in ≤ 30 s and ≤ 3× the hand-written statement; ≤ 1 GB.
"""

from __future__ import annotations

import datetime as dt

DEFAULT_SIZE = 1_000_000
MONTH = dt.date(2025, 11, 1)
EMPLOYER_SIZE = 50
SPONSORS = 10


def _insert_generic(cur, model, count_sql: str, overrides: dict, params: dict, vendor: str):
    """INSERT INTO model SELECT … FROM a numbers CTE; unspecified columns take the field default."""
    from django.utils import timezone

    cols, exprs = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(f.column)
        if f.column in overrides:
            exprs.append(overrides[f.column].replace(" % ", " %% "))  # modulo, not a placeholder
            continue
        kind = f.get_internal_type()
        if f.has_default():
            default = f.get_default()
        elif kind == "DateTimeField":
            default = timezone.now()  # auto_now columns
        elif f.null:
            default = None
        elif kind in ("BooleanField",):
            default = False
        elif kind.endswith("IntegerField") or kind == "DecimalField":
            default = 0
        else:
            default = ""
        key = f"d_{f.column}"
        params[key] = default
        exprs.append(f"%({key})s")
    cur.execute(
        f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %(count)s) "  # noqa: S608
        f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {', '.join(exprs)} FROM seq",
        params,
    )


def _pad(expr: str, width: int, vendor: str) -> str:
    if vendor == "postgresql":
        return f"lpad(CAST({expr} AS TEXT), {width}, '0')"
    return f"printf('%%0{width}d', {expr})"


def _setup(size: int):
    from django.db import connection, transaction

    from sinergi.accounts.models import Organisation
    from sinergi.coverage.models import Participation
    from sinergi.registry.models import Employer, Person

    vendor = connection.vendor
    n_pu = size * 6 // 10
    n_sponsored = size * 3 // 10
    n_employers = max(1, n_pu // EMPLOYER_SIZE)
    sponsors = [
        Organisation.objects.get_or_create(
            name=f"Bench APBD {i}", defaults={"kind": "sponsor", "region_id": "31"}
        )[0].pk
        for i in range(SPONSORS)
    ]
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
                "domicile_region_id": "'317205'",
                "employment_type": "'formal'",
            },
            {"count": size, "birth": dt.date(1990, 1, 1)},
            vendor,
        )
        _insert_generic(
            cur,
            Employer,
            "",
            {
                "name": "'PT Bench ' || CAST(n AS VARCHAR(12))",
                "region_id": "'3172'",
                "jkk_risk_class": "(n % 5) + 1",
            },
            {"count": n_employers},
            vendor,
        )
        cur.execute("SELECT MIN(id) FROM registry_person")
        person0 = cur.fetchone()[0] - 1
        cur.execute("SELECT MIN(id) FROM registry_employer")
        employer0 = cur.fetchone()[0] - 1
        sponsor_case = "CASE n % {k} {whens} END".format(
            k=SPONSORS, whens=" ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(sponsors))
        )
        pu = f"n <= {n_pu}"
        spon = f"n > {n_pu} AND n <= {n_pu + n_sponsored}"
        _insert_generic(
            cur,
            Participation,
            "",
            {
                "person_id": f"n + {person0}",
                "segment": f"CASE WHEN {pu} THEN 'PU' ELSE 'BPU' END",
                "jkk": "TRUE",
                "jkm": "TRUE",
                "jht": f"CASE WHEN {spon} THEN FALSE ELSE TRUE END",
                "jp": f"CASE WHEN {pu} THEN TRUE ELSE FALSE END",
                "payer_kind": f"CASE WHEN {pu} THEN 'employer' WHEN {spon} THEN 'sponsor' ELSE 'self' END",
                "employer_id": f"CASE WHEN {pu} THEN ((n - 1) / {EMPLOYER_SIZE}) + 1 + {employer0} ELSE NULL END",
                "sponsor_organisation_id": f"CASE WHEN {spon} THEN {sponsor_case} ELSE NULL END",
                "region_id": "'317205'",
                "participant_number": "'25' || " + _pad("n", 10, vendor),
                "start_date": "%(start)s",
                "status": "'active'",
                "risk_class": "(((n - 1) / 50) % 5) + 1",
                "wage": f"CASE WHEN {pu} THEN 4000000 + ((CAST(n AS BIGINT) * 7919) % 15000000) "
                f"WHEN {spon} THEN 1000000 ELSE 1000000 + ((CAST(n AS BIGINT) * 104729) % 5000000) END",
            },
            {"count": size, "start": dt.date(2024, 1, 1)},
            vendor,
        )
        cur.execute(
            """INSERT INTO coverage_wagereport (participation_id, amount, valid_from, valid_to, created_at)
               SELECT id, wage, start_date, NULL, %s FROM coverage_participation""",
            [dt.datetime(2024, 1, 1, tzinfo=dt.UTC)],
        )
    if vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


BASELINE_SQL = """
INSERT INTO bench_bill_baseline (payer_kind, payer_id, n, total)
SELECT payer_kind, payer_id, COUNT(*), SUM(
    CASE segment WHEN 'PU' THEN
        (basis * CASE risk_class WHEN 1 THEN 2400 WHEN 2 THEN 5400 WHEN 3 THEN 8900 WHEN 4 THEN 12700 ELSE 17400 END
            + 500000) / 1000000
        + (basis * 3000 + 500000) / 1000000
        + (basis * 37000 + 500000) / 1000000 + (basis * 20000 + 500000) / 1000000
        + (jp_basis * 20000 + 500000) / 1000000 + (jp_basis * 10000 + 500000) / 1000000
    ELSE
        CASE WHEN (basis * 10000 + 500000) / 1000000 > 207000 THEN 207000
             ELSE (basis * 10000 + 500000) / 1000000 END
        + 6800
        + CASE WHEN jht THEN (basis * 20000 + 500000) / 1000000 ELSE 0 END
    END)
FROM (SELECT p.payer_kind, p.segment, p.risk_class, p.jht,
        CASE p.payer_kind WHEN 'employer' THEN p.employer_id WHEN 'sponsor' THEN p.sponsor_organisation_id
             ELSE p.person_id END AS payer_id,
        CAST(w.amount AS BIGINT) AS basis,
        CASE WHEN w.amount > 10547400 THEN 10547400 ELSE CAST(w.amount AS BIGINT) END AS jp_basis
      FROM coverage_participation p JOIN coverage_wagereport w ON w.participation_id = p.id
      WHERE p.status IN ('active', 'arrears')) x
GROUP BY payer_kind, payer_id
"""


def run(bench, size: int):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from sinergi.accounts.models import Organisation
    from sinergi.coverage import services
    from sinergi.coverage.models import Bill

    bench.time("setup: people, employers, participations, wages (SQL)", lambda: _setup(size), rows=size)
    org, _ = Organisation.objects.get_or_create(
        name="Bench BPJS", defaults={"kind": "ss_branch", "region_id": "31"}
    )
    user, _ = get_user_model().objects.get_or_create(
        username="bench-billing", defaults={"organisation": org, "role": "admin"}
    )
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE bench_bill_baseline (payer_kind VARCHAR(10), payer_id BIGINT, n BIGINT, total BIGINT)"
        )

    def baseline():
        with connection.cursor() as cur:
            cur.execute(BASELINE_SQL)

    base_secs = bench.time("hand-written INSERT … SELECT (bill totals)", baseline, rows=size)
    secs = bench.time(
        "billing_run (bills + contribution rows)",
        lambda: services.billing_run(actor=user, month=MONTH),
        rows=size,
        baseline="hand-written INSERT … SELECT (bill totals)",
    )
    again = bench.time(
        "repeat billing_run, same month (idempotent)",
        lambda: services.billing_run(actor=user, month=MONTH),
        rows=size,
    )
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*), COALESCE(SUM(total), 0) FROM bench_bill_baseline")
        base_bills, base_total = cur.fetchone()
        cur.execute(
            """SELECT COUNT(*) FROM bench_bill_baseline x JOIN coverage_bill b
               ON b.payer_kind = x.payer_kind AND b.payer_id = x.payer_id AND b.month = %s
               WHERE b.total <> x.total OR b.participations <> x.n""",
            [MONTH],
        )
        mismatches = cur.fetchone()[0]
        cur.execute("DROP TABLE bench_bill_baseline")
    bills = Bill.objects.filter(month=MONTH).count()
    total = sum(Bill.objects.filter(month=MONTH).values_list("total", flat=True))
    bench.note("bills", bills)
    bench.note("billed total (Rp)", int(total))
    bench.note("bills differing from the hand-written totals", mismatches)
    ratio = secs / base_secs if base_secs else float("inf")
    bench.goal(
        "bills equal the hand-written totals", mismatches == 0 and bills == base_bills and total == base_total
    )
    bench.goal(f"{size:,} participations billed in ≤ 30 s", secs <= 30 * max(1, size / DEFAULT_SIZE))
    bench.goal("≤ 3× the hand-written INSERT … SELECT", ratio <= 3)
    bench.goal("repeat run adds nothing and is quicker than the first", again < secs)
