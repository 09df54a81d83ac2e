"""In-app notices for one user, sent by any app (aspirations, meetings, claims, e-order, planning…).

The table was created by the aspirations app (`aspirations_notification`); it moved here, one layer
below every app that notifies, without moving the data (see migrations/0001_initial.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notice for one user (also e-mailed). `key` stops the same notice being sent twice."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("assigned to you")
        DEADLINE = "deadline", _("deadline approaching")
        ESCALATED = "escalated", _("escalated")
        ANSWERED = "answered", _("answered")
        COMMITMENT = "commitment", _("commitment")
        OTHER = "other", _("other")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        db_table = "aspirations_notification"  # created by aspirations; kept so no data moves
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~models.Q(key=""), name="aspirations_notification_once"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="asp_notif_unread_idx")]

    def __str__(self):
        return self.message[:60]
