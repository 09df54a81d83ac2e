"""Notifications, the shared module every app notifies through: one notice per key, read marks, e-mail."""

import pytest

from sinergi.notifications import selectors, services
from sinergi.notifications.models import Notification
from sinergi.ops.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_table_stays_where_aspirations_created_it():
    # Moved without moving data: existing databases keep their rows.
    assert Notification._meta.db_table == "aspirations_notification"


def test_a_key_is_notified_once_and_mailed_once():
    user = UserFactory(email="officer@example.go.id")
    assert services.notify([user], kind=Notification.Kind.OTHER, message="Rapat besok", key="m:1") == 1
    assert services.notify([user], kind=Notification.Kind.OTHER, message="Rapat besok", key="m:1") == 0
    assert selectors.unread_count(user) == 1
    assert [m.to for m in OutboxMessage.objects.all()].count(["officer@example.go.id"]) == 1


def test_quiet_notifies_without_mail():
    user = UserFactory(email="quiet@example.go.id")
    with services.quiet():
        services.notify([user], kind=Notification.Kind.OTHER, message="Riwayat demo")
    assert selectors.unread_count(user) == 1
    assert ["quiet@example.go.id"] not in [m.to for m in OutboxMessage.objects.all()]


def test_marking_read_touches_only_the_users_own_notices():
    mine, theirs = UserFactory(), UserFactory()
    services.notify([mine, theirs], kind=Notification.Kind.OTHER, message="x", email=False)
    other_id = selectors.notification_list(user=theirs).get().pk
    assert services.notifications_mark_read(user=mine, ids=[other_id]) == 0
    assert services.notifications_mark_read(user=mine) == 1
    assert selectors.unread_count(mine) == 0
    assert selectors.unread_count(theirs) == 1
