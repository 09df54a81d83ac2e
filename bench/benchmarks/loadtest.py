"""Officers at a province's scale: a mixed read workload (locust) against gunicorn on `size` people.

Data (inserted in bulk): `size` people from `bench.generate.people_frame` (real Indonesian names, so
searches hit and miss as they would), all domiciled in DKI Jakarta's districts; 60 % with a participation
in force; a DPW (province union body) with 40 workplace units holding 25 % of the people as members, so
its page has ~size/4 members below; one validated member-list import (its preview page). The officer is
a Disnaker DKI agency officer: their scope is the whole province, the largest scope a region officer has.

Server: gunicorn `WORKERS` workers × `THREADS` threads (sinergi.config.wsgi) on the scratch database,
on loopback. Clients: locust (`_loadtest_client.py`, its own process), `USERS` closed-loop users with no
think time. Phases, each bounded in requests and seconds (`SINERGI_LOADTEST_REQUESTS`, default 4,000; the
mixed phase twice that; `SINERGI_LOADTEST_SECONDS`, default 60), each after `SINERGI_LOADTEST_WARMUP`
unmeasured requests of its own (default 500: every process and thread has compiled its pages and read its
kept counts, as on a server that has been running; the measured part is the steady state). On PostgreSQL
the database is VACUUMed after the bulk load, so no autovacuum of it runs during a measured phase:

1. `/healthz` alone: the anchor (the same server, no database work);
2. `GET /api/v1/registry/people` (scoped list) alone, then `?q=` (name search) alone: throughput against
   the anchor (issue #16 goal: ≥ 50 % of `/healthz`, p95 < 300 ms);
3. the mixed officer workload: home, people list, name search (page and API), person profile, coverage
   gap, the DPW's page, a contribution quote, an import preview; throughput and p50/p95/p99 per page
   (goal: every page p95 < 300 ms).

`sinergi bench loadtest --size 1000000` on PostgreSQL is the issue's run; small sizes work on SQLite too.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.benchmarks.api_read import _database_url, _free_port
from bench.benchmarks.billing import _insert_generic, _pad

DEFAULT_SIZE = 100_000
WORKERS = int(os.environ.get("SINERGI_LOADTEST_WORKERS", "4"))
THREADS = int(os.environ.get("SINERGI_LOADTEST_THREADS", "4"))
USERS = int(os.environ.get("SINERGI_LOADTEST_USERS", "8"))
MAX_REQUESTS = int(os.environ.get("SINERGI_LOADTEST_REQUESTS", "4000"))
MAX_SECONDS = float(os.environ.get("SINERGI_LOADTEST_SECONDS", "60"))
# unmeasured requests before each phase (per-process caches, compiled pages, kept counts: a warm server)
WARMUP = int(os.environ.get("SINERGI_LOADTEST_WARMUP", "500"))
SEARCH_NAMES = ["siti", "agus", "soekarno", "djoko", "wahyu", "nurul", "rahayu", "sri", "budi santoso"]


def _person_rows(size: int):
    """The people frame as registry_person columns (every concrete column, defaults where the frame has
    nothing), domiciled round-robin in DKI's districts."""
    import polars as pl
    from django.utils import timezone

    from bench.generate import people_frame
    from sinergi.regions.models import Region
    from sinergi.registry.models import Person
    from sinergi.registry.normalize import name_keys

    dki = list(
        Region.objects.filter(code__startswith="31", level="district")
        .order_by("code")
        .values_list("code", flat=True)
    )
    frame = people_frame(size, seed=16)
    n = frame.height
    now = timezone.now().isoformat()
    given = {
        "nik": frame["NIK"],
        "name": frame["Nama"],
        "name_key": name_keys(frame["Nama"]),
        "birth_place": frame["Tempat Lahir"],
        "birth_date": frame["Tanggal Lahir"],
        "sex": frame["Jenis Kelamin"].str.slice(0, 1).str.to_uppercase().replace({"L": "M", "P": "F"}),
        "domicile_region_id": pl.Series([dki[i % len(dki)] for i in range(n)]),
        "address": frame["Alamat"],
        "occupation": frame["Pekerjaan"],
        "employment_type": pl.Series(["informal" if i % 3 == 0 else "formal" for i in range(n)]),
        "is_vulnerable": pl.Series([i % 17 == 0 for i in range(n)]),
    }
    columns = {}
    for f in Person._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.column in given:
            columns[f.column] = given[f.column]
        elif f.get_internal_type() == "DateTimeField":
            columns[f.column] = pl.repeat(now, n, eager=True)
        elif f.null:
            columns[f.column] = pl.repeat(None, n, eager=True, dtype=pl.String)
        elif f.get_internal_type() == "BooleanField":
            columns[f.column] = pl.repeat(False, n, eager=True)
        else:
            columns[f.column] = pl.repeat(f.get_default() if f.has_default() else "", n, eager=True)
    return pl.DataFrame(columns)


