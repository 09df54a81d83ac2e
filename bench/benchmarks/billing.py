"""A monthly billing run over `size` active participations, against a hand-written SQL baseline in the
same run that writes the SAME rows into the SAME tables: one bill per payer and one contribution row
per participation with its programme lines (October for the baseline, November for billing_run),
then both months are compared row by row (see BASELINE_STEPS).

Mix: 60% wage earners (PU, JKK risk classes I–V, JHT and JP with the JP cap) across employers of
about 50 workers, 30% sponsored non-wage earners (BPU JKK+JKM, 10 sponsors), 10% self-paying BPU
(with JHT). Data are inserted in SQL so setup stays quick; the run itself is `services.billing_run`.
Goals: issue #4 (1,000,000 participations in ≤ 30 s; ≤ 1 GB) and issue #16 (≤ 3× the baseline).
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


BASE_MONTH = dt.date(2025, 10, 1)  # the hand-written baseline bills October, billing_run November
RATE = "(({b}) * {r} + 500000) / 1000000"
JKK_PU = (
    "CASE p.risk_class WHEN 1 THEN 2400 WHEN 2 THEN 5400 WHEN 3 THEN 8900 WHEN 4 THEN 12700 ELSE 17400 END"
)
BPU_JKK = RATE.format(b="x.basis", r=10000)

# The hand-written baseline writes the SAME rows as billing_run into the SAME tables (same indexes and
# foreign keys): one bill per payer and one contribution row per participation with its programme
# lines (JKK, JKM, JHT employer/worker, JP employer/worker), for October. The rates are literals here
# (those in force in 2025), where billing_run reads them from the dated rule tables.
BASELINE_STEPS = [
    f"""CREATE TEMPORARY TABLE bench_base AS
    SELECT x.*, x.jkk + x.jkm + x.jht_employer + x.jp_employer AS er, x.jht_worker + x.jp_worker AS wk
    FROM (SELECT x.participation_id, x.payer_kind, x.payer_id, x.region_id, x.basis, x.jp_basis,
        CASE x.segment WHEN 'PU' THEN {RATE.format(b="x.basis", r="x.jkk_rate")}
             ELSE CASE WHEN {BPU_JKK} > 207000 THEN 207000 ELSE {BPU_JKK} END END AS jkk,
        CASE x.segment WHEN 'PU' THEN {RATE.format(b="x.basis", r=3000)} ELSE 6800 END AS jkm,
        CASE WHEN NOT x.jht THEN 0 WHEN x.segment = 'PU' THEN {RATE.format(b="x.basis", r=37000)}
             ELSE {RATE.format(b="x.basis", r=20000)} END AS jht_employer,
        CASE WHEN x.segment = 'PU' THEN {RATE.format(b="x.basis", r=20000)} ELSE 0 END AS jht_worker,
        CASE WHEN x.segment = 'PU' THEN {RATE.format(b="x.jp_basis", r=20000)} ELSE 0 END AS jp_employer,
        CASE WHEN x.segment = 'PU' THEN {RATE.format(b="x.jp_basis", r=10000)} ELSE 0 END AS jp_worker
      FROM (SELECT p.id AS participation_id, p.payer_kind, p.segment, p.jht, {JKK_PU} AS jkk_rate,
              CASE p.payer_kind WHEN 'employer' THEN p.employer_id WHEN 'sponsor' THEN p.sponsor_organisation_id
                   ELSE p.person_id END AS payer_id,
              CASE p.payer_kind WHEN 'employer' THEN e.region_id WHEN 'sponsor' THEN o.region_id
                   ELSE pe.domicile_region_id END AS region_id,
              CAST(w.amount AS BIGINT) AS basis,
              CASE WHEN w.amount > 10547400 THEN 10547400 ELSE CAST(w.amount AS BIGINT) END AS jp_basis
            FROM coverage_participation p JOIN coverage_wagereport w ON w.participation_id = p.id
            JOIN registry_person pe ON pe.id = p.person_id
            LEFT JOIN registry_employer e ON e.id = p.employer_id
            LEFT JOIN accounts_organisation o ON o.id = p.sponsor_organisation_id
            WHERE p.status IN ('active', 'arrears')) x) x""",
    """INSERT INTO coverage_bill (run_id, month, payer_kind, payer_id, payer_name, region_id, participations,
        employer_part, worker_part, total, paid, status, due_date, number)
    SELECT %(run)s, %(month)s, g.payer_kind, g.payer_id,
        COALESCE(CASE g.payer_kind WHEN 'employer' THEN e.name WHEN 'sponsor' THEN o.name ELSE pe.name END, ''),
        g.region_id, g.n, g.er, g.wk, g.er + g.wk, 0, 'open', %(due)s,
        'X202510-' || SUBSTR(g.payer_kind, 1, 1) || CAST(g.payer_id AS VARCHAR(20))
    FROM (SELECT payer_kind, payer_id, MIN(region_id) AS region_id, COUNT(*) AS n, SUM(er) AS er, SUM(wk) AS wk
          FROM bench_base GROUP BY payer_kind, payer_id) g
    LEFT JOIN registry_employer e ON g.payer_kind = 'employer' AND e.id = g.payer_id
    LEFT JOIN accounts_organisation o ON g.payer_kind = 'sponsor' AND o.id = g.payer_id
    LEFT JOIN registry_person pe ON g.payer_kind = 'self' AND pe.id = g.payer_id""",
    """INSERT INTO coverage_contribution (bill_id, participation_id, month, basis, jp_basis, jkk, jkm,
        jht_employer, jht_worker, jp_employer, jp_worker, pmi_package, employer_part, worker_part, total, paid)
    SELECT b.id, s.participation_id, %(month)s, s.basis, s.jp_basis, s.jkk, s.jkm, s.jht_employer, s.jht_worker,
        s.jp_employer, s.jp_worker, 0, s.er, s.wk, s.er + s.wk, FALSE
    FROM bench_base s JOIN coverage_bill b
      ON b.month = %(month)s AND b.payer_kind = s.payer_kind AND b.payer_id = s.payer_id""",
    "DROP TABLE bench_base",
]


def _load_average() -> str:
    import os

    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run(bench, size: int):
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from sinergi.accounts.models import Organisation
    from sinergi.coverage import services
    from sinergi.coverage.models import Bill, BillingRun, Contribution

    load_start = _load_average()
    bench.time("setup: people, employers, participations, wages (SQL)", lambda: _setup(size), rows=size)
    org, _ = Organisation.objects.get_or_create(
        name="Bench BPJS", defaults={"kind": "ss_branch", "region_id": "31"}
    )
    user, _ = get_user_model().objects.get_or_create(
        username="bench-billing", defaults={"organisation": org, "role": "admin"}
    )
    base_run = BillingRun.objects.create(month=BASE_MONTH, branch=org, started_by=user)

    def baseline():
        with transaction.atomic(), connection.cursor() as cur:
            for sql in BASELINE_STEPS:
                cur.execute(sql, {"run": base_run.pk, "month": BASE_MONTH, "due": dt.date(2025, 11, 15)})

    label = "hand-written SQL: the same bills and contribution rows into the same tables, one transaction"
    base_secs = bench.time(label, baseline, rows=size)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE coverage_bill")
            cur.execute("VACUUM ANALYZE coverage_contribution")
    secs = bench.time(
        "billing_run (bills + contribution rows)",
        lambda: services.billing_run(actor=user, month=MONTH),
        rows=size,
        baseline=label,
    )
    again = bench.time(
        "repeat billing_run, same month (idempotent)",
        lambda: services.billing_run(actor=user, month=MONTH),
        rows=size,
    )
    with connection.cursor() as cur:
        cur.execute(
            """SELECT COUNT(*) FROM coverage_bill x JOIN coverage_bill b
               ON b.payer_kind = x.payer_kind AND b.payer_id = x.payer_id AND b.month = %s
               WHERE x.month = %s AND (b.total <> x.total OR b.participations <> x.participations)""",
            [MONTH, BASE_MONTH],
        )
        mismatches = cur.fetchone()[0]
        cur.execute(
            """SELECT COUNT(*) FROM coverage_contribution x JOIN coverage_contribution c
               ON c.participation_id = x.participation_id AND c.month = %s
               WHERE x.month = %s AND (c.jkk <> x.jkk OR c.jkm <> x.jkm OR c.jht_employer <> x.jht_employer
                 OR c.jht_worker <> x.jht_worker OR c.jp_employer <> x.jp_employer OR c.jp_worker <> x.jp_worker
                 OR c.total <> x.total)""",
            [MONTH, BASE_MONTH],
        )
        line_mismatches = cur.fetchone()[0]
    bills = Bill.objects.filter(month=MONTH).count()
    base_bills = Bill.objects.filter(month=BASE_MONTH).count()
    contributions = Contribution.objects.filter(month=MONTH).count()
    base_contributions = Contribution.objects.filter(month=BASE_MONTH).count()
    total = sum(Bill.objects.filter(month=MONTH).values_list("total", flat=True))
    base_total = sum(Bill.objects.filter(month=BASE_MONTH).values_list("total", flat=True))
    bench.note("bills", bills)
    bench.note("contribution rows", contributions)
    bench.note("billed total (Rp)", int(total))
    bench.note("bills differing from the hand-written ones", mismatches)
    bench.note("contribution rows differing in a programme line", line_mismatches)
    ratio = secs / base_secs if base_secs else float("inf")
    bench.goal(
        "the same rows as the hand-written SQL (bills, contribution rows, programme lines)",
        mismatches == 0
        and line_mismatches == 0
        and bills == base_bills
        and contributions == base_contributions
        and total == base_total,
    )
    bench.goal(f"{size:,} participations billed in ≤ 30 s", secs <= 30 * max(1, size / DEFAULT_SIZE))
    bench.goal("≤ 3× the hand-written SQL writing the same rows", ratio <= 3)
    bench.goal("repeat run adds nothing and is quicker than the first", again < secs)
    bench.name += f" (load average {load_start} at start, {_load_average()} at end; nice 10)"
