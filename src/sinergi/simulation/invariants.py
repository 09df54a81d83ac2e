# ruff: noqa: S608 - SQL here is assembled from constants and integers only; values are bound parameters
"""Invariants Sinergi must keep while time passes, each one set-based SQL returning the offending rows.

`sinergi simulate` runs `check_all` after every simulated month and stops at the first broken one;
the unit tests break one row on purpose for every check, so each check is known to be able to fail.
A check returns a list of dicts (the offending rows, at most `LIMIT`); an empty list means it holds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from sinergi.rules.heirs import RANKS

LIMIT = 20


@dataclass
class Context:
    """What a check may need to know: the month just simulated and where the simulation started
    (rows with ids above the watermarks were written during the simulation)."""

    month: dt.date | None = None
    watermarks: dict[str, int] = field(default_factory=dict)


@dataclass
class Broken:
    name: str
    description: str
    rows: list[dict]


def _rows(sql: str, params=None) -> list[dict]:
    with connection.cursor() as cur:
        cur.execute(sql + f" LIMIT {LIMIT}", params or {})
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _month_first(month: dt.date) -> dt.date:
    return month.replace(day=1)


def _month_last(month: dt.date) -> dt.date:
    nxt = (month.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return nxt - dt.timedelta(days=1)


# --------------------------------------------------------------------------------- coverage: billing
def billed_once(ctx: Context) -> list[dict]:
    """No participation has two contribution rows for one month."""
    return _rows(
        """SELECT participation_id, month, COUNT(*) AS n FROM coverage_contribution
           GROUP BY participation_id, month HAVING COUNT(*) > 1"""
    )


# Where a participation is billed: where its payer is (employer's region, sponsor's region, a
# self-payer's domicile), never the worker's home for an employer-paid participation.
PAYER_REGION = (
    "CASE p.payer_kind WHEN 'employer' THEN em.region_id WHEN 'sponsor' THEN so.region_id "
    "ELSE pe.domicile_region_id END"
)


def billable_billed(ctx: Context) -> list[dict]:
    """Every participation in force during the simulated month (active or in arrears, started, not
    ended before the month, the person not dead before it; PMI only in its first month) whose payer
    lies in the area of one of the month's billing runs has that month's contribution row."""
    if ctx.month is None:
        return []
    first, last = _month_first(ctx.month), _month_last(ctx.month)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT branch_id, area FROM coverage_billingrun WHERE month = %(first)s", {"first": first}
        )
        runs = cur.fetchall()
    if not runs:
        return []
    prefixes: set[str] = set()
    everywhere = False
    for branch_id, area in runs:
        area = json.loads(area) if isinstance(area, str) else (area or [])
        if branch_id is None or not area:
            everywhere = True
        prefixes.update(area)
    params = {"first": first, "last": last}
    where_area = ""
    if not everywhere:
        codes = sorted(prefixes)
        where_area = " AND (" + " OR ".join(f"{PAYER_REGION} LIKE %(a{i})s" for i in range(len(codes))) + ")"
        params.update({f"a{i}": f"{code}%" for i, code in enumerate(codes)})
    return _rows(
        f"""SELECT p.id AS participation_id, p.status, p.payer_kind, {PAYER_REGION} AS payer_region,
                   p.start_date, p.end_date
            FROM coverage_participation p
            JOIN registry_person pe ON pe.id = p.person_id
            LEFT JOIN registry_employer em ON em.id = p.employer_id
            LEFT JOIN accounts_organisation so ON so.id = p.sponsor_organisation_id
            WHERE p.status IN ('active', 'arrears')
              AND p.start_date <= %(last)s AND (p.end_date IS NULL OR p.end_date >= %(first)s)
              AND (p.segment <> 'PMI' OR p.start_date >= %(first)s)
              AND (pe.death_date IS NULL OR pe.death_date >= %(first)s)
              {where_area}
              AND NOT EXISTS (SELECT 1 FROM coverage_contribution c
                              WHERE c.participation_id = p.id AND c.month = %(first)s)
            ORDER BY p.id""",
        params,
    )


def none_after_end(ctx: Context) -> list[dict]:
    """No contribution for a month that starts after the participation ended."""
    return _rows(
        """SELECT c.id AS contribution_id, c.participation_id, c.month, p.end_date
           FROM coverage_contribution c JOIN coverage_participation p ON p.id = c.participation_id
           WHERE p.end_date IS NOT NULL AND c.month > p.end_date ORDER BY c.id"""
    )


def none_after_death(ctx: Context) -> list[dict]:
    """No contribution for a month that starts after the person died: known to the registry
    (deceased, date of death) or to BPJS (a paid death claim for an event before that month)."""
    registry = _rows(
        """SELECT c.id AS contribution_id, c.participation_id, c.month, pe.id AS person_id,
                  pe.death_date AS died_on
           FROM coverage_contribution c
           JOIN coverage_participation p ON p.id = c.participation_id
           JOIN registry_person pe ON pe.id = p.person_id
           WHERE pe.is_deceased = %(yes)s AND pe.death_date IS NOT NULL AND c.month > pe.death_date
           ORDER BY c.id""",
        {"yes": True},
    )
    if registry:
        return registry
    return _rows(
        """SELECT c.id AS contribution_id, c.participation_id, c.month, k.person_id,
                  k.event_date AS died_on, k.reference AS claim_case
           FROM coverage_contribution c
           JOIN coverage_participation p ON p.id = c.participation_id
           JOIN claims_claimcase k ON k.person_id = p.person_id AND k.event_type = 'death'
           WHERE c.month > k.event_date
             AND EXISTS (SELECT 1 FROM claims_claim cl WHERE cl.case_id = k.id AND cl.status = 'paid')
           ORDER BY c.id"""
    )


def bill_totals(ctx: Context) -> list[dict]:
    """A bill's total, parts and participation count equal the sums of its contribution rows, and
    each row's total is its employer part plus its worker part."""
    bills = _rows(
        """SELECT b.id AS bill_id, b.number, b.total, b.employer_part, b.worker_part, b.participations,
                  agg.total AS lines_total, agg.er AS lines_er, agg.wk AS lines_wk, agg.n AS lines
           FROM coverage_bill b
           LEFT JOIN (SELECT bill_id, SUM(total) AS total, SUM(employer_part) AS er,
                             SUM(worker_part) AS wk, COUNT(*) AS n
                      FROM coverage_contribution GROUP BY bill_id) agg ON agg.bill_id = b.id
           WHERE agg.bill_id IS NULL OR b.total <> agg.total OR b.employer_part <> agg.er
              OR b.worker_part <> agg.wk OR b.participations <> agg.n
           ORDER BY b.id"""
    )
    if bills:
        return bills
    return _rows(
        """SELECT id AS contribution_id, bill_id, total, employer_part, worker_part
           FROM coverage_contribution
           WHERE total <> employer_part + worker_part
              OR employer_part <> jkk + jkm + jht_employer + jp_employer + pmi_package
              OR worker_part <> jht_worker + jp_worker
           ORDER BY id"""
    )


