# ruff: noqa: S608 - SQL here is assembled from constants only; every value is a bound parameter
"""The set-based billing run: bills per payer and one contribution row per participation for a month,
computed in SQL (INSERT … SELECT) with the rates passed as parameters from `rules.contributions`.

Rounding in SQL equals `rules.money.to_rupiah` on basis × rate: every rate is an integer number of
parts per million, so half-up is floor((basis × ppm + 500000) / 1000000) in integer arithmetic on
SQLite and PostgreSQL alike. Repeating a run for the same month inserts nothing twice: the unique
constraints (one bill per payer and month, one contribution per participation and month) with
ON CONFLICT DO NOTHING and NOT EXISTS make it idempotent; the run row is locked while it works.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import connection

from sinergi.core import bulksql
from sinergi.rules.contributions import bill_due_date, billing_parameters

SQLITE_CACHE_KIB = 256 * 1024
ROUND = "(({basis}) * {rate} + 500000) / 1000000"


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


PAYER_ID = (
    "CASE p.payer_kind WHEN 'employer' THEN p.employer_id "
    "WHEN 'sponsor' THEN p.sponsor_organisation_id ELSE p.person_id END"
)

# Where a participation is billed: where its payer is (the employer's region, the sponsor's region,
# a self-payer's domicile), never the worker's home for an employer-paid participation.
PAYER_REGION = (
    "CASE p.payer_kind WHEN 'employer' THEN pe_emp.region_id "
    "WHEN 'sponsor' THEN pe_org.region_id ELSE pe_per.domicile_region_id END"
)
PAYER_JOINS = """
    JOIN registry_person pe_per ON pe_per.id = p.person_id
    LEFT JOIN registry_employer pe_emp ON pe_emp.id = p.employer_id
    LEFT JOIN accounts_organisation pe_org ON pe_org.id = p.sponsor_organisation_id
"""

# Participations billed for a month: in force (active or in arrears) during the month, with a
# participant number; PMI packages are billed once, in the month the participation starts. Nobody
# is billed for a month that begins after their recorded death.
ELIGIBLE = """
    p.status IN ('active', 'arrears')
    AND p.start_date <= %(last)s
    AND (p.end_date IS NULL OR p.end_date >= %(first)s)
    AND (p.segment <> 'PMI' OR p.start_date >= %(first)s)
    AND (pe_per.death_date IS NULL OR pe_per.death_date >= %(first)s)
"""


def area_sql(area: list[str] | tuple[str, ...] | None) -> tuple[str, dict]:
    """`AND <payer region in the area>` for a branch's service area (region code prefixes)."""
    if not area:
        return "", {}
    parts = [f"{PAYER_REGION} LIKE %(area{i})s" for i in range(len(area))]
    return " AND (" + " OR ".join(parts) + ")", {f"area{i}": f"{code}%" for i, code in enumerate(area)}


def unbillable(*, month: dt.date, area=None, limit: int = 5) -> tuple[int, list[tuple]]:
    """Billable participations (in the area) whose payer is unknown or missing: their count and a few
    (participant number, name, payer kind) to name in the message. Billing refuses while any exist."""
    first, last = month_bounds(month)
    where_area, area_params = area_sql(area)
    missing = (
        "(p.payer_kind NOT IN ('employer', 'sponsor', 'self') "
        "OR (p.payer_kind = 'employer' AND p.employer_id IS NULL) "
        "OR (p.payer_kind = 'sponsor' AND p.sponsor_organisation_id IS NULL))"
    )
    # the area test needs a payer region; a missing payer falls back to the participation's region
    if area:
        where_area = " AND (" + " OR ".join(f"p.region_id LIKE %(area{i})s" for i in range(len(area))) + ")"
    sql = f"""SELECT p.participant_number, pe_per.name, p.payer_kind FROM coverage_participation p
              {PAYER_JOINS} WHERE {ELIGIBLE} AND {missing} {where_area} ORDER BY p.id"""
    params = {"first": first, "last": last, **area_params}
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM ({sql}) u", params)
        count = cur.fetchone()[0]
        rows = []
        if count:
            cur.execute(sql + f" LIMIT {int(limit)}", params)
            rows = cur.fetchall()
    return count, rows


