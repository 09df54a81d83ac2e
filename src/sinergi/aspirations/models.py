"""Aspirations and grievances from unions and workers, their timeline, routing, deadlines, notifications
and the tripartite body's agenda (LKS Tripartit, PP 8/2005 as amended by PP 46/2008 and PP 4/2017)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sinergi.core import clock
from sinergi.core.models import Attachment, TimeStampedModel
from sinergi.notifications.models import Notification  # noqa: F401  moved there; the name stays for old imports

# Unambiguous characters (no 0/O, 1/I/L): 32 symbols, 12 of them = 60 bits, unguessable.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 12


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


class Category(models.TextChoices):
    SOCIAL_SECURITY = "social_security", _("social security membership or service problem")
    BUREAUCRACY = "bureaucracy", _("bureaucratic obstacle")
    INDUSTRIAL = "industrial", _("wages and industrial relations")
    PROGRAM = "program", _("program request")
    OTHER = "other", _("other")


class Holiday(models.Model):
    """A public holiday or collective-leave day; no deadline falls on it. Seeded from rules/calendar.py."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("national holiday")
        COLLECTIVE_LEAVE = "cuti_bersama", _("collective leave (cuti bersama)")
        REGIONAL = "regional", _("regional holiday")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NATIONAL)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(_("counts as a day off"), default=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class ServiceLevel(models.Model):
    """Working days to acknowledge and to answer an aspiration of one category (set by administrators)."""

    category = models.CharField(_("category"), max_length=30, choices=Category.choices, unique=True)
    acknowledge_days = models.PositiveSmallIntegerField(_("working days to acknowledge"))
    answer_days = models.PositiveSmallIntegerField(_("working days to answer"))
    warn_days = models.PositiveSmallIntegerField(
        _("warn this many working days before the deadline"), default=2
    )
    basis = models.CharField(pgettext_lazy("legal basis", "basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["category"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")

    def __str__(self):
        return f"{self.get_category_display()}: {self.acknowledge_days}/{self.answer_days}"


class RoutingRule(models.Model):
    """Which organisation answers aspirations of a category (or any) from a region (or anywhere).

    The most specific rule wins: the longest matching region code, then a named category over "any",
    then the lower priority number.
    """

    category = models.CharField(_("category"), max_length=30, choices=Category.choices, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region (and below)"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("responsible organisation"),
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self):
        return f"{self.get_category_display() or '*'} @ {self.region_id or '*'} → {self.organisation}"


class Aspiration(TimeStampedModel):
    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ASSIGNED = "assigned", _("assigned")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")

    class Channel(models.TextChoices):
        UNION = "union", _("filed by a union official")
        MEETING = "meeting", _("recorded by an officer at a meeting")
        CALL = "call", _("recorded by an officer from a call")
        API = "api", _("through the API")

    OPEN_STATUSES = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS, Status.REOPENED)

    tracking_code = models.CharField(
        _("tracking code"), max_length=20, unique=True, default=new_tracking_code, editable=False
    )
    title = models.CharField(pgettext_lazy("aspiration", "subject"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.UNION)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filer_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filing organisation"),
    )
    union_body = models.ForeignKey(
        "unions.UnionBody",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("union"),
    )
    member = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aspirations",
        verbose_name=_("member concerned"),
    )
    hide_member = models.BooleanField(
        _("hide the member's identity from the responding organisation"), default=False
    )
    assigned_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_aspirations",
        verbose_name=_("responsible organisation"),
    )
    source_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="aspirations",
        verbose_name=_("raised at meeting"),
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    acknowledge_due = models.DateField(_("acknowledge by"), null=True, db_index=True)
    answer_due = models.DateField(_("answer by"), null=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, db_index=True)
    warned_at = models.DateTimeField(_("deadline warning sent"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    rating = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    rating_comment = models.CharField(_("comment on the answer"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("aspiration")
        verbose_name_plural = _("aspirations")
        indexes = [models.Index(fields=["status", "answer_due"], name="asp_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="aspirations_rating_1_to_5",
            )
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or clock.today()
        if not self.is_open:
            return False
        if self.answer_due and today > self.answer_due:
            return True
        return bool(self.acknowledged_at is None and self.acknowledge_due and today > self.acknowledge_due)

    @property
    def answered_in_time(self) -> bool | None:
        if self.answered_at is None or self.answer_due is None:
            return None
        return timezone.localdate(self.answered_at) <= self.answer_due


class AspirationEvent(models.Model):
    """One step of the timeline; rows are only ever added."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("received")
        ASSIGNED = "assigned", _("assigned")
        ACKNOWLEDGED = "acknowledged", _("acknowledged, in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")
        REOPENED = "reopened", _("reopened")
        ESCALATED = "escalated", _("escalated")
        AGENDA = "agenda", _("on the tripartite agenda")
        RATED = "rated", _("rated")
        NOTE = "note", _("note")

    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("aspiration step")
        verbose_name_plural = _("aspiration steps")

    def __str__(self):
        return f"{self.aspiration_id} {self.kind} {self.at:%Y-%m-%d}"


def attachment_path(instance, filename):
    return f"aspirations/{instance.aspiration_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class AspirationAttachment(Attachment):
    aspiration = models.ForeignKey(Aspiration, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)

    class Meta(Attachment.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class TripartiteSession(TimeStampedModel):
    """A meeting of an LKS Tripartit at which agenda items are discussed and decided."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")

    body = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="tripartite_sessions",
        verbose_name=_("tripartite body"),
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("tripartite session")
        verbose_name_plural = _("tripartite sessions")

    def __str__(self):
        return f"{self.body} {self.date:%Y-%m-%d}"


class AgendaItem(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a session")
        SCHEDULED = "scheduled", _("scheduled")
        DECIDED = "decided", _("decided")
        CLOSED = "closed", _("closed")

    body = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("tripartite body"),
    )
    session = models.ForeignKey(
        TripartiteSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        verbose_name=pgettext_lazy("tripartite meeting", "session"),
    )
    aspiration = models.ForeignKey(
        Aspiration,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("aspiration"),
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decision = models.TextField(_("decision"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["status", "created_at", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "aspiration"],
                condition=models.Q(aspiration__isnull=False),
                name="aspirations_one_agenda_item_per_body",
            )
        ]

    def __str__(self):
        return self.title