def bill_status(ctx: Context) -> list[dict]:
    """A bill's paid amount is the sum of its payments and its status follows from its amounts:
    paid when payments cover the total, partly paid when some money came, unpaid otherwise; and a
    contribution is marked paid exactly when its bill is paid."""
    bills = _rows(
        """SELECT b.id AS bill_id, b.number, b.total, b.paid, b.status,
                  COALESCE(pm.s, 0) AS payments
           FROM coverage_bill b
           LEFT JOIN (SELECT bill_id, SUM(amount) AS s FROM coverage_payment GROUP BY bill_id) pm
             ON pm.bill_id = b.id
           WHERE b.paid <> COALESCE(pm.s, 0)
              OR b.status <> CASE WHEN b.paid >= b.total AND b.total > 0 THEN 'paid'
                                  WHEN b.paid > 0 THEN 'partial' ELSE 'open' END
           ORDER BY b.id"""
    )
    if bills:
        return bills
    return _rows(
        """SELECT c.id AS contribution_id, c.bill_id, c.paid, b.status
           FROM coverage_contribution c JOIN coverage_bill b ON b.id = c.bill_id
           WHERE (b.status = 'paid') <> (c.paid = %(yes)s)
           ORDER BY c.id""",
        {"yes": True},
    )


# --------------------------------------------------------------------------------- unions
def member_counts(ctx: Context) -> list[dict]:
    """Every union body's member count (own and with its subtree) equals a recount of active,
    verified memberships (a person counted once per subtree)."""
    return _rows(
        """SELECT b.id AS body_id, b.name, b.member_count, b.member_count_rollup,
                  (SELECT COUNT(DISTINCT m.person_id) FROM unions_membership m
                   WHERE m.body_id = b.id AND m.status = 'active' AND m.verified = %(yes)s) AS recount,
                  (SELECT COUNT(DISTINCT m.person_id) FROM unions_membership m
                   JOIN unions_unionbody d ON d.id = m.body_id
                   WHERE d.path LIKE b.path || '%%' AND m.status = 'active' AND m.verified = %(yes)s)
                   AS recount_rollup
           FROM unions_unionbody b
           WHERE b.member_count <> (SELECT COUNT(DISTINCT m.person_id) FROM unions_membership m
                   WHERE m.body_id = b.id AND m.status = 'active' AND m.verified = %(yes)s)
              OR b.member_count_rollup <> (SELECT COUNT(DISTINCT m.person_id) FROM unions_membership m
                   JOIN unions_unionbody d ON d.id = m.body_id
                   WHERE d.path LIKE b.path || '%%' AND m.status = 'active' AND m.verified = %(yes)s)
           ORDER BY b.id""",
        {"yes": True},
    )


