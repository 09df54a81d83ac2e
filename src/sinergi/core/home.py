"""Home-page cards from the shell itself: the user's running jobs; audit activity for auditors."""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.core import clock
from sinergi.core.models import AuditEntry, Job
from sinergi.core.roles import can
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


def cached_figures(user, name: str, compute, *parts):
    """Figures of a page or card (`compute()`, any picklable value) computed at most once per data change:
    kept in the cache under the user, the day (`clock.today()`, so time travel moves them), `name`, `parts`
    and the newest audit entry. Every write is an audited service, so a write anywhere makes the next
    request recompute; writes without an audit entry show within `SINERGI_FIGURES_SECONDS` (default
    300; 0 turns the cache off). A page with counts over a million people then reads one cache row plus
    one index-only MAX instead of scanning its scope on every request (issue #16)."""
    ttl = int(getattr(settings, "SINERGI_FIGURES_SECONDS", 300))
    if ttl <= 0 or user is None or not getattr(user, "pk", None):
        return compute()
    version = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    key = ":".join(
        ["figures", name, str(user.pk), clock.today().isoformat(), str(version), *[str(p) for p in parts]]
    )
    key = "figures:" + hashlib.sha256(key.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ttl)
    return value
