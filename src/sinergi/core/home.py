"""Home-page cards from the shell itself: the user's running jobs."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import Job
from sinergi.core.selectors import job_list


def cards(request):
    running = job_list(user=request.user).filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).count()
    return [
        {
            "label": _("Background jobs in progress"),
            "value": running,
            "url": reverse("core:job_list"),
            "order": 900,
        }
    ]
