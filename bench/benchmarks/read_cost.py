"""What one request of a people list or name search costs at a province's scale, measured so that a busy
machine does not distort it: process CPU time (`time.process_time`) per request and the queries each
request runs, in one process with Django's test client, beside `/healthz` on the same process.

Data: the load test's (`loadtest._setup`: `size` people in DKI Jakarta, 60 % participating, a DPW with
size/4 members; the officer is a Disnaker DKI agency officer, the largest scope a region officer has).
Requests: `/healthz`, `GET /api/v1/registry/people` (bearer token), `?q=` for common and rare names
(old spellings included), the HTML people list and search page (session). For each: CPU ms per request
over `REQUESTS` requests, queries per request and their database time, and the wall time. On
PostgreSQL also `EXPLAIN ANALYZE` of each search's page query (its execution time in the notes).

The database's own CPU is not in the process time: the query time per request is its share. Issue #16's
throughput goal (≥ 50 % of /healthz) is a wall-clock figure of the load test (`loadtest`); this one says
where the cost of a request is, on any machine load.
"""

from __future__ import annotations

import os
import time

DEFAULT_SIZE = 100_000
REQUESTS = int(os.environ.get("SINERGI_READ_COST_REQUESTS", "200"))
NAMES = ["siti", "sri", "agus", "soekarno", "djoko"]


def _measure(client, path: str, n: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    # copied now: the next request's request_started signal clears the connection's query log
    captured = list(ctx.captured_queries)
    sql_ms = sum(float(q["time"]) for q in captured) * 1000
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(n):
        client.get(path)
    cpu = (time.process_time() - cpu0) / n * 1000
    wall = (time.perf_counter() - wall0) / n * 1000
    return cpu, wall, captured, sql_ms


def _explain(captured) -> float | None:
    from django.db import connection

    page = next((q["sql"] for q in captured if "registry_person" in q["sql"] and "LIMIT" in q["sql"]), None)
    if page is None or connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + page)
        plan = cur.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else plan
    return round(float(plan["Execution Time"]), 1)


def explain_page(captured, table: str, say) -> float | None:
    """`EXPLAIN (ANALYZE, BUFFERS)` of the page query of `table` among the captured queries (PostgreSQL),
    printed through `say`; its execution time in ms, or None (SQLite, no such query)."""
    from django.db import connection

    page = next(
        (
            q["sql"]
            for q in captured
            if table in q["sql"] and "LIMIT" in q["sql"] and "COUNT" not in q["sql"].upper()
        ),
        None,
    )
    if page is None or connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + page)
        lines = [row[0] for row in cur.fetchall()]
    say("    " + "\n    ".join(lines))
    executed = next((line for line in lines if line.startswith("Execution Time")), "")
    return float(executed.split(":")[1].split()[0]) if executed else None


def run(bench, size):
    from django.conf import settings
    from django.test import Client

    from bench.benchmarks import loadtest

    bench.note("load average at start (2 cores, shared)", round(os.getloadavg()[0], 1))
    data = loadtest._setup(bench, size)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    api = Client(HTTP_AUTHORIZATION="Bearer " + data["token"])
    page = Client()
    page.cookies["sessionid"] = data["session"]
    paths = [
        ("/healthz", page),
        ("/api/v1/registry/people", api),
        *[(f"/api/v1/registry/people?q={q}", api) for q in NAMES],
        ("/registry/people/", page),
        ("/registry/people/?q=siti", page),
    ]
    anchor = None
    for path, client in paths:
        cpu, wall, captured, sql_ms = _measure(client, path, REQUESTS)
        anchor = anchor or cpu
        bench.note(
            f"{path}: CPU ms/req, × /healthz, queries, their ms, wall ms/req",
            f"{cpu:.2f}, {cpu / anchor:.1f}×, {len(captured)}, {sql_ms:.0f}, {wall:.1f}",
        )
        executed = _explain(captured)
        if executed is not None:
            bench.note(f"{path}: EXPLAIN ANALYZE of the page query, ms", executed)
    bench.note("load average at end", round(os.getloadavg()[0], 1))