def billable_count(*, month: dt.date, area=None) -> int:
    first, last = month_bounds(month)
    where_area, area_params = area_sql(area)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT COUNT(*) FROM coverage_participation p {PAYER_JOINS} WHERE {ELIGIBLE} {where_area}",
            {"first": first, "last": last, **area_params},
        )
        return cur.fetchone()[0]


# Needed only when the month already has bills (a repeated run): every contribution row of a month
# belongs to one of that month's bills, so a month without bills has no contribution rows either.
NOT_YET_BILLED = """
    AND NOT EXISTS (SELECT 1 FROM coverage_contribution c
                    WHERE c.participation_id = p.id AND c.month = %(first)s)
"""


def _case_by_class(rates: dict[int, int], prefix: str) -> tuple[str, dict]:
    parts, params = [], {}
    for cls, ppm in sorted(rates.items()):
        params[f"{prefix}{cls}"] = ppm
        parts.append(f"WHEN {int(cls)} THEN %({prefix}{cls})s")
    return "CASE p.risk_class " + " ".join(parts) + " ELSE 0 END", params


def _amount_sql(rules: dict, *, with_bill: bool = True, repeated: bool = True, area=None) -> tuple[str, dict]:
    """The SELECT computing each participation's amounts (derived table `x`) and its parameters.

    with_bill: join the month's bill of the payer (for the contribution rows); without it the
    SELECT carries the payer and region instead (for the bills themselves)."""
    params: dict = {
        "jkm": rules["jkm_ppm"],
        "jht_e": rules["jht_employer_ppm"],
        "jht_w": rules["jht_worker_ppm"],
        "jp_e": rules["jp_employer_ppm"],
        "jp_w": rules["jp_worker_ppm"],
        "jp_cap": rules["jp_cap"],
        "bpu_jkk": rules["bpu_jkk_ppm"],
        "bpu_jkk_max": rules["bpu_jkk_max"],
        "bpu_jkm": rules["bpu_jkm_flat"],
        "bpu_jht": rules["bpu_jht_ppm"],
        "pmi_pre": rules["pmi_pre_placement"],
    }
    jkk_rate, p1 = _case_by_class(rules["jkk_ppm"], "jkk")
    params.update(p1)
    if rules["jkk_relief_ppm"]:
        relief_rate, p2 = _case_by_class(rules["jkk_relief_ppm"], "jkkr")
        params.update(p2)
        industries = ", ".join(f"%(ind{i})s" for i in range(len(rules["industries"])))
        params.update({f"ind{i}": code for i, code in enumerate(rules["industries"])})
        jkk_rate = (
            f"CASE WHEN p.labour_intensive_industry IN ({industries}) THEN {relief_rate} ELSE {jkk_rate} END"
        )
    pmi_parts = " ".join(f"WHEN {int(m)} THEN %(pmi{m})s" for m in sorted(rules["pmi_packages"]))
    params.update({f"pmi{m}": v for m, v in rules["pmi_packages"].items()})
    pmi_case = f"CASE p.pmi_contract_months {pmi_parts} ELSE 0 END" if pmi_parts else "0"
    basis = "CAST(w.amount AS BIGINT)"
    jp_basis = f"CASE WHEN {basis} > %(jp_cap)s THEN %(jp_cap)s ELSE {basis} END"
    bpu_jkk = ROUND.format(basis=basis, rate="%(bpu_jkk)s")
    where_area, area_params = area_sql(area)
    params.update(area_params)
    head = (
        "b.id AS bill_id"
        if with_bill
        else f"p.payer_kind, {PAYER_ID} AS payer_id, {PAYER_REGION} AS region_id"
    )
    bill_join = (
        f"JOIN coverage_bill b ON b.month = %(first)s AND b.payer_kind = p.payer_kind AND b.payer_id = {PAYER_ID}"
        if with_bill
        else ""
    )
    sql = f"""
        SELECT {head}, p.id AS participation_id, {basis} AS basis,
          CASE WHEN p.segment = 'PU' AND p.jp THEN {jp_basis} ELSE 0 END AS jp_basis,
          CASE p.segment
            WHEN 'PU' THEN CASE WHEN p.jkk THEN {ROUND.format(basis=basis, rate=f"({jkk_rate})")} ELSE 0 END
            WHEN 'BPU' THEN CASE WHEN {bpu_jkk} > %(bpu_jkk_max)s THEN %(bpu_jkk_max)s ELSE {bpu_jkk} END
            ELSE 0 END AS jkk,
          CASE p.segment
            WHEN 'PU' THEN CASE WHEN p.jkm THEN {ROUND.format(basis=basis, rate="%(jkm)s")} ELSE 0 END
            WHEN 'BPU' THEN %(bpu_jkm)s
            ELSE 0 END AS jkm,
          CASE WHEN p.jht THEN CASE p.segment
            WHEN 'PU' THEN {ROUND.format(basis=basis, rate="%(jht_e)s")}
            WHEN 'BPU' THEN {ROUND.format(basis=basis, rate="%(bpu_jht)s")}
            ELSE 0 END ELSE 0 END AS jht_employer,
          CASE WHEN p.jht AND p.segment = 'PU' THEN {ROUND.format(basis=basis, rate="%(jht_w)s")} ELSE 0 END
            AS jht_worker,
          CASE WHEN p.jp AND p.segment = 'PU' THEN {ROUND.format(basis=jp_basis, rate="%(jp_e)s")} ELSE 0 END
            AS jp_employer,
          CASE WHEN p.jp AND p.segment = 'PU' THEN {ROUND.format(basis=jp_basis, rate="%(jp_w)s")} ELSE 0 END
            AS jp_worker,
          CASE WHEN p.segment = 'PMI' THEN %(pmi_pre)s + {pmi_case} ELSE 0 END AS pmi_package
        FROM coverage_participation p
        {PAYER_JOINS}
        JOIN coverage_wagereport w ON w.participation_id = p.id
          AND w.valid_from <= %(last)s AND (w.valid_to IS NULL OR w.valid_to >= %(last)s)
        {bill_join}
        WHERE {ELIGIBLE} {where_area} {NOT_YET_BILLED if repeated else ""}
    """
    return sql, params


