"""Prometheus metrics at /ops/metrics (token in SINERGI_METRICS_TOKEN; without it the endpoint is off).

Request latency per view is measured in each process (prometheus-client; set PROMETHEUS_MULTIPROC_DIR
to an empty shared folder to aggregate gunicorn's worker processes). Job durations and failures,
queue depth, scheduled-run failures and live workers are read from the database at scrape time, so
they are right whichever process did the work.
"""

from __future__ import annotations

import hmac
import os

from django.conf import settings
from django.db.models import Count, F, Sum
from django.http import HttpResponse, HttpResponseNotFound
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from sinergi.core import clock
from sinergi.core.models import Job
from sinergi.ops.faults import stale_after
from sinergi.ops.models import OutboxMessage, ScheduledRun, WorkerHeartbeat

REQUEST_SECONDS = Histogram(
    "sinergi_http_request_duration_seconds",
    "Time to answer an HTTP request, by view",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(view=view, method=method, status=str(status)).observe(seconds)


class DatabaseCollector:
    """Job, queue, schedule and worker figures straight from the database."""

    def collect(self):

        jobs = CounterMetricFamily("sinergi_jobs", "Finished background jobs", labels=["kind", "status"])
        seconds = CounterMetricFamily(
            "sinergi_job_duration_seconds", "Total run time of finished jobs", labels=["kind", "status"]
        )
        finished = (
            Job.objects.filter(status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED], started_at__isnull=False)
            .values("kind", "status")
            .annotate(n=Count("id"), total=Sum(F("finished_at") - F("started_at")))
        )
        for row in finished:
            jobs.add_metric([row["kind"], row["status"]], row["n"])
            total = row["total"]
            seconds.add_metric([row["kind"], row["status"]], total.total_seconds() if total else 0.0)
        yield jobs
        yield seconds
        depth = GaugeMetricFamily("sinergi_job_queue_depth", "Jobs waiting or running", labels=["status"])
        counts = dict(
            Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
            .values_list("status")
            .annotate(n=Count("id"))
        )
        for status in (Job.Status.QUEUED, Job.Status.RUNNING):
            depth.add_metric([status], counts.get(status, 0))
        yield depth
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.filter(status="READY").count()
        yield GaugeMetricFamily("sinergi_task_queue_ready", "Tasks ready for a worker", value=ready)
        runs = CounterMetricFamily("sinergi_scheduled_runs", "Scheduled runs", labels=["schedule", "status"])
        for row in ScheduledRun.objects.values("schedule", "status").annotate(n=Count("id")):
            runs.add_metric([row["schedule"], row["status"]], row["n"])
        yield runs
        outbox = GaugeMetricFamily("sinergi_outbox_messages", "E-mails in the outbox", labels=["status"])
        for row in OutboxMessage.objects.values("status").annotate(n=Count("id")):
            outbox.add_metric([row["status"]], row["n"])
        yield outbox
        alive = WorkerHeartbeat.objects.filter(seen_at__gte=clock.wall_now() - stale_after()).count()
        yield GaugeMetricFamily(
            "sinergi_workers_alive", "Worker processes with a recent heartbeat", value=alive
        )


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DatabaseCollector())
    return registry


def metrics_token() -> str:
    return os.environ.get("SINERGI_METRICS_TOKEN") or getattr(settings, "SINERGI_METRICS_TOKEN", "")


@require_safe
def metrics_view(request):
    token = metrics_token()
    if not token:
        return HttpResponseNotFound("metrics are off: set SINERGI_METRICS_TOKEN")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponse("unauthorised", status=401, content_type="text/plain")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
