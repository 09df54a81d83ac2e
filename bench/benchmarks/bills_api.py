"""What one request of the bills list and of the audit log costs at a province's scale (issue #16): the
first page, a deep page by cursor (the keyset page) and by page number (an OFFSET), the API and the HTML
page, for a BPJS branch officer of DKI Jakarta (bills of the province) and an agency head (their
organisation's audit log).

Data (set-based SQL, no billing run): `size` bills over twelve months of 2026, one per self-paying payer
and month, 90 % in DKI Jakarta's districts and 10 % in Jawa Barat's (outside the officer's scope); and
`size` audit entries a second apart, 90 % of the agency head's organisation and 10 % of another. Measured
like `read_cost`: in one process with Django's test client (a bearer token for the API, a session for
the page), CPU ms per request over `REQUESTS` requests, the queries of one request and their database
time, the wall time; on PostgreSQL `EXPLAIN (ANALYZE, BUFFERS)` of the page query (its execution time in
the notes). The deep page is the row at 80 % of the list.
"""

from __future__ import annotations

import datetime as dt
import os

from bench.benchmarks import read_cost

DEFAULT_SIZE = 100_000
REQUESTS = int(os.environ.get("SINERGI_BILLS_API_REQUESTS", "30"))
BILLS = "/api/v1/coverage/bills"
AUDIT = "/api/v1/core/audit"


def _numbers(n: int) -> str:
    """A table expression `s(i)` of 0 … n-1, on PostgreSQL and SQLite alike."""
    return f"WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < {n - 1})"


def _setup(size: int, head_org: int, other_org: int) -> None:
    from django.db import connection, transaction

    from sinergi.coverage.models import BillingRun
    from sinergi.regions.models import Region

    dki = list(Region.objects.filter(level="district", code__startswith="31").values_list("code", flat=True))
    jabar = list(
        Region.objects.filter(level="district", code__startswith="32").values_list("code", flat=True)
    )
    regions = [dki[i % len(dki)] for i in range(90)] + [jabar[i % len(jabar)] for i in range(10)]
    per_month = size // 12
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TEMPORARY TABLE bench_region (rn integer PRIMARY KEY, code varchar(10))")
        cur.executemany("INSERT INTO bench_region VALUES (%s, %s)", list(enumerate(regions)))
        for m in range(12):
            month = dt.date(2026, m + 1, 1)
            run = BillingRun.objects.create(month=month)
            n = per_month if m < 11 else size - 11 * per_month
            cur.execute(
                f"""{_numbers(n)}
                INSERT INTO coverage_bill (run_id, month, payer_kind, payer_id, payer_name, region_id,
                    participations, employer_part, worker_part, total, paid, status, due_date, number)
                SELECT %s, %s, 'self', s.i + 1, 'Peserta ' || CAST(s.i AS VARCHAR(12)), r.code, 1, 0,
                    16800, 16800, 0, 'open', %s, %s || CAST(s.i AS VARCHAR(12))
                FROM s JOIN bench_region r ON r.rn = s.i %% 100""",
                [run.pk, month, month + dt.timedelta(days=44), f"B{month:%Y%m}-"],
            )
        # audit entries a second apart from 2026-01-01 00:00 UTC (1767225600)
        stamp = (
            "TO_TIMESTAMP(1767225600 + s.i)"
            if connection.vendor == "postgresql"
            else "STRFTIME('%%Y-%%m-%%d %%H:%%M:%%S', 1767225600 + s.i, 'unixepoch')"
        )
        cur.execute(
            f"""{_numbers(size)}
            INSERT INTO core_auditentry (created_at, actor_id, actor_label, organisation_id, action,
                object_type, object_id, object_repr, changes, purpose, ip_address)
            SELECT {stamp}, NULL, 'bench', CASE WHEN s.i %% 10 = 9 THEN %s ELSE %s END, 'update',
                'coverage.bill', CAST(s.i AS VARCHAR(12)), 'tagihan', '{{}}', '', NULL
            FROM s""",
            [other_org, head_org],
        )
        cur.execute("DROP TABLE bench_region")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def run(bench, size):
    from django.conf import settings
    from django.test import Client

    from sinergi.accounts.models import Organisation, User
    from sinergi.accounts.services import api_token_create
    from sinergi.core import selectors as core_selectors
    from sinergi.core.paging import encode_cursor
    from sinergi.coverage import selectors

    bench.note("load average at start (2 cores, shared)", round(os.getloadavg()[0], 1))
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    branch = Organisation.objects.create(name="Bench BPJS TK DKI", kind="ss_branch", region_id="31")
    agency = Organisation.objects.create(name="Bench Disnaker DKI", kind="agency", region_id="31")
    other = Organisation.objects.create(name="Bench Disnaker Jabar", kind="agency", region_id="32")
    officer = User.objects.create(username="bench.branch", organisation=branch, role="ss_officer")
    head = User.objects.create(username="bench.head", organisation=agency, role="agency_head")
    bench.time(
        "setup: bills and audit entries (SQL)", lambda: _setup(size, agency.pk, other.pk), rows=2 * size
    )

    cases = [
        (
            "bills",
            officer,
            BILLS,
            "/coverage/bills/",
            "coverage_bill",
            selectors.bill_list,
            selectors.BILL_SORT_KEYS,
        ),
        (
            "audit",
            head,
            AUDIT,
            "/audit/",
            "core_auditentry",
            core_selectors.audit_list,
            core_selectors.AUDIT_SORT_KEYS,
        ),
    ]
    for label, user, api, page_url, table, selector, keys in cases:
        _token, raw = api_token_create(user=user, name="bills_api")
        client = Client(HTTP_AUTHORIZATION="Bearer " + raw)
        browser = Client()
        browser.force_login(user)
        qs = selector(user=user)
        total = qs.count()
        bench.note(f"{label}: rows in scope", total)
        deep = total * 8 // 10
        names = [k.lstrip("-") for k in keys]
        cursor = encode_cursor(qs.values_list(*names)[deep - 1])
        paths = [
            ("API first page", client, api),
            ("API deep page by page number (OFFSET)", client, f"{api}?page={deep // 50 + 1}"),
            ("API deep page by cursor", client, f"{api}?cursor={cursor}"),
            ("page, first", browser, page_url),
            ("page, deep by cursor", browser, f"{page_url}?after={cursor}"),
        ]
        if label == "bills":
            in_month = selector(user=user, filters={"month": "2026-06"})
            month_deep = in_month.count() * 8 // 10
            month_cursor = encode_cursor(in_month.values_list(*names)[month_deep - 1])
            paths.append(
                ("API one month, deep by cursor", client, f"{api}?month=2026-06&cursor={month_cursor}")
            )
        for name, who, path in paths:
            bench.say(f"{label}, {name}: {path}")
            cpu, wall, captured, sql_ms = read_cost._measure(who, path, REQUESTS)
            bench.note(
                f"{label}, {name}: CPU ms/req, queries, their ms, wall ms/req",
                f"{cpu:.2f}, {len(captured)}, {sql_ms:.1f}, {wall:.1f}",
            )
            executed = read_cost.explain_page(captured, table, bench.say)
            if executed is not None:
                bench.note(f"{label}, {name}: EXPLAIN ANALYZE of the page query, ms", executed)
    bench.note("load average at end", round(os.getloadavg()[0], 1))
