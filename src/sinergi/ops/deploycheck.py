"""`sinergi deploy-check`: verify a running deployment from any of its machines."""

from __future__ import annotations

import json
import tempfile
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.crypto import get_random_string

from sinergi.core import clock
from sinergi.ops.faults import live_workers
from sinergi.ops.models import Lease
from sinergi.ops.readiness import replica_lag_seconds


def checks(*, url: str = "") -> list[tuple[str, bool, str]]:

    out: list[tuple[str, bool, str]] = []

    def check(name, func):
        try:
            ok, detail = func()
        except Exception as exc:
            ok, detail = False, f"{exc.__class__.__name__}: {exc}"[:300]
        out.append((name, bool(ok), str(detail)))

    def database():
        connection = connections["default"]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return not pending, f"{connection.vendor}, {len(pending)} migrations not applied"

    def cache_shared():
        key, value = f"deploy-check-{get_random_string(8)}", get_random_string(12)
        cache.set(key, value, 30)
        got = cache.get(key)
        cache.delete(key)
        return got == value, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]

    def replica():
        if "replica" not in settings.DATABASES:
            return True, "not configured"
        lag = replica_lag_seconds()
        limit = float(getattr(settings, "SINERGI_REPLICA_MAX_LAG_SECONDS", 30))
        return lag is not None and lag <= limit, f"lag {lag} s (bound {limit} s)"

    def workers():
        alive = live_workers()
        return bool(alive), f"{len(alive)} alive: " + ", ".join(w.worker for w in alive[:5])

    def leader():
        lease = Lease.objects.filter(name="scheduler").first()
        ok = bool(lease and lease.holder and lease.expires_at and lease.expires_at > clock.wall_now())
        return ok, (lease.holder if lease and lease.holder else "no leader")

    def media():
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".deploy-check-"):
            pass
        return True, str(root)

    def web():
        if not url:
            return True, "no --url given"
        details = []
        for path in ("/healthz", "/ops/readyz"):
            with urllib.request.urlopen(url.rstrip("/") + path, timeout=10) as response:  # noqa: S310
                body = json.loads(response.read())
                details.append(f"{path} {response.status} {body.get('status')}")
        return True, "; ".join(details)

    check("database and migrations", database)
    check("shared cache", cache_shared)
    check("replica", replica)
    check("workers", workers)
    check("scheduler leader", leader)
    check("media folder writable", media)
    check("web", web)
    return out
