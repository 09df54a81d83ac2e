"""Readiness (/ops/readyz): the database answers, the replica is not too far behind, workers are alive.

Unlike /healthz (liveness: "this process and its database answer"), readiness says whether this
deployment can do its whole job. 200 with the checks when all pass, 503 with the failing ones.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from sinergi.ops.faults import live_workers


def _setting(name: str, default):
    raw = os.environ.get(name)
    return type(default)(raw) if raw not in (None, "") else getattr(settings, name, default)


def replica_lag_seconds(alias: str = "replica") -> float | None:
    """Seconds since the last transaction the replica replayed (0 when it has caught up)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
        )
        value = cursor.fetchone()[0]
    return float(value) if value is not None else None


def readiness() -> tuple[bool, dict]:
    checks: dict[str, dict] = {}
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "engine": connections["default"].vendor}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
        return False, checks
    if "replica" in settings.DATABASES:
        limit = _setting("SINERGI_REPLICA_MAX_LAG_SECONDS", 30.0)
        try:
            lag = replica_lag_seconds()
            checks["replica"] = {"ok": lag is not None and lag <= limit, "lag_seconds": lag, "limit": limit}
        except Exception as exc:
            checks["replica"] = {"ok": False, "error": exc.__class__.__name__}

    need = _setting("SINERGI_READY_MIN_WORKERS", 1)
    alive = len(live_workers())
    checks["workers"] = {"ok": alive >= need, "alive": alive, "required": need}
    return all(check["ok"] for check in checks.values()), checks


@require_safe
def readiness_view(request):
    ok, checks = readiness()
    return JsonResponse({"status": "ok" if ok else "unready", "checks": checks}, status=200 if ok else 503)
