"""Jobs that survive faults: worker heartbeats and the recovery of jobs whose worker died.

Every worker process writes a heartbeat (ops_workerheartbeat) each scheduler interval. A job that is
`running` on a worker whose heartbeat is older than `SINERGI_WORKER_STALE_SECONDS` (default: three
scheduler intervals, at least 90 s) — the process was killed, the machine lost power — is recovered
by the scheduler leader: queued again while it has attempts left (`SINERGI_JOB_MAX_ATTEMPTS`,
default 2), otherwise marked failed with the reason. Handlers write inside one transaction, so the
killed attempt left nothing half-written (the database rolled it back), and `job_claim` lets only one
worker run a job, so the work is never done twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.core import clock
from sinergi.core.jobs import job_restart
from sinergi.core.models import Job
from sinergi.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

UNKNOWN_WORKER_GRACE = dt.timedelta(hours=12)


def stale_after() -> dt.timedelta:
    # deferred: ops.scheduler imports this module for the heartbeat and stale-job recovery (cycle)
    from sinergi.ops.scheduler import interval_seconds

    raw = os.environ.get("SINERGI_WORKER_STALE_SECONDS") or getattr(
        settings, "SINERGI_WORKER_STALE_SECONDS", ""
    )
    seconds = float(raw) if raw else max(90.0, interval_seconds() * 3)
    return dt.timedelta(seconds=seconds)


def max_attempts() -> int:
    return int(os.environ.get("SINERGI_JOB_MAX_ATTEMPTS") or getattr(settings, "SINERGI_JOB_MAX_ATTEMPTS", 2))


def heartbeat(worker: str) -> None:
    now = clock.wall_now()
    updated = WorkerHeartbeat.objects.filter(worker=worker).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker=worker, defaults={"hostname": socket.gethostname(), "pid": os.getpid(), "seen_at": now}
        )


def live_workers() -> list[WorkerHeartbeat]:
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=clock.wall_now() - stale_after()))


def jobs_recover_stale() -> dict:
    """Requeue or fail every running job whose worker stopped sending heartbeats."""
    now = clock.wall_now()
    limit = now - stale_after()
    known = dict(WorkerHeartbeat.objects.values_list("worker", "seen_at"))
    dead = [worker for worker, seen in known.items() if seen < limit]
    # A job run outside a worker process (`sinergi escalate --now`, a CLI import) has no worker
    # heartbeat: it is only presumed dead when its own heartbeat (Job.heartbeat_at, stamped by every
    # progress write) is older than UNKNOWN_WORKER_GRACE.
    suspects = (
        Job.objects.filter(status=Job.Status.RUNNING)
        .annotate(last_sign=Coalesce("heartbeat_at", "started_at"))
        .filter(
            Q(worker__in=dead)
            | (
                ~Q(worker__in=list(known))
                & (Q(last_sign__lt=now - UNKNOWN_WORKER_GRACE) | Q(last_sign__isnull=True))
            )
        )
    )
    retried = failed = 0
    for job in suspects:
        seen = WorkerHeartbeat.objects.filter(worker=job.worker).values_list("seen_at", flat=True).first()
        reason = _("The worker %(worker)s stopped (last heartbeat %(seen)s) while running this job.") % {
            "worker": job.worker or "?",
            "seen": timezone.localtime(seen).strftime("%Y-%m-%d %H:%M:%S") if seen else "-",
        }
        if job.attempts < max_attempts():
            try:
                job_restart(job=job, reason=reason + " " + _("Queued again."))
                retried += 1
                continue
            except Exception:
                logger.exception("could not requeue job %s", job.pk)
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=job.worker).update(
            status=Job.Status.FAILED, error=reason, finished_at=now
        )
        failed += 1
    if retried or failed:
        logger.warning("stale jobs: %s queued again, %s marked failed", retried, failed)
    return {"retried": retried, "failed": failed}