def _load_people(size: int) -> int:
    from django.db import connection, transaction

    rows = _person_rows(size)
    cols = rows.columns
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # a bulk load builds the list and search indexes once afterwards, not row by row
            cur.execute("DROP INDEX IF EXISTS registry_person_name_key_trgm")
            cur.execute("DROP INDEX IF EXISTS registry_person_name_id")
            buf = io.BytesIO()
            rows.write_csv(buf, include_header=False, null_value="\\N")
            raw = cur.cursor
            with raw.copy(
                f"COPY registry_person ({', '.join(cols)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            ) as copy:
                view = buf.getbuffer()
                for i in range(0, len(view), 1 << 20):
                    copy.write(view[i : i + (1 << 20)])
        else:
            marks = ", ".join(["%s"] * len(cols))
            cur.executemany(
                f"INSERT INTO registry_person ({', '.join(cols)}) VALUES ({marks})",  # noqa: S608
                rows.iter_rows(),
            )
    if connection.vendor == "postgresql":  # after the COPY's transaction (its deferred FK checks)
        with connection.cursor() as cur:
            cur.execute("CREATE INDEX registry_person_name_id ON registry_person (name, id)")
            cur.execute(
                "CREATE INDEX registry_person_name_key_trgm ON registry_person USING gin (name_key gin_trgm_ops)"
            )
    return rows.height


def _setup(bench, size: int) -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.files.base import ContentFile
    from django.db import connection, transaction

    from sinergi.accounts.models import Organisation, User
    from sinergi.accounts.services import api_token_create
    from sinergi.core.jobs import job_execute
    from sinergi.coverage.models import Participation
    from sinergi.registry.models import Person
    from sinergi.registry.services import registry_import_start
    from sinergi.unions.models import Membership
    from sinergi.unions.services import member_counts_recompute, union_body_create

    vendor = connection.vendor
    org, _ = Organisation.objects.get_or_create(
        name="Bench Disnaker DKI", defaults={"kind": "agency", "region_id": "31"}
    )
    officer, _ = User.objects.get_or_create(
        username="bench.officer", defaults={"organisation": org, "role": "agency_officer"}
    )
    bench.time("setup: people (COPY / executemany)", lambda: _load_people(size), rows=size)
    p0 = Person.objects.order_by("pk").values_list("pk", flat=True).first() - 1
    dpw = union_body_create(
        actor=None, name="Bench DPW DKI", short_name="DPW DKI", kind="union", region_id="31"
    )
    units = [
        union_body_create(
            actor=None, name=f"Bench PUK {i}", short_name=f"PUK {i}", kind="unit", parent=dpw, region_id="31"
        )
        for i in range(40)
    ]
    body_case = "CASE n % 40 {whens} END".format(
        whens=" ".join(f"WHEN {i} THEN {b.pk}" for i, b in enumerate(units))
    )

    def rest():
        with transaction.atomic(), connection.cursor() as cur:
            _insert_generic(
                cur,
                Participation,
                "",
                {
                    "person_id": f"n + {p0}",
                    "segment": "CASE WHEN n % 2 = 0 THEN 'PU' ELSE 'BPU' END",
                    "payer_kind": "CASE WHEN n % 2 = 0 THEN 'employer' ELSE 'self' END",
                    "region_id": "'31'",
                    "participant_number": "'25' || " + _pad("n", 10, vendor),
                    "start_date": "%(start)s",
                    "status": "'active'",
                    "wage": "5000000",
                },
                {"count": size * 6 // 10, "start": dt.date(2024, 1, 1)},
                vendor,
            )
            _insert_generic(
                cur,
                Membership,
                "",
                {
                    "person_id": f"(n * 4 - 3) + {p0}",
                    "body_id": body_case,
                    "status": "'active'",
                    "verified": "TRUE",
                    "member_number": "'DPW-' || " + _pad("n", 9, vendor),
                },
                {"count": size // 4},
                vendor,
            )
        member_counts_recompute(body_ids=[dpw.pk, *[u.pk for u in units]])
        if vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")

    bench.time("setup: participations, memberships, counts, ANALYZE (SQL)", rest, rows=size)
    if connection.vendor == "postgresql":
        # A settled database, as in production: the visibility map set (index-only scans need it) and no
        # autovacuum of the bulk load competing with a measured phase (it made `/healthz` vary 620–1,010 req/s).
        def vacuum():
            with connection.cursor() as cur:
                cur.execute("VACUUM (ANALYZE)")

        bench.time("setup: VACUUM (ANALYZE)", vacuum, rows=size)
    sample = (
        "NIK,Nama,Tanggal Lahir,Jenis Kelamin,Kode Kecamatan,No Anggota\n"
        + "\n".join(
            f"{3172055001900000 + i},Pekerja Contoh {i},1990-01-01,L,317205,PRV-{i:05d}"
            for i in range(1, 201)
        )
        + "\n"
    )
    job = registry_import_start(
        actor=officer, upload=ContentFile(sample.encode(), name="preview.csv"), filename="preview.csv"
    )
    job_execute(job)
    session = SessionStore()
    session[SESSION_KEY] = str(officer.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    session.create()
    _token, raw = api_token_create(user=officer, name="loadtest")
    rng = random.Random(16)
    ids = [p0 + rng.randint(1, size) for _ in range(2000)]
    return {
        "session": session.session_key,
        "token": raw,
        "dpw": dpw.pk,
        "job": job.pk,
        "people": ids,
        "officer": officer.pk,
    }


def _search_pages_checked(officer_pk: int) -> tuple[int, int]:
    """(names whose first page through the word walks equals the trigram search's, rows on those pages):
    a search that finds nobody is fast too, so the measured pages must be the right ones (people written
    with the name-word triggers silenced once had no words and vanished from the walks)."""
    from sinergi.accounts.models import User
    from sinergi.core import paging
    from sinergi.registry import selectors

    officer = User.objects.get(pk=officer_pk)
    agree = rows = 0
    for name in SEARCH_NAMES:
        filters = {"q": name}
        qs = selectors.person_list(user=officer, filters=filters)
        narrow = selectors.person_search_narrow(user=officer, filters=filters)
        walked = [p.pk for p in paging.keyset_page(qs, keys=selectors.SORT_KEYS, size=50, narrow=narrow).rows]
        plain = [p.pk for p in paging.keyset_page(qs, keys=selectors.SORT_KEYS, size=50).rows]
        agree += walked == plain
        rows += len(walked)
    return agree, rows


def _start_gunicorn(tmp: Path, port: int) -> subprocess.Popen:
    import http.client

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DATABASE_URL": _database_url(),
        "SINERGI_HOME": str(tmp / "home"),
        "SINERGI_LOG_LEVEL": "WARNING",
        "SINERGI_TASKS_IMMEDIATE": "",
        "SINERGI_RATELIMIT": "0",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    log = (tmp / "gunicorn.log").open("w")
    proc = subprocess.Popen(
        [
            gunicorn,
            "sinergi.config.wsgi",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited: " + (tmp / "gunicorn.log").read_text()[-2000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not answer /healthz within 90 s")


def _phases(data: dict) -> list[dict]:
    def phase(name, tasks, requests=MAX_REQUESTS):
        return {
            "name": name,
            "users": USERS,
            "max_requests": requests,
            "max_seconds": MAX_SECONDS,
            "warmup": WARMUP,
            "tasks": tasks,
        }

    api_list = {"name": "API people (scoped list)", "path": "/api/v1/registry/people", "api": True}
    api_search = {
        "name": "API people ?q= (name search)",
        "path": "/api/v1/registry/people?q={q}",
        "api": True,
    }
    mixed = [
        {"name": "home", "path": "/", "weight": 1},
        {"name": "people list page", "path": "/registry/people/", "weight": 2},
        {"name": "people search page", "path": "/registry/people/?q={q}", "weight": 2},
        {**api_list, "weight": 2},
        {**api_search, "weight": 2},
        {"name": "person profile", "path": "/registry/people/{person}/", "weight": 3},
        {"name": "coverage gap", "path": "/coverage/gap/", "weight": 1},
        {"name": "DPW page (size/4 members below)", "path": f"/registry/unions/{data['dpw']}/", "weight": 1},
        {
            "name": "contribution quote",
            "path": "/coverage/quote/?segment=PU&month=2026-12&wage=5000000&risk_class=1",
            "weight": 1,
        },
        {"name": "import preview", "path": f"/registry/import/{data['job']}/", "weight": 1},
    ]
    return [
        phase("anchor", [{"name": "/healthz", "path": "/healthz"}]),
        phase("scoped list", [api_list]),
        phase("search", [api_search]),
        phase("mixed", mixed, requests=MAX_REQUESTS * 2),
    ]


def _locust(port: int, data: dict) -> list[dict]:
    plan = {
        "host": f"http://127.0.0.1:{port}",
        "session": data["session"],
        "token": data["token"],
        "people": data["people"],
        "names": SEARCH_NAMES,
        "phases": _phases(data),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.benchmarks._loadtest_client"],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        timeout=MAX_SECONDS * 11 + 120,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    if done.returncode != 0:
        raise RuntimeError("locust client failed: " + done.stderr[-3000:])
    return json.loads(done.stdout)


def run(bench, size):
    bench.note("load average at start (2 cores, shared)", round(os.getloadavg()[0], 1))
    bench.note("gunicorn workers × threads", f"{WORKERS} × {THREADS}")
    bench.note("locust users", USERS)
    data = _setup(bench, size)
    agree, rows = _search_pages_checked(data["officer"])
    bench.note(
        "search first pages: word walks equal to the trigram search", f"{agree} of {len(SEARCH_NAMES)}"
    )
    bench.note("search first pages: rows", rows)
    bench.goal("every search name's first page equals the trigram search's", agree == len(SEARCH_NAMES))
    port = _free_port()
    server = _start_gunicorn(bench.tmp, port)
    results = {}
    try:
        bench.time(
            "load test: anchor, scoped list, search, mixed (locust)",
            lambda: results.setdefault("phases", _locust(port, data)),
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    phases = {p["name"]: p for p in results["phases"]}
    anchor = phases["anchor"]["rps"]
    bench.note("/healthz req/s", round(anchor, 1))
    ok_all = True
    for key in ("scoped list", "search"):
        p = phases[key]
        page = next(iter(p["pages"].values()))
        share = p["rps"] / anchor * 100 if anchor else 0
        bench.note(f"{key}: req/s", round(p["rps"], 1))
        bench.note(f"{key}: % of /healthz", round(share, 1))
        bench.note(f"{key}: p50/p95/p99 ms", f"{page['p50']:.0f}/{page['p95']:.0f}/{page['p99']:.0f}")
        bench.goal(f"{key} ≥ 50 % of /healthz throughput", share >= 50)
        bench.goal(f"{key} p95 < 300 ms", page["p95"] < 300)
    mixed = phases["mixed"]
    bench.note("mixed: req/s", round(mixed["rps"], 1))
    for name, page in sorted(mixed["pages"].items()):
        bench.note(
            f"mixed {name}: n, p50/p95/p99 ms",
            f"{page['requests']}, {page['p50']:.0f}/{page['p95']:.0f}/{page['p99']:.0f}",
        )
        ok_all = ok_all and page["p95"] < 300
    failures = sum(p["failures"] for p in results["phases"])
    bench.note("failed requests", failures)
    for p in results["phases"]:
        for e in p["errors"][:3]:
            bench.note(f"error ({p['name']})", e)
    bench.goal("no failed requests", failures == 0)
    bench.goal("every page of the mixed workload p95 < 300 ms", ok_all)
