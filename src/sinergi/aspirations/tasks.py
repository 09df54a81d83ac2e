"""Background work: escalate overdue aspirations, warn about near deadlines, remind commitment owners.

Schedule: every day at SINERGI_ESCALATE_HOUR local time (default 06:00) through the scheduler
(`aspirations/schedules.py`, run by the worker that leads; each run recorded on /ops/schedules/).
`sinergi escalate` queues the same work as a job by hand.
"""

import datetime as dt
import logging

from django.utils.translation import gettext

from sinergi.aspirations.hooks import commitments_remind
from sinergi.aspirations.services import aspirations_escalate, aspirations_warn
from sinergi.core.jobs import job_handler, job_start

logger = logging.getLogger(__name__)

KIND = "aspirations.escalate"


def escalation_run(*, today: dt.date | None = None, progress=None) -> dict:
    """Escalate, warn and remind for `today`; running it twice for a day escalates nothing twice."""
    if progress:
        progress.set_total(3)
    escalated = aspirations_escalate(today=today)
    if progress:
        progress.advance()
        progress.message(f"escalated {escalated['escalated']}, agenda items {escalated['agenda_items']}")
    warned = aspirations_warn(today=today)
    if progress:
        progress.advance()
        progress.message(f"deadline warnings {warned['warned']}")
    reminded = commitments_remind(today=today)
    if progress:
        progress.advance()
        progress.message(f"overdue commitments reminded {reminded['reminded']}")
    return {"escalation": escalated, "warnings": warned, "commitments": reminded}


@job_handler(KIND)
def escalate_job(job, progress):
    today = dt.date.fromisoformat(job.params["today"]) if job.params.get("today") else None
    return escalation_run(today=today, progress=progress)


def escalation_start(*, user=None, today: dt.date | None = None):
    params = {"today": today.isoformat()} if today else {}
    return job_start(
        kind=KIND, user=user, params=params, title=gettext("Escalate overdue aspirations"), lock_key=KIND
    )
