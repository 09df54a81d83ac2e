"""Background jobs: one path for every long piece of work.

A domain app registers a handler with `@job_handler("registry.import")`; `job_start` creates the Job
row and enqueues `run_job` through Django's tasks API (django-tasks; database backend in embedded and
production modes, immediate backend in tests). The enqueue is written in the caller's transaction,
so a job exists for a worker exactly when the caller commits.

A handler receives the Job and a `Progress`; it must leave no half-written data if it fails: do the
writes inside `transaction.atomic()` (or make them resumable by key, e.g. billing's "add only what
is not billed yet"), so a worker killed in the middle leaves the job to be retried or failed with a
reason (sinergi.ops.faults), never half-written and never done twice. Counts are checkable:
done + failed = total at the end.

Heartbeats: every progress write also stamps `Job.heartbeat_at`; a handler in a long loop without
progress to report calls `progress.beat()`. Idempotency: pass `idempotency_key` to `job_start` —
from a form's hidden `idempotency_key` field (`{% idempotency_field %}`) or an API client's
`Idempotency-Key` header through `request_idempotency_key()`, or a natural key ("commit of
validation 42") — and a second start returns the first job instead of doing the work again.

Fault drill: `SINERGI_FAULT_JOB_PAUSE="coverage.billing:2,programs.print_cards:1"` makes every
progress write of those kinds pause that many seconds (the deployment test kills a worker in the
pause); never set it in production.
"""

import importlib
import importlib.util
import logging
import os
import re
import socket
import time
import traceback
import uuid
from collections.abc import Callable

from django import forms
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from sinergi import DOMAIN_APPS
from sinergi.core import clock
from sinergi.core.audit import audit_record
from sinergi.core.errors import Conflict, SinergiError
from sinergi.core.models import Job

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Callable] = {}


def worker_id() -> str:
    """This process's name in Job.worker and in the workers' heartbeats (sinergi.ops.faults)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def job_handler(kind: str):
    def register(func):
        HANDLERS[kind] = func
        return func

    return register


class Progress:
    """Writes progress to the Job row, at most every `every` items, so polling pages see it move."""

    def __init__(self, job: Job, every: int = 1000, on_change: Callable | None = None):
        self.job = job
        self.every = max(1, every)
        self._last_written = 0
        self._last_beat = time.monotonic()
        self.on_change = on_change
        self._fault_pause = fault_pause_seconds(job.kind)

    def set_total(self, total: int):
        self.job.total = int(total)
        self._write(force=True)

    def advance(self, done: int = 1, failed: int = 0):
        self.job.done += int(done)
        self.job.failed += int(failed)
        self._write()

    def set(self, *, done: int | None = None, failed: int | None = None):
        if done is not None:
            self.job.done = int(done)
        if failed is not None:
            self.job.failed = int(failed)
        self._write(force=True)

    def beat(self, *, every: float = 5.0):
        """Say "still alive" without new counts (long loops); written at most every `every` seconds."""
        if time.monotonic() - self._last_beat >= every:
            self._last_beat = time.monotonic()
            self.job.heartbeat_at = clock.wall_now()
            Job.objects.filter(pk=self.job.pk).update(heartbeat_at=self.job.heartbeat_at)

    def touch(self, label: str, url: str = ""):
        """Record something this job created or changed, shown as a link on the job page."""
        self.job.links = [*self.job.links, {"label": str(label)[:200], "url": str(url)[:300]}][-100:]
        Job.objects.filter(pk=self.job.pk).update(links=self.job.links)

    def message(self, text: str):
        self.job.messages = [*self.job.messages, str(text)][-200:]
        self._write(force=True)

    def _write(self, force: bool = False):
        processed = self.job.done + self.job.failed
        if force or processed - self._last_written >= self.every or processed >= self.job.total:
            self._last_written = processed
            self._last_beat = time.monotonic()
            self.job.heartbeat_at = clock.wall_now()
            Job.objects.filter(pk=self.job.pk).update(
                total=self.job.total,
                done=self.job.done,
                failed=self.job.failed,
                messages=self.job.messages,
                heartbeat_at=self.job.heartbeat_at,
            )
            if self.on_change:
                self.on_change(self.job)
            if self._fault_pause:
                time.sleep(self._fault_pause)


def fault_pause_seconds(kind: str) -> float:
    """The fault drill's pause for jobs of `kind` (SINERGI_FAULT_JOB_PAUSE), 0 when not set."""
    for item in (os.environ.get("SINERGI_FAULT_JOB_PAUSE") or "").split(","):
        name, _sep, seconds = item.strip().rpartition(":")
        if name == kind:
            try:
                return max(0.0, float(seconds))
            except ValueError:
                return 0.0
    return 0.0


