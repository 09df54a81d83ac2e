"""The database cache's table (settings.CACHES without SINERGI_REDIS_URL); createcachetable is idempotent."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("ops", "0001_scheduler_outbox_heartbeats")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
