"""Operations: the scheduler's leader lease and run history, and the outgoing mail queue (outbox)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Lease(models.Model):
    """A named lease held by one process until `expires_at` (e.g. "scheduler": the one leader).

    Leases measure wall-clock seconds between processes, so they use real time, not the business clock.
    """

    name = models.CharField(max_length=60, primary_key=True)
    holder = models.CharField(max_length=120, blank=True)
    acquired_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")

    def __str__(self):
        return f"{self.name}: {self.holder or '-'}"


class ScheduledRun(models.Model):
    """One run of a registered schedule for one slot; (schedule, due_at) is unique, so no slot runs twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("finished")
        FAILED = "failed", _("failed")

    schedule = models.CharField(_("schedule"), max_length=100, db_index=True)
    due_at = models.DateTimeField(pgettext_lazy("background job", "due"))
    day = models.DateField(_("for day"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    manual = models.BooleanField(_("started by hand"), default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    worker = models.CharField(pgettext_lazy("background job", "worker"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["schedule", "due_at"], name="ops_run_once_per_slot")]
        indexes = [models.Index(fields=["status", "created_at"], name="ops_run_status_idx")]

    def __str__(self):
        return f"{self.schedule} {self.due_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def duration_seconds(self):
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class OutboxMessage(models.Model):
    """An e-mail waiting to leave, sent by a background task with retries; the history stays visible."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.JSONField(_("to"), default=list)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    kind = models.CharField(_("kind"), max_length=60, blank=True, db_index=True)
    key = models.CharField(max_length=160, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outbox")

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"


class WorkerHeartbeat(models.Model):
    """Each worker process writes `seen_at` every scheduler interval; a silent worker is a dead one."""

    worker = models.CharField(max_length=120, primary_key=True)
    hostname = models.CharField(max_length=120, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("background job", "worker")
        verbose_name_plural = pgettext_lazy("background job", "workers")

    def __str__(self):
        return self.worker


class ProbeRow(models.Model):
    """Rows written by the deployment probe job (`ops.probe`): exactly `n` per job, never half, never twice."""

    job = models.ForeignKey("core.Job", on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveIntegerField()
    written_by = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "seq"], name="ops_probe_once")]

    def __str__(self):
        return f"{self.job_id}:{self.seq}"
