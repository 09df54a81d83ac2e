"""A token-authenticated read API endpoint under concurrent load, against the same server's bare /healthz.

`sinergi serve` (waitress, 8 threads, no job worker) runs in a separate process on the scratch database;
8 client threads with keep-alive connections send `size` requests to each endpoint. The endpoint reads
through the whole stack: bearer-token lookup (hashed), user scope, a region search query, JSON schema.
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

DEFAULT_SIZE = 2000
CLIENTS = 8
ENDPOINT = "/api/v1/regions/?q=jakarta&limit=20"
BARE = "/healthz"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def _token() -> str:
    from sinergi.accounts.models import Organisation, User
    from sinergi.accounts.services import api_token_create

    org, _ = Organisation.objects.get_or_create(
        name="Bench Dinas", defaults={"kind": "agency", "region_id": "31"}
    )
    user, _ = User.objects.get_or_create(
        username="bench", defaults={"organisation": org, "role": "agency_officer"}
    )
    _token_obj, raw = api_token_create(user=user, name="bench")
    return raw


def _start_server(tmp: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SINERGI_HOME": str(tmp / "home"),
        "SINERGI_LOG_LEVEL": "WARNING",
        "SINERGI_TASKS_IMMEDIATE": "",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "sinergi", "serve", "--no-worker", "--port", str(port), "--threads", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited: " + proc.stderr.read().decode()[-2000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", BARE)
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer /healthz within 60 s")


def _load(port: int, path: str, total: int, headers: dict) -> dict:
    per_client = [total // CLIENTS + (1 if i < total % CLIENTS else 0) for i in range(CLIENTS)]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(n):
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                with lock:
                    errors.append(f"{response.status} {body[:200]!r}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in per_client]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else latencies * 99
    return {"rps": len(latencies) / elapsed, "p50": q[49], "p95": q[94], "p99": q[98], "errors": errors}


def run(bench, size):
    token = _token()
    port = _free_port()
    server = _start_server(bench.tmp, port)
    try:
        auth = {"Authorization": f"Bearer {token}", "Accept-Language": "id"}
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        probe.request("GET", ENDPOINT, headers=auth)
        body = json.loads(probe.getresponse().read())
        bench.note("endpoint rows per response", len(body))
        probe.request("GET", ENDPOINT, headers={"Authorization": "Bearer sng_wrong"})
        response = probe.getresponse()
        response.read()
        bench.note("unauthenticated status", response.status)

        results = {}
        bench.time(
            f"{BARE} × {size} ({CLIENTS} clients)",
            lambda: results.setdefault("bare", _load(port, BARE, size, {})),
            rows=size,
        )
        bench.time(
            f"regions search API × {size} ({CLIENTS} clients, bearer token)",
            lambda: results.setdefault("api", _load(port, ENDPOINT, size, auth)),
            rows=size,
            baseline=f"{BARE} × {size} ({CLIENTS} clients)",
        )
        for key in ("bare", "api"):
            r = results[key]
            bench.note(f"{key} requests/s", round(r["rps"], 1))
            for p in ("p50", "p95", "p99"):
                bench.note(f"{key} {p} ms", round(r[p] * 1000, 1))
            bench.note(f"{key} errors", len(r["errors"]))
        bench.goal("no failed requests", not results["bare"]["errors"] and not results["api"]["errors"])
        bench.goal("API p95 under 250 ms with 8 concurrent clients", results["api"]["p95"] < 0.25)
        bench.goal("bad token answers 401", response.status == 401)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
