"""Home-page cards from the shell itself: the user's running jobs; audit activity for auditors."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.core import clock
from sinergi.core.models import Job
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