# --------------------------------------------------------------------------------- schemes
def scheme_quota_budget(ctx: Context) -> list[dict]:
    """A sponsored scheme never enrols more people than its target (nor more than a district's
    quota), and what is billed to it for its budget year never exceeds its budget."""
    over_target = _rows(
        """SELECT s.id AS scheme_id, s.name, s.year, s.target, COUNT(p.id) AS enrolled
           FROM coverage_scheme s JOIN coverage_participation p ON p.scheme_id = s.id
           WHERE p.status <> 'pending'
           GROUP BY s.id, s.name, s.year, s.target HAVING COUNT(p.id) > s.target
           ORDER BY s.id"""
    )
    if over_target:
        return over_target
    over_quota = _rows(
        """SELECT q.scheme_id, q.region_id, q.quota, COUNT(p.id) AS enrolled
           FROM coverage_schemequota q
           JOIN coverage_participation p ON p.scheme_id = q.scheme_id
           JOIN registry_person pe ON pe.id = p.person_id
           WHERE p.status <> 'ended' AND pe.domicile_region_id LIKE q.region_id || '%%'
           GROUP BY q.scheme_id, q.region_id, q.quota HAVING COUNT(p.id) > q.quota
           ORDER BY q.scheme_id"""
    )
    if over_quota:
        return over_quota
    # Spend of a scheme's budget year: contributions of its participations in months of that year.
    # The year is compared as a date range built in Python per scheme year (portable SQL).
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT year FROM coverage_scheme")
        years = [int(r[0]) for r in cur.fetchall()]
    for year in sorted(years):
        rows = _rows(
            """SELECT s.id AS scheme_id, s.name, s.year, s.budget, SUM(c.total) AS spent
               FROM coverage_scheme s
               JOIN coverage_participation p ON p.scheme_id = s.id
               JOIN coverage_contribution c ON c.participation_id = p.id
               WHERE s.year = %(year)s AND c.month >= %(first)s AND c.month <= %(last)s
               GROUP BY s.id, s.name, s.year, s.budget HAVING SUM(c.total) > s.budget
               ORDER BY s.id""",
            {"year": year, "first": dt.date(year, 1, 1), "last": dt.date(year, 12, 31)},
        )
        if rows:
            return rows
    return []


# --------------------------------------------------------------------------------- programs
def one_aid_package(ctx: Context) -> list[dict]:
    """One aid package per person per distribution."""
    return _rows(
        """SELECT distribution_id, person_id, COUNT(*) AS packages FROM programs_handover
           GROUP BY distribution_id, person_id HAVING COUNT(*) > 1"""
    )


def no_card_after_death(ctx: Context) -> list[dict]:
    """No worker card stays active for a person recorded as deceased."""
    return _rows(
        """SELECT c.id AS card_id, c.number, c.person_id FROM programs_card c
           JOIN registry_person pe ON pe.id = c.person_id
           WHERE c.status = 'active' AND pe.is_deceased = %(yes)s ORDER BY c.id""",
        {"yes": True},
    )


