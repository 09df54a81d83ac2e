"""Meetings and dialogues between agencies, social security branches and unions: invitations,
attendance, speakers, minutes and the commitments made there (tracked to done, like aspirations)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core import clock
from sinergi.core.models import Attachment, TimeStampedModel


class Meeting(TimeStampedModel):
    class Kind(models.TextChoices):
        COORDINATION = "coordination", _("coordination meeting")
        SS_UNION = "ss_union", _("periodic social security–union discussion")
        NGOPI_BARENG = "ngopi_bareng", _("informal meeting (Ngopi Bareng)")
        MAY_DAY = "may_day", _("May Day event")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="organised_meetings",
        verbose_name=_("organiser"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300)
    description = models.TextField(_("purpose"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    minutes = models.TextField(_("minutes"), blank=True)
    invited_organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("invited organisations"),
    )
    union_bodies = models.ManyToManyField(
        "unions.UnionBody", blank=True, related_name="meetings", verbose_name=_("union bodies taking part")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)  # iCalendar SEQUENCE, bumped on change

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"


class Speaker(models.Model):
    """Someone who spoke at a meeting (officials named in the articles appear only here, never as users)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self):
        return self.name


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    union_body = models.ForeignKey(
        "unions.UnionBody",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("union body"),
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    headcount = models.PositiveIntegerField(_("people"), default=1)
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return self.name


def minutes_path(instance, filename):
    return f"meetings/{instance.meeting_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class MinutesAttachment(Attachment):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=minutes_path)
    # Set when the retention clean-up (core.retention, SINERGI_RETENTION_MINUTES_DAYS) deleted the file:
    # the row stays so the minutes still say a file was attached, and when it was removed.
    purged_at = models.DateTimeField(_("deleted under the retention rule"), null=True, blank=True)


class Commitment(TimeStampedModel):
    """An action item voiced at a meeting, owned by one organisation, due on a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="commitments")
    description = models.TextField(_("commitment"))
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("owner organisation"),
    )
    voiced_by = models.CharField(_("voiced by"), max_length=200, blank=True)
    due_date = models.DateField(_("due"), db_index=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress_note = models.TextField(_("progress note"), blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self):
        return self.description[:80]

    def is_overdue(self, today=None) -> bool:
        return self.status in self.OPEN_STATUSES and (today or clock.today()) > self.due_date

    @property
    def done_on_time(self) -> bool | None:
        if self.status != self.Status.DONE or self.done_on is None:
            return None
        return self.done_on <= self.due_date


class CommitmentEvent(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.commitment_id} {self.to_status}"