IDEMPOTENCY_TOKEN = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")


def idempotency_token() -> str:
    """A fresh token for a form that starts a job (the `{% idempotency_field %}` tag renders it)."""
    return uuid.uuid4().hex


class IdempotencyForm(forms.Form):
    """The hidden `idempotency_key` field of a job-starting form (a token, never typed by a person)."""

    idempotency_key = forms.RegexField(IDEMPOTENCY_TOKEN, required=False)


def request_idempotency_key(request, scope: str) -> str | None:
    """The idempotency key of a job-starting request: the form's `idempotency_key` field or the
    `Idempotency-Key` header, scoped to the kind of work and the user; None when absent or malformed
    (the start then is not deduplicated, only locked where the job has a lock)."""
    token = ""
    if request.method == "POST":
        form = IdempotencyForm(request.POST)
        token = form.cleaned_data["idempotency_key"] if form.is_valid() else ""
    token = token or request.headers.get("Idempotency-Key") or ""
    if not IDEMPOTENCY_TOKEN.match(token):
        return None
    return f"{scope}:u{getattr(request.user, 'pk', '') or '-'}:{token}"[:200]


def job_start(
    *,
    kind: str,
    user=None,
    params: dict | None = None,
    title: str = "",
    input_file=None,
    lock_key: str | None = None,
    total: int = 0,
    idempotency_key: str | None = None,
    enqueue: bool = True,
) -> Job:
    """Create a job and enqueue it. Raises Conflict when a job with the same lock is unfinished.

    With `enqueue=False` the caller runs the job itself in the foreground (`job_execute`), as the
    `sinergi import` command does to draw its progress bar; no worker picks it up meanwhile.

    With `idempotency_key` (e.g. "coverage.billing:2027-01:employer-12" or the sha256 of an uploaded
    file), asking for the same work again returns the job that already did or is doing it.
    """
    if kind not in HANDLERS:
        raise ValueError(f"No job handler registered for {kind!r}")
    if idempotency_key:
        existing = Job.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                title=title or kind,
                params=params or {},
                created_by=user if getattr(user, "is_authenticated", False) else None,
                organisation=getattr(user, "organisation", None) if user else None,
                lock_key=lock_key,
                total=total,
                idempotency_key=idempotency_key or None,
            )
            if input_file is not None:
                job.input_file.save(getattr(input_file, "name", "upload"), input_file, save=True)
    except IntegrityError:
        if idempotency_key:
            existing = Job.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        raise Conflict(_("The same job is already running. Wait for it to finish."), code="job_locked")
    if enqueue:
        run_job.enqueue(job.pk)
        job.refresh_from_db()
    return job


def terminal_progress(stream, width: int = 30) -> Callable:
    """An `on_change` callback that draws a progress bar on a terminal: [#####.....] 5,000/10,000 50%."""

    def draw(job: Job):
        processed, total = job.done + job.failed, job.total
        share = processed / total if total else (1.0 if job.is_finished else 0.0)
        filled = int(width * min(share, 1.0))
        failed = f", {job.failed:,} failed" if job.failed else ""
        stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {processed:,}/{total:,} {int(share * 100)}%{failed} "
        )
        if job.is_finished:
            stream.write(f"{job.get_status_display()}\n")
        stream.flush()

    return draw


