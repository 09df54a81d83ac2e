"""Dated work of the aspirations app, run by the scheduler (sinergi.core.schedules)."""

import os

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sinergi.aspirations.tasks import escalation_run
from sinergi.core.schedules import schedule

HOUR = int(os.environ.get("SINERGI_ESCALATE_HOUR") or getattr(settings, "SINERGI_ESCALATE_HOUR", 6))

schedule(
    "aspirations.escalation",
    lambda *, day: escalation_run(today=day),
    every="daily",
    at=f"{HOUR:02d}:00",
    title=_("Escalate overdue aspirations, warn of deadlines, remind commitment owners"),
)
