"""The scheduler: one leader among the workers turns due schedule slots into recorded runs.

Every `sinergi worker` process (and the in-process worker of `sinergi serve`) runs a small loop
(`SchedulerLoop`) that every `SINERGI_SCHEDULER_INTERVAL` seconds (default 30) writes its heartbeat
and tries to take or renew the "scheduler" lease (a row in ops_lease, taken under a row lock; it
expires after three intervals, so a killed leader is replaced within about a minute and a half). The
leader's `tick()`:

1. for each registered schedule (`sinergi.core.schedules`), computes the latest slot at or before
   `clock.now()` and, if that slot has no run yet, creates a ScheduledRun — the unique
   (schedule, due_at) constraint means a slot can never run twice, even if two processes believed
   they were leader — and enqueues `run_scheduled` for any worker to execute;
2. sweeps the outbox (e-mails whose retry pause is over) and stale jobs (`sinergi.ops.faults`).

A run records status, start, finish, result and error. A failed run e-mails the administrators
(through the outbox) and does not stop later runs: the next slot is created from the calendar, not
from the previous run.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import threading
import traceback

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, close_old_connections, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.core.errors import NotFound
from sinergi.core.jobs import worker_id
from sinergi.core.roles import Role
from sinergi.core.schedules import Schedule, discover
from sinergi.ops.faults import heartbeat, jobs_recover_stale
from sinergi.ops.models import Lease, ScheduledRun
from sinergi.ops.outbox import mail_queue, outbox_sweep

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"


def interval_seconds() -> float:
    return float(
        os.environ.get("SINERGI_SCHEDULER_INTERVAL") or getattr(settings, "SINERGI_SCHEDULER_INTERVAL", 30)
    )


def worker_identity() -> str:

    return worker_id()


def lease_acquire(*, name: str, holder: str, seconds: float) -> bool:
    """Take the lease if it is free, expired or already ours; renew it. True when we hold it."""
    now = clock.wall_now()  # wall-clock seconds between processes, not the business date
    with transaction.atomic():
        Lease.objects.get_or_create(name=name)
        lease = Lease.objects.select_for_update().get(name=name)
        if lease.holder and lease.holder != holder and lease.expires_at and lease.expires_at > now:
            return False
        if lease.holder != holder:
            lease.acquired_at = now
            logger.info("scheduler leader is now %s", holder)
        lease.holder = holder
        lease.expires_at = now + dt.timedelta(seconds=seconds)
        lease.save()
    return True


def lease_release(*, name: str, holder: str) -> None:
    Lease.objects.filter(name=name, holder=holder).update(holder="", expires_at=None)


def _local_now() -> dt.datetime:
    return timezone.localtime(clock.now())


def due_runs(now: dt.datetime | None = None) -> list[ScheduledRun]:
    """Create the runs for every schedule's latest slot that has none yet; return the new ones."""
    now = now or _local_now()
    created = []
    for sched in discover().values():
        slot = sched.slot_at_or_before(now)
        if ScheduledRun.objects.filter(schedule=sched.name, due_at__gte=slot, manual=False).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(schedule=sched.name, due_at=slot, day=slot.date())
        except IntegrityError:  # another process created this slot's run first
            continue
        created.append(run)
    return created


def tick(now: dt.datetime | None = None) -> list[ScheduledRun]:
    """The leader's work for one interval."""
    runs = due_runs(now)
    for run in runs:
        run_scheduled.enqueue(run.pk)
    try:
        outbox_sweep()
        jobs_recover_stale()
    except Exception:  # a sweep failing must not stop scheduling
        logger.exception("scheduler sweep failed")
    return runs


def schedule_run_now(*, name: str, actor, day: dt.date | None = None) -> ScheduledRun:
    """An administrator runs a schedule now (e.g. after fixing what made it fail)."""
    sched = discover().get(name)
    if sched is None:
        raise NotFound(_("No such schedule."))
    now = _local_now()
    with transaction.atomic():
        run = ScheduledRun.objects.create(
            schedule=name, due_at=now, day=day or now.date(), manual=True, started_by=actor
        )
        audit_record(actor=actor, action="other", obj=run, purpose="run schedule now")
        transaction.on_commit(lambda: run_scheduled.enqueue(run.pk))
    return run


