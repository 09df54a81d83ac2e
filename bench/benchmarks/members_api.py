"""What one request of `GET /api/v1/unions/memberships` costs at a province's scale: the first page and a
deep page (by cursor, and by page number, an OFFSET), for an agency officer and a union official.

Data: the load test's (`loadtest._setup`: `size` people in DKI Jakarta, a DPW with 40 workplace units
holding size/4 members). Users: the Disnaker DKI agency officer (the province: every membership), and
an official of the DPW (a union scope: its bodies, its active members). Measured like `read_cost`: in
one process with Django's test client and a bearer token, CPU ms per request (`time.process_time`) over
`REQUESTS` requests, the queries of one request and their database time, the wall time; on PostgreSQL
the page query's `EXPLAIN (ANALYZE, BUFFERS)` is printed and its execution time noted.

The deep page is the row at 80 % of the list: by `cursor` (the keyset page, when the endpoint has one)
and by `page` (an OFFSET over the same order). On a commit before the keyset pages the endpoint has no
cursor: only the page-number requests run, which is the "before" of docs/registry.md.
"""

from __future__ import annotations

import os

from bench.benchmarks import read_cost

DEFAULT_SIZE = 100_000
REQUESTS = int(os.environ.get("SINERGI_MEMBERS_API_REQUESTS", "50"))
URL = "/api/v1/unions/memberships"


def _deep_cursor(qs, position: int) -> str | None:
    """The cursor a client holds after reading `position` rows of the list (the row before the page)."""
    from sinergi.unions import selectors

    keys = getattr(selectors, "MEMBERSHIP_SORT_KEYS", None)
    if keys is None:  # a commit before the keyset pages
        return None
    from sinergi.core.paging import encode_cursor

    row = qs.order_by(*keys).values_list(*keys)[position - 1]
    return encode_cursor(row)


def run(bench, size):
    from django.conf import settings
    from django.test import Client

    from bench.benchmarks import loadtest
    from sinergi.accounts.models import Organisation, User
    from sinergi.accounts.services import api_token_create
    from sinergi.unions import selectors

    bench.note("load average at start (2 cores, shared)", round(os.getloadavg()[0], 1))
    data = loadtest._setup(bench, size)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    officer = User.objects.get(username="bench.officer")
    union_org = Organisation.objects.create(
        name="Bench DPW DKI (pengurus)", kind="union", region_id="31", union_body_id=data["dpw"]
    )
    official = User.objects.create(username="bench.union", organisation=union_org, role="union_official")
    for label, user in [("agency officer", officer), ("DPW official", official)]:
        _token, raw = api_token_create(user=user, name="members_api")
        client = Client(HTTP_AUTHORIZATION="Bearer " + raw)
        qs = selectors.membership_list(user=user)
        total = qs.count()
        bench.note(f"{label}: memberships in scope", total)
        deep = total * 8 // 10
        paths = [("first page", URL), ("deep page by page number (OFFSET)", f"{URL}?page={deep // 50 + 1}")]
        cursor = _deep_cursor(qs, deep)
        if cursor:
            paths.append(("deep page by cursor", f"{URL}?cursor={cursor}"))
        body_id = qs.order_by("body_id").values_list("body_id", flat=True).first()
        paths.append(("one unit's first page", f"{URL}?body={body_id}"))
        for name, path in paths:
            bench.say(f"{label}, {name}: {path}")
            cpu, wall, captured, sql_ms = read_cost._measure(client, path, REQUESTS)
            body = client.get(path).json()
            bench.note(
                f"{label}, {name}: CPU ms/req, queries, their ms, wall ms/req, rows",
                f"{cpu:.2f}, {len(captured)}, {sql_ms:.1f}, {wall:.1f}, {len(body['items'])}",
            )
            executed = read_cost.explain_page(captured, "unions_membership", bench.say)
            if executed is not None:
                bench.note(f"{label}, {name}: EXPLAIN ANALYZE of the page query, ms", executed)
    bench.note("load average at end", round(os.getloadavg()[0], 1))