# --------------------------------------------------------------------------------- claims
def _rank_case(column: str) -> str:
    parts = []
    for rank, relations, _en, _id in RANKS:
        names = ", ".join(f"'{r}'" for r in sorted(relations))
        parts.append(f"WHEN {column} IN ({names}) THEN {int(rank)}")
    return "CASE " + " ".join(parts) + " ELSE NULL END"


def claims_paid_once_to_heirs(ctx: Context) -> list[dict]:
    """A claim is paid at most once, only when approved or paid, for its approved amount; a death
    benefit is paid to a living member of the deceased's family of the best legal rank (or to another
    relative with a written reason), never to the deceased. (The family record has no date of death,
    so "living" means living now; a registry that starts recording relatives' deaths must compare
    with the payment date.)"""
    twice = _rows(
        """SELECT claim_id, COUNT(*) AS payments FROM claims_payment GROUP BY claim_id HAVING COUNT(*) > 1"""
    )
    if twice:
        return twice
    wrong = _rows(
        """SELECT cl.id AS claim_id, cl.status, cl.amount, pm.amount AS paid
           FROM claims_payment pm JOIN claims_claim cl ON cl.id = pm.claim_id
           WHERE cl.status <> 'paid' OR pm.amount <> cl.amount
           ORDER BY cl.id"""
    )
    if wrong:
        return wrong
    best = _rank_case("f2.relation")
    return _rows(
        f"""SELECT cl.id AS claim_id, cl.benefit, k.person_id AS deceased_id, cl.heir_id,
                   cl.claimant_relation, f.is_alive AS heir_alive, f.person_id AS heir_family_of,
                   cl.heir_rank
            FROM claims_payment pm
            JOIN claims_claim cl ON cl.id = pm.claim_id
            JOIN claims_claimcase k ON k.id = cl.case_id
            LEFT JOIN registry_familymember f ON f.id = cl.heir_id
            WHERE k.event_type = 'death' AND cl.benefit <> 'BEASISWA'
              AND EXISTS (SELECT 1 FROM registry_familymember f2
                          WHERE f2.person_id = k.person_id AND {best} IS NOT NULL)
              AND (cl.heir_id IS NULL OR cl.claimant_relation = 'self'
                   OR f.person_id <> k.person_id OR f.is_alive = %(no)s
                   OR (COALESCE(cl.heir_override_reason, '') = ''
                       AND cl.heir_rank > (SELECT MIN({best}) FROM registry_familymember f2
                                           WHERE f2.person_id = k.person_id AND f2.is_alive = %(yes)s)))
            ORDER BY cl.id""",
        {"yes": True, "no": False},
    )


# --------------------------------------------------------------------------------- audit and jobs
# Tables whose rows are written one at a time by a service that audits each of them:
# (table, audit object type, extra condition).
AUDITED_ROWS = (
    ("registry_person", "registry.person", ""),
    ("registry_employment", "registry.employment", ""),
    ("registry_familymember", "registry.familymember", ""),
    ("coverage_participation", "coverage.participation", "t.scheme_id IS NULL"),
    ("coverage_billingrun", "coverage.billingrun", ""),
    ("coverage_payment", "coverage.payment", "t.source = 'manual'"),
    ("claims_claimcase", "claims.claimcase", ""),
    ("claims_claim", "claims.claim", ""),
    ("claims_payment", "claims.payment", ""),
    ("claims_claimdocument", "claims.claimdocument", ""),
    ("lifeevents_lifeevent", "lifeevents.lifeevent", ""),
    ("unions_membership", "unions.membership", ""),
    ("meetings_meeting", "meetings.meeting", ""),
    ("programs_distribution", "programs.distribution", ""),
    ("programs_handover", "programs.handover", ""),
    ("aspirations_aspiration", "aspirations.aspiration", ""),
)