def job_claim(job: Job) -> bool:
    """queued → running for this process, in one UPDATE: two workers never run the same job."""
    me = worker_id()
    claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=clock.now(),
        heartbeat_at=clock.wall_now(),
        worker=me,
        attempts=F("attempts") + 1,
    )
    job.refresh_from_db()
    return bool(claimed)


def job_execute(job: Job, on_change: Callable | None = None) -> Job:
    """Run a job's handler here and now, recording the outcome (used by the task and the CLI)."""
    handler = HANDLERS[job.kind]
    if not job_claim(job):
        return job
    me = job.worker
    progress = Progress(job, every=int(job.params.get("_progress_every", 1000)), on_change=on_change)
    try:
        result = handler(job, progress) or {}
    except Exception as exc:  # the job records why; nothing it wrote in its transaction survives
        logger.warning("Job %s (%s) failed: %s", job.pk, job.kind, exc)
        job.status = Job.Status.FAILED
        if isinstance(exc, DatabaseError):
            # never a raw database message on the job page (an officer cannot act on "NOT NULL
            # constraint failed"): the details go to the log and to the job's result
            job.error = str(
                _(
                    "The job stopped because the database refused a write; nothing was saved. "
                    "Tell your administrator (job %(id)s)."
                )
                % {"id": job.pk}
            )
            job.result = {"traceback": traceback.format_exc(limit=5)[-4000:], "detail": str(exc)[:500]}
        else:
            job.error = str(exc) or exc.__class__.__name__
            job.result = (
                {"traceback": traceback.format_exc(limit=5)[-4000:]}
                if not isinstance(exc, SinergiError)
                else {"code": exc.code}
            )
    else:
        job.status = Job.Status.SUCCEEDED
        job.result = result
    job.finished_at = clock.now()
    # Only the worker that holds the job records its end: if it was declared dead and the job
    # retried elsewhere, this late write changes nothing.
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, worker=me).update(
        status=job.status,
        error=job.error,
        result=job.result,
        finished_at=job.finished_at,
        total=job.total,
        done=job.done,
        failed=job.failed,
        messages=job.messages,
        result_file=job.result_file.name or "",
        links=job.links,
        heartbeat_at=clock.wall_now(),
    )
    if on_change:
        on_change(job)
    return job


@task()
def run_job(job_id: int):
    _import_handlers()
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.Status.QUEUED:
        return job.status if job else "missing"
    return job_execute(job).status


def job_restart(*, job: Job, actor=None, reason: str = "") -> Job:
    """Queue a failed job again (an officer's "Run again", or a retry after its worker died).

    Its handler writes in one transaction, so a failed attempt left nothing behind to undo.
    """
    try:
        with transaction.atomic():
            updated = (
                Job.objects.filter(pk=job.pk, status=job.status)
                .exclude(status__in=[Job.Status.QUEUED, Job.Status.SUCCEEDED])
                .update(
                    status=Job.Status.QUEUED,
                    done=0,
                    failed=0,
                    error="",
                    worker="",
                    finished_at=None,
                    messages=[*job.messages, str(reason)][-200:] if reason else job.messages,
                )
            )
            if not updated:
                raise Conflict(
                    _("Only a failed or stalled job can be run again."), code="job_not_restartable"
                )
            if actor is not None:
                audit_record(actor=actor, action="other", obj=job, purpose="run job again")
    except IntegrityError:
        raise Conflict(_("The same job is already running. Wait for it to finish."), code="job_locked")
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    job.refresh_from_db()
    return job


def _import_handlers():
    """Handlers live in each app's tasks.py; importing them registers them."""
    for app in DOMAIN_APPS:
        if importlib.util.find_spec(f"{app}.tasks") is not None:
            importlib.import_module(f"{app}.tasks")
