# The Notification model moves from aspirations to notifications without moving its table: this
# migration only adds the model to the notifications app's state; the table `aspirations_notification`
# already exists (created by aspirations 0001), and aspirations 0004 drops the model from its state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("aspirations", "0003_source_meeting"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("assigned", "assigned to you"), ("deadline", "deadline approaching"), ("escalated", "escalated"), ("answered", "answered"), ("commitment", "commitment"), ("other", "other")], max_length=20, verbose_name="kind")),
                        ("message", models.CharField(max_length=500, verbose_name="message")),
                        ("url", models.CharField(blank=True, max_length=300)),
                        ("key", models.CharField(blank=True, max_length=120)),
                        ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="time")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created_at", "-id"],
                        "db_table": "aspirations_notification",
                        "indexes": [models.Index(fields=["recipient", "read_at"], name="asp_notif_unread_idx")],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("key", ""), _negated=True), fields=("recipient", "key"), name="aspirations_notification_once")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
