"""Background work: escalate overdue aspirations, warn about near deadlines, remind commitment owners.

Schedule: the `aspirations.escalate` job runs when `sinergi escalate` is invoked (cron/systemd timer,
or `sinergi escalate --schedule` once, after which the worker re-runs it every day at
SINERGI_ESCALATE_HOUR local time, default 06:00, by re-enqueueing itself with `run_after`).
"""

import datetime as dt
import logging
import os

from django.conf import settings
from django.utils import timezone
from django_tasks import default_task_backend, task

from sinergi.core import clock
from sinergi.core.jobs import job_handler, job_start

logger = logging.getLogger(__name__)

KIND = "aspirations.escalate"


@job_handler(KIND)
def escalate_job(job, progress):
    from sinergi.aspirations.services import aspirations_escalate, aspirations_warn
    from sinergi.meetings.services import commitments_remind

    today = dt.date.fromisoformat(job.params["today"]) if job.params.get("today") else None
    progress.set_total(3)
    escalated = aspirations_escalate(today=today)
    progress.advance()
    progress.message(f"escalated {escalated['escalated']}, agenda items {escalated['agenda_items']}")
    warned = aspirations_warn(today=today)
    progress.advance()
    progress.message(f"deadline warnings {warned['warned']}")
    reminded = commitments_remind(today=today)
    progress.advance()
    progress.message(f"overdue commitments reminded {reminded['reminded']}")
    return {"escalation": escalated, "warnings": warned, "commitments": reminded}


def escalation_start(*, user=None, today: dt.date | None = None):
    params = {"today": today.isoformat()} if today else {}
    return job_start(kind=KIND, user=user, params=params, title="Escalate overdue aspirations", lock_key=KIND)


def next_run_after(now: dt.datetime | None = None) -> dt.datetime:
    hour = int(os.environ.get("SINERGI_ESCALATE_HOUR") or getattr(settings, "SINERGI_ESCALATE_HOUR", 6))
    now = timezone.localtime(now or clock.now())
    candidate = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate <= now:
        candidate += dt.timedelta(days=1)
    return candidate


@task()
def escalate_daily():
    """Run the escalation job now and enqueue the next daily run (the worker picks it up at that time)."""
    from sinergi.core.errors import Conflict

    try:
        escalation_start()
    except Conflict:
        logger.info("escalation already running; skipped this round")
    schedule_next()


def schedule_next():
    """Queue the next daily run unless one is already waiting (so `--schedule` twice is harmless)."""
    if not default_task_backend.supports_defer:
        return None
    try:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(task_path=escalate_daily.module_path, status="READY").first()
        if waiting is not None:
            return waiting
    except (ImportError, LookupError):
        pass
    return escalate_daily.using(run_after=next_run_after()).enqueue()