TOTALS = {
    "er": "x.jkk + x.jkm + x.jht_employer + x.jp_employer + x.pmi_package",
    "wk": "x.jht_worker + x.jp_worker",
}
TOTALS["total"] = f"{TOTALS['er']} + {TOTALS['wk']}"


def run_billing_sql(*, run_id: int, month: dt.date, area=None) -> dict:
    """Insert the month's missing bills and contributions for the payers in `area` (region code
    prefixes; None: everywhere) and refresh the month's bill totals.

    Returns counts (of this run's bills). Must run inside a transaction that holds the run row's lock.
    """
    first, last = month_bounds(month)
    rules = billing_parameters(first)
    base = {
        "first": first,
        "last": last,
        "run": run_id,
        "due": bill_due_date(first),
        "prefix": f"B{first:%Y%m}-",
    }
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            # A larger page cache for this run: a million index entries otherwise thrash the default
            # 2 MB cache. Restored at the end; memory is only used as pages are touched.
            cur.execute("PRAGMA cache_size")
            old_cache = cur.fetchone()[0]
            cur.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
        cur.execute("SELECT COUNT(*) FROM coverage_bill WHERE month = %(first)s", {"first": first})
        had_bills = cur.fetchone()[0] > 0
        # 0. every billable participation's amounts, computed once into a scratch table
        amounts, params = _amount_sql(rules, with_bill=False, repeated=had_bills, area=area)
        cur.execute("DROP TABLE IF EXISTS coverage_billing_scratch")
        cur.execute(
            f"""CREATE TEMPORARY TABLE coverage_billing_scratch AS
                SELECT x.*, {TOTALS["er"]} AS er, {TOTALS["wk"]} AS wk, {TOTALS["total"]} AS total
                FROM ({amounts}) x""",
            {**base, **params},
        )
        if connection.vendor == "postgresql":
            cur.execute("ANALYZE coverage_billing_scratch")  # a temporary table has no statistics
        with bulksql.fk_checks_per_statement(cur):
            # foreign keys of the rows below, checked once per statement (sinergi.core.bulksql): the run,
            # the bills' regions, and the participations (locked FOR KEY SHARE as the row trigger would)
            bulksql.parents_locked(
                cur,
                values_sql="SELECT %s AS k",
                params=[run_id],
                parent="coverage_billingrun",
                key="id",
                what="bill run",
            )
            bulksql.parents_locked(
                cur,
                values_sql="SELECT region_id AS k FROM coverage_billing_scratch",
                parent="regions_region",
                key="code",
                what="bill region",
            )
            bulksql.parents_locked(
                cur,
                values_sql="SELECT participation_id AS k FROM coverage_billing_scratch",
                parent="coverage_participation",
                key="id",
                what="contribution participation",
            )
            if had_bills:  # bills made by an earlier run of the month; this run's own are new rows
                bulksql.parents_locked(
                    cur,
                    values_sql="SELECT b.id AS k FROM coverage_billing_scratch s JOIN coverage_bill b "
                    "ON b.month = %s AND b.payer_kind = s.payer_kind AND b.payer_id = s.payer_id",
                    params=[first],
                    parent="coverage_bill",
                    key="id",
                    what="contribution bill",
                )
            # 1. one bill per payer with no bill yet this month, with its totals and the payer's name
            cur.execute(
                """
                INSERT INTO coverage_bill (run_id, month, payer_kind, payer_id, payer_name, region_id,
                    participations, employer_part, worker_part, total, paid, status, due_date, number)
                SELECT %(run)s, %(first)s, g.payer_kind, g.payer_id,
                    COALESCE(CASE g.payer_kind WHEN 'employer' THEN e.name WHEN 'sponsor' THEN o.name
                                  ELSE pe.name END, ''),
                    g.region_id, g.n, g.er, g.wk, g.total, 0, 'open', %(due)s,
                    CAST(%(prefix)s AS VARCHAR(20)) || SUBSTR(g.payer_kind, 1, 1) || CAST(g.payer_id AS VARCHAR(20))
                FROM (SELECT s.payer_kind, s.payer_id, MIN(s.region_id) AS region_id, COUNT(*) AS n,
                             SUM(s.er) AS er, SUM(s.wk) AS wk, SUM(s.total) AS total
                      FROM coverage_billing_scratch s GROUP BY s.payer_kind, s.payer_id) g
                LEFT JOIN registry_employer e ON g.payer_kind = 'employer' AND e.id = g.payer_id
                LEFT JOIN accounts_organisation o ON g.payer_kind = 'sponsor' AND o.id = g.payer_id
                LEFT JOIN registry_person pe ON g.payer_kind = 'self' AND pe.id = g.payer_id
                WHERE TRUE  -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
                ON CONFLICT DO NOTHING
                """,
                base,
            )
            new_bills = cur.rowcount
            # 2. one contribution row per billable participation, on its payer's bill
            cur.execute(
                """
                INSERT INTO coverage_contribution (bill_id, participation_id, month, basis, jp_basis, jkk, jkm,
                    jht_employer, jht_worker, jp_employer, jp_worker, pmi_package,
                    employer_part, worker_part, total, paid)
                SELECT b.id, s.participation_id, %(first)s, s.basis, s.jp_basis, s.jkk, s.jkm,
                    s.jht_employer, s.jht_worker, s.jp_employer, s.jp_worker, s.pmi_package,
                    s.er, s.wk, s.total, FALSE
                FROM coverage_billing_scratch s
                JOIN coverage_bill b ON b.month = %(first)s AND b.payer_kind = s.payer_kind AND b.payer_id = s.payer_id
                WHERE TRUE  -- SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
                ON CONFLICT DO NOTHING
                """,
                base,
            )
            new_contributions = cur.rowcount
        cur.execute("DROP TABLE coverage_billing_scratch")
        # 3. a repeated run that added participations to bills made earlier: refresh those totals
        if had_bills and new_contributions:
            cur.execute(
                """
                UPDATE coverage_bill SET participations = agg.n, employer_part = agg.er, worker_part = agg.wk,
                    total = agg.total,
                    status = CASE WHEN coverage_bill.paid >= agg.total THEN 'paid'
                                  WHEN coverage_bill.paid > 0 THEN 'partial' ELSE 'open' END
                FROM (SELECT bill_id, COUNT(*) AS n, SUM(employer_part) AS er, SUM(worker_part) AS wk,
                             SUM(total) AS total
                      FROM coverage_contribution WHERE month = %(first)s GROUP BY bill_id) agg
                WHERE coverage_bill.id = agg.bill_id AND coverage_bill.month = %(first)s
                  AND coverage_bill.total <> agg.total
                """,
                {"first": first},
            )
        cur.execute(
            """SELECT COUNT(*), COALESCE(SUM(participations), 0), COALESCE(SUM(total), 0)
               FROM coverage_bill WHERE month = %(first)s AND run_id = %(run)s""",
            {"first": first, "run": run_id},
        )
        bills, participations, total = cur.fetchone()
        if connection.vendor == "sqlite":
            cur.execute(f"PRAGMA cache_size = {int(old_cache)}")
    return {
        "new_bills": max(new_bills, 0),
        "new_contributions": max(new_contributions, 0),
        "bills": int(bills),
        "participations": int(participations),
        "total": int(total),
        "rules": rules,
    }


