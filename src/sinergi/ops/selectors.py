"""Reads for the operations pages (administrators only; nothing here is scoped to a region)."""

from django.utils import timezone

from sinergi.core import clock
from sinergi.core.schedules import discover
from sinergi.ops.models import Lease, OutboxMessage, ScheduledRun, WorkerHeartbeat


def schedule_overview() -> list[dict]:
    now = timezone.localtime(clock.now())
    rows = []
    for name, sched in sorted(discover().items()):
        last = ScheduledRun.objects.filter(schedule=name).order_by("-created_at", "-id").first()
        last_failed = ScheduledRun.objects.filter(schedule=name, status=ScheduledRun.Status.FAILED).first()
        rows.append(
            {
                "name": name,
                "label": sched.label,
                "every": sched.every,
                "at": sched.at,
                "slot": sched.slot_at_or_before(now),
                "last": last,
                "last_failed": last_failed,
            }
        )
    return rows


def run_list(*, schedule: str = "", status: str = ""):
    qs = ScheduledRun.objects.select_related("started_by")
    if schedule:
        qs = qs.filter(schedule=schedule)
    if status:
        qs = qs.filter(status=status)
    return qs


def workers():
    return WorkerHeartbeat.objects.order_by("-seen_at")


def scheduler_leader():
    return Lease.objects.filter(name="scheduler").first()


def outbox_list(*, status: str = ""):
    qs = OutboxMessage.objects.all()
    return qs.filter(status=status) if status else qs