def run_execute(run: ScheduledRun, *, worker: str = "") -> ScheduledRun:
    """Execute one run here and record the outcome; a failure alerts administrators."""
    claimed = ScheduledRun.objects.filter(pk=run.pk, status=ScheduledRun.Status.QUEUED).update(
        status=ScheduledRun.Status.RUNNING, started_at=clock.wall_now(), worker=worker[:120]
    )
    run.refresh_from_db()
    if not claimed:
        return run
    sched: Schedule | None = discover().get(run.schedule)
    try:
        if sched is None:
            raise LookupError(f"schedule {run.schedule!r} is no longer registered")
        result = sched.func(day=run.day) or {}
        status, error = ScheduledRun.Status.SUCCEEDED, ""
    except Exception as exc:  # recorded and alerted; later slots still run
        logger.exception("scheduled run %s (%s) failed", run.pk, run.schedule)
        result = {"traceback": traceback.format_exc(limit=6)[-4000:]}
        status, error = ScheduledRun.Status.FAILED, (str(exc) or exc.__class__.__name__)[:4000]
    ScheduledRun.objects.filter(pk=run.pk).update(
        status=status, finished_at=clock.wall_now(), result=_jsonable(result), error=error
    )
    run.refresh_from_db()
    if status == ScheduledRun.Status.FAILED:
        alert_admins_of_failure(run, sched)
    return run


def _jsonable(value):

    return json.loads(json.dumps(value, default=str))


def alert_admins_of_failure(run: ScheduledRun, sched: Schedule | None) -> None:

    base = (os.environ.get("SINERGI_BASE_URL") or getattr(settings, "SINERGI_BASE_URL", "")).rstrip("/")
    admins = get_user_model().objects.filter(is_active=True, role=Role.ADMIN).exclude(email="")
    for admin in admins:
        with translation.override(getattr(admin, "preferred_language", "") or settings.LANGUAGE_CODE):
            label = sched.label if sched else run.schedule
            subject = _("[Sinergi] Scheduled work failed: %(name)s") % {"name": label}
            body = _(
                "The scheduled work “%(name)s” for %(day)s failed:\n\n%(error)s\n\n"
                "Later runs continue on their schedule. Details and “run now”: %(url)s"
            ) % {
                "name": label,
                "day": run.day.isoformat(),
                "error": run.error,
                "url": base + reverse("ops:schedules"),
            }
        mail_queue(
            to=[admin.email],
            subject=subject,
            body=body,
            kind="schedule_failed",
            key=f"run-{run.pk}-{admin.pk}",
        )


@task()
def run_scheduled(run_id: int):
    run = ScheduledRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    return run_execute(run, worker=f"{socket.gethostname()}:{os.getpid()}").status


class SchedulerLoop:
    """Heartbeat + leader election + tick, in a daemon thread of every worker process."""

    def __init__(self, *, interval: float | None = None, holder: str | None = None):
        self.interval = interval or interval_seconds()
        self.holder = holder or worker_identity()
        self.stop_event = threading.Event()
        self.is_leader = False

    def once(self) -> bool:

        heartbeat(self.holder)
        self.is_leader = lease_acquire(name=LEASE_NAME, holder=self.holder, seconds=self.interval * 3)
        if self.is_leader:
            tick()
        return self.is_leader

    def run(self):

        while not self.stop_event.is_set():
            try:
                self.once()
            except Exception:
                logger.exception("scheduler loop error")
            finally:
                close_old_connections()
            self.stop_event.wait(self.interval)
        try:
            lease_release(name=LEASE_NAME, holder=self.holder)
        except Exception:
            logger.exception("could not release the scheduler lease")

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="sinergi-scheduler", daemon=True)
        thread.start()
        return thread
