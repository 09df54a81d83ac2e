# Notification now belongs to the notifications app (notifications 0001 takes it over in the
# migration state); its table `aspirations_notification` and every row in it stay where they are.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("aspirations", "0003_source_meeting"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
