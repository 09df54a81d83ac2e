"""Shared kernel models: the append-only audit log and background jobs with progress."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Attachment(models.Model):
    """A file uploaded to a record (an aspiration, a meeting's minutes): its name, type, size and who
    uploaded it when. Each concrete model adds its foreign key and `file` (the upload path is its own);
    files are checked by `core.uploads` and served only through a permission-checked view."""

    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")

    def bulk_update(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who did what to which object, with the changed fields before/after, or why data was revealed.

    Rows are never changed or removed: the model refuses, and database triggers (migration 0002)
    refuse too, so no code path or admin can rewrite history.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        TRANSITION = "transition", _("status change")
        REVEAL = "reveal", _("reveal personal data")
        EXPORT = "export", _("export")
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        IMPORT = "import", _("import")
        MERGE = "merge", _("merge")
        OTHER = "other", _("other")

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("organisation"),
    )
    action = models.CharField(_("action"), max_length=40, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # an organisation's audit log, newest first, keyset-paged (core.selectors.AUDIT_SORT_KEYS):
            # SELECT … FROM core_auditentry WHERE organisation_id = %s AND (created_at, id) < (%s, %s)
            #   ORDER BY created_at DESC, id DESC LIMIT 51  (the index read backwards)
            models.Index(fields=["organisation", "created_at", "id"], name="core_audit_org_created_id"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    @property
    def masked_changes(self) -> dict:
        """`changes` with personal fields masked: entries written before masking at write time
        (issue 12) cannot be updated (the log is append-only), so every reader masks them again."""
        # deferred: core.privacy imports core.audit, which imports this module (cycle)
        from sinergi.core.privacy import mask_changes

        return mask_changes(self.changes)


class Job(models.Model):
    """A long piece of work (import, billing run, card batch) run by a background worker.

    done + failed = total when it finishes; `lock_key` is unique among unfinished jobs so the same run
    (e.g. billing for one month) can never be in flight twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("finished")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    total = models.BigIntegerField(_("total"), default=0)
    done = models.BigIntegerField(_("done"), default=0)
    failed = models.BigIntegerField(_("failed"), default=0)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/input/%Y/%m/", blank=True, max_length=300)
    result_file = models.FileField(
        _("result file"), upload_to="jobs/result/%Y/%m/", blank=True, max_length=300
    )
    lock_key = models.CharField(_("lock"), max_length=200, null=True, blank=True)
    # Fault tolerance (sinergi.ops.faults): which worker process runs it, how often it was tried,
    # and a key that makes starting the same work twice return the first job instead.
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=200, null=True, blank=True, unique=True
    )
    worker = models.CharField(pgettext_lazy("background job", "worker"), max_length=120, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    links = models.JSONField(_("touched"), default=list, blank=True)
    # The job's own sign of life (Progress writes it with every progress write and `Progress.beat()`);
    # the worker process's sign of life is ops.WorkerHeartbeat.
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        verbose_name=_("started by"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["lock_key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="core_job_one_unfinished_per_lock",
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished and self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int((self.done + self.failed) * 100 / self.total))
