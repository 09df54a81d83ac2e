"""Reads of notifications: a user sees only their own."""

from django.db.models import QuerySet

from sinergi.notifications.models import Notification


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