def audited_writes(ctx: Context) -> list[dict]:
    """Every row the simulation wrote through a service has its audit entry (per row for the
    objects written one by one; one entry per file for imported payments)."""
    for table, label, extra in AUDITED_ROWS:
        since = ctx.watermarks.get(table, 0)
        cond = f" AND {extra}" if extra else ""
        rows = _rows(
            f"""SELECT '{table}' AS "table", t.id FROM {table} t
                WHERE t.id > %(since)s {cond}
                  AND NOT EXISTS (SELECT 1 FROM core_auditentry a
                                  WHERE a.object_type = %(label)s AND a.object_id = CAST(t.id AS VARCHAR(64)))
                ORDER BY t.id""",
            {"since": since, "label": label},
        )
        if rows:
            return rows
    since = ctx.watermarks.get("coverage_payment", 0)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM coverage_payment WHERE id > %(since)s AND source = 'import'",
            {"since": since},
        )
        imported = cur.fetchone()[0]
        cur.execute(
            """SELECT COALESCE(SUM(CAST(changes ->> 'rows' AS INTEGER)), 0) FROM core_auditentry
               WHERE object_type = 'coverage.payment' AND action = 'import' AND id > %(since)s"""
            if connection.vendor == "postgresql"
            else """SELECT COALESCE(SUM(CAST(json_extract(changes, '$.rows') AS INTEGER)), 0)
                    FROM core_auditentry
                    WHERE object_type = 'coverage.payment' AND action = 'import' AND id > %(since)s""",
            {"since": ctx.watermarks.get("core_auditentry", 0)},
        )
        audited = cur.fetchone()[0]
    if imported != audited:
        return [{"table": "coverage_payment", "imported_rows": imported, "rows_in_import_audit": audited}]
    return []


# A failure message an officer can act on never shows the database's or Python's own words.
TECHNICAL_WORDS = (
    "constraint failed",
    "violates",
    "integrityerror",
    "traceback",
    "not null",
    "null value",
    "no such column",
    "no such table",
    "syntax error",
    "psycopg",
    "sqlite",
    "keyerror",
    "attributeerror",
    "typeerror",
    "valueerror",
    "does not exist",
    "object has no attribute",
)


def jobs_finished_and_explained(ctx: Context) -> list[dict]:
    """No job is left queued or running after a month's work, and every failed job says why in
    words an officer can act on (not a database or Python message)."""
    since = ctx.watermarks.get("core_job", 0)
    words = " OR ".join(f"LOWER(error) LIKE '%%{w}%%'" for w in TECHNICAL_WORDS)
    return _rows(
        f"""SELECT id AS job_id, kind, status, error FROM core_job
            WHERE id > %(since)s AND (status IN ('queued', 'running')
               OR (status = 'failed' AND (TRIM(error) = '' OR {words})))
            ORDER BY id""",
        {"since": since},
    )


CHECKS: list[tuple[str, Callable[[Context], list[dict]]]] = [
    ("each billable participation billed for the month", billable_billed),
    ("no participation billed twice for a month", billed_once),
    ("no bill after a participation ended", none_after_end),
    ("no bill after death", none_after_death),
    ("bill totals equal the sum of their contribution lines", bill_totals),
    ("bill status consistent with payments", bill_status),
    ("member counts equal a recount at every union body", member_counts),
    ("scheme enrolled within target and quota, spend within budget", scheme_quota_budget),
    ("one aid package per person per distribution", one_aid_package),
    ("no worker card active after death", no_card_after_death),
    ("claims paid at most once, to a living heir in legal order", claims_paid_once_to_heirs),
    ("an audit entry for every write", audited_writes),
    ("no job left running or failed without an officer-readable reason", jobs_finished_and_explained),
]


WATERMARK_TABLES = sorted({t for t, _l, _e in AUDITED_ROWS} | {"core_auditentry", "core_job"})


def watermarks() -> dict[str, int]:
    """The highest id of each watched table now: rows above it are written later."""
    marks = {}
    with connection.cursor() as cur:
        for table in WATERMARK_TABLES:
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            marks[table] = int(cur.fetchone()[0])
    return marks


def check_all(ctx: Context) -> Broken | None:
    """Run every check; the first broken one with its offending rows, or None when all hold."""
    for name, check in CHECKS:
        rows = check(ctx)
        if rows:
            return Broken(name=name, description=(check.__doc__ or "").strip(), rows=rows)
    return None
