"""Read-only pages from a PostgreSQL streaming replica (when SINERGI_REPLICA_URL is set).

`ReplicaMiddleware` marks a GET/HEAD request for the replica when its view name matches
`SINERGI_REPLICA_VIEWS` (fnmatch patterns, default reports, dashboards and exports). `ReplicaRouter`
then reads domain data from the replica; users, sessions, permissions, jobs and operations tables are
always read from the primary, and every write goes to the primary.

Staleness bound: a page served from the replica shows data at most `SINERGI_REPLICA_MAX_LAG_SECONDS`
old (default 30): the replica's replay lag is checked at most every 5 seconds per process and, beyond
the bound (or when the replica does not answer), reads fall back to the primary. After a POST a
browser reads from the primary for `SINERGI_REPLICA_PIN_SECONDS` (default 15), so an officer sees their
own change on the next report.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import time
from contextvars import ContextVar

from django.conf import settings

from sinergi.ops.readiness import replica_lag_seconds

logger = logging.getLogger(__name__)

use_replica: ContextVar[bool] = ContextVar("sinergi_use_replica", default=False)

PRIMARY_ONLY_APPS = {
    "sessions",
    "auth",
    "accounts",
    "contenttypes",
    "admin",
    "django_tasks_database",
    "core",
    "ops",
}
PIN_COOKIE = "sinergi_primary"
_health = {"checked": 0.0, "ok": False}


def _setting(name, default):
    raw = os.environ.get(name)
    return type(default)(raw) if raw not in (None, "") else getattr(settings, name, default)


def replica_ok() -> bool:
    """Is the replica answering and within the staleness bound? (cached 5 s per process)."""
    now = time.monotonic()
    if now - _health["checked"] < 5:
        return _health["ok"]

    try:
        lag = replica_lag_seconds()
        ok = lag is not None and lag <= _setting("SINERGI_REPLICA_MAX_LAG_SECONDS", 30.0)
    except Exception:
        ok = False
    if not ok and _health["ok"]:
        logger.warning("replica behind or unreachable: reads go to the primary")
    _health.update(checked=now, ok=ok)
    return ok


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if use_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.patterns = [
            p.strip()
            for p in str(_setting("SINERGI_REPLICA_VIEWS", "*:report*,*:dashboard*,*export*,*:gap*")).split(
                ","
            )
            if p.strip()
        ]

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "replica" not in settings.DATABASES or request.method not in ("GET", "HEAD"):
            return None
        if request.COOKIES.get(PIN_COOKIE):
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if any(fnmatch.fnmatch(name, p) for p in self.patterns) and replica_ok():
            request._replica_token = use_replica.set(True)
        return None

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "_replica_token", None)
        if token is not None:
            use_replica.reset(token)
            response["X-Sinergi-Database"] = "replica"
        if request.method == "POST" and "replica" in settings.DATABASES:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=_setting("SINERGI_REPLICA_PIN_SECONDS", 15),
                httponly=True,
                samesite="Lax",
            )
        return response
