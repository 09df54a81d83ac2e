"""Home-page cards from the shell itself: the user's running jobs; audit activity for auditors."""

import datetime as dt
import hashlib
import pickle
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sinergi.core import clock, paging
from sinergi.core.models import AuditEntry, Job
from sinergi.core.roles import can
from sinergi.core.scoping import user_scope
from sinergi.core.selectors import audit_list, job_list


def cards(request):
    user = request.user
    running = job_list(user=user).filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).count()
    result = [
        {
            "label": _("Background jobs in progress"),
            "value": running,
            "url": reverse("core:job_list"),
            "order": 900,
        }
    ]
    if can(user, "view_audit_log"):
        since = clock.now() - dt.timedelta(days=1)
        recent = audit_list(user=user).filter(created_at__gte=since)
        result.append(
            {
                "label": _("Audit entries in the last 24 hours"),
                "value": recent.count(),
                "note": _("%(n)s reveals or exports of personal data")
                % {"n": recent.filter(action__in=["reveal", "export"]).count()},
                "url": reverse("core:audit_log"),
                "order": 910,
            }
        )
    return result


# Audit entries that record reading, not writing: they never change a figure, so they do not make the
# cached figures stale (an officer logging in or revealing a NIK does not recount a province).
READ_ACTIONS = ("reveal", "export", "login", "login_failed")
USER_ACCOUNT = "accounts.user"  # login steps, password resets; a role change moves the scope key itself


def scope_key(user) -> str:
    """What the figures of a page depend on besides the data: the scope (role, organisation, regions,
    union bodies, sponsor), not the person. Officers of one office with one role share their figures."""
    scope = user_scope(user)
    return "|".join(
        [
            scope.role,
            str(scope.organisation_id),
            "global" if scope.is_global else ",".join(sorted(scope.region_prefixes)),
            ",".join(str(i) for i in sorted(scope.union_body_ids or ())),
            str(scope.sponsor_id),
        ]
    )


def _data_version_query():
    return (
        AuditEntry.objects.exclude(action__in=READ_ACTIONS)
        .exclude(object_type=USER_ACCOUNT)
        .order_by("-pk")
        .values_list("pk", flat=True)[:1]
    )


_DATA_VERSION_SQL: dict[str, tuple[str, tuple]] = {}


def data_version() -> int:
    """The newest audit entry that records a write (every write is an audited service). Read from the
    end of the primary key: the newest entries are almost always writes, so few rows are visited.
    Asked on every request that shows cached figures: the ORM's SQL is compiled once per database and
    process (its parameters are constants), then executed as it is."""
    alias = router.db_for_read(AuditEntry)
    compiled = _DATA_VERSION_SQL.get(alias)
    if compiled is None:
        sql, params = _data_version_query().query.get_compiler(using=alias).as_sql()
        compiled = _DATA_VERSION_SQL[alias] = (sql, tuple(params))
    with connections[alias].cursor() as cursor:
        cursor.execute(*compiled)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def cached_figures(user, name: str, compute, *parts, version: int | None = None):
    """Figures of a page or card (`compute()`, any picklable value) computed at most once per data change:
    kept in the cache under the user's scope (`scope_key`: colleagues with the same scope share them), the
    language (labels are translated), the day (`clock.today()`, so time travel moves them), `name`, `parts`
    and the newest audit entry of a write (`data_version`). Every write is an audited service, so a write
    anywhere makes the next request recompute; logins, reveals and exports do not. Writes without an audit
    entry show within `SINERGI_FIGURES_SECONDS` (default 300; 0 turns the cache off). A page with counts
    over a million people then reads one cache row plus one short read of the audit table's end instead
    of scanning its scope on every request (issue #16). `version`: the `data_version()` the caller already
    read for this request."""
    ttl = int(getattr(settings, "SINERGI_FIGURES_SECONDS", 300))
    if ttl <= 0 or user is None or not getattr(user, "pk", None):
        return compute()
    key = ":".join(
        [
            "figures",
            name,
            scope_key(user),
            translation.get_language() or "",
            clock.today().isoformat(),
            str(data_version() if version is None else version),
            *[str(p) for p in parts],
        ]
    )
    key = "figures:" + hashlib.sha256(key.encode()).hexdigest()
    value = _local_get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ttl)
    _local_set(key, value, ttl)
    return value


# A first tier in the process: the key names the data version, so an entry is never stale for longer
# than the shared cache's would be (the same `ttl`), and a hit costs no round trip to the shared cache
# (a database table unless Redis is configured). Values are kept pickled: every caller gets its own copy,
# as from the shared cache. Bounded; the oldest entries go first.
_LOCAL: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
_LOCAL_LOCK = threading.Lock()
LOCAL_MAX_ENTRIES = 2000


def filters_key(filters) -> str:
    """A list's filters (a dict) as one stable text: empty values left out, model instances by key."""
    items = sorted(
        (str(k), str(getattr(v, "pk", v))) for k, v in (filters or {}).items() if v not in (None, "", False)
    )
    return "&".join(f"{k}={v}" for k, v in items)


def kept_count(user, name: str, filters=None, version: int | None = None):
    """`keyset_page(count_through=…)` for a list whose rows change only through audited writes: its capped
    count is kept like the figures (`cached_figures`), per scope, `name`, filters and cap, until the next
    audited write. The next page of a list, and colleagues opening the same list, do not count again."""
    part = filters_key(filters)
    return lambda compute: cached_figures(user, name, compute, part, paging.COUNT_CAP, version=version)


def _local_get(key: str):
    with _LOCAL_LOCK:
        entry = _LOCAL.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del _LOCAL[key]
            return None
        _LOCAL.move_to_end(key)
    return pickle.loads(entry[1])  # noqa: S301 - bytes this process pickled itself, never input


def _local_set(key: str, value, ttl: int) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    with _LOCAL_LOCK:
        _LOCAL[key] = (time.monotonic() + ttl, data)
        _LOCAL.move_to_end(key)
        while len(_LOCAL) > LOCAL_MAX_ENTRIES:
            _LOCAL.popitem(last=False)


def local_figures_clear() -> None:
    """Forget the process's first tier (tests: a rolled-back database may reuse ids, and so keys)."""
    with _LOCAL_LOCK:
        _LOCAL.clear()