def refresh_statuses(*, today: dt.date, lapse_after: int) -> int:
    """Recompute, set-based: contributions of fully paid bills are paid; participations with unpaid
    contributions past their due date are in arrears, or lapsed after `lapse_after` unpaid months;
    participations with nothing overdue are active again. Returns the number of participations changed."""
    with connection.cursor() as cur:
        cur.execute(
            """UPDATE coverage_contribution SET paid = TRUE WHERE paid = FALSE
               AND bill_id IN (SELECT id FROM coverage_bill WHERE status = 'paid')"""
        )
        cur.execute(
            """UPDATE coverage_contribution SET paid = FALSE WHERE paid = TRUE
               AND bill_id IN (SELECT id FROM coverage_bill WHERE status <> 'paid')"""
        )
        overdue = """(SELECT COUNT(*) FROM coverage_contribution c JOIN coverage_bill b ON b.id = c.bill_id
                      WHERE c.participation_id = coverage_participation.id AND c.paid = FALSE
                        AND b.due_date < %(today)s)"""
        cur.execute(
            f"""
            UPDATE coverage_participation SET status = CASE
                WHEN {overdue} >= %(lapse)s THEN 'lapsed'
                WHEN {overdue} >= 1 THEN 'arrears'
                ELSE 'active' END
            WHERE status IN ('active', 'arrears', 'lapsed')
              AND status <> CASE
                WHEN {overdue} >= %(lapse)s THEN 'lapsed'
                WHEN {overdue} >= 1 THEN 'arrears'
                ELSE 'active' END
            """,
            {"today": today, "lapse": lapse_after},
        )
        changed = cur.rowcount
        cur.execute(
            """UPDATE coverage_participation SET status = 'ended'
               WHERE status IN ('active', 'arrears', 'lapsed') AND end_date IS NOT NULL AND end_date < %(today)s""",
            {"today": today},
        )
        changed += cur.rowcount
    return changed
