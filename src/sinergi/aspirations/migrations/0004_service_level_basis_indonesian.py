"""The seeded service levels' basis in Indonesian (0002 wrote it in English: "Sinergi default; …").

Only a basis still equal to the seeded English text is rewritten; one an administrator changed is kept."""

from django.db import migrations

INDONESIAN = {
    "Sinergi default; BPJS branch service commitment": "Standar Sinergi; komitmen layanan kantor cabang BPJS",
    "Sinergi default; obstacles to be reported and handled at once": (
        "Standar Sinergi; hambatan birokrasi dilaporkan dan ditangani segera"
    ),
    "Sinergi default; UU 2/2004 Art. 3: bipartite stage 30 working days": (
        "Standar Sinergi; UU 2/2004 Pasal 3: perundingan bipartit 30 hari kerja"
    ),
    "Sinergi default": "Standar Sinergi",
}


def to_indonesian(apps, schema_editor):
    ServiceLevel = apps.get_model("aspirations", "ServiceLevel")  # noqa: N806
    for english, indonesian in INDONESIAN.items():
        ServiceLevel.objects.filter(basis=english).update(basis=indonesian)


def to_english(apps, schema_editor):
    ServiceLevel = apps.get_model("aspirations", "ServiceLevel")  # noqa: N806
    for english, indonesian in INDONESIAN.items():
        ServiceLevel.objects.filter(basis=indonesian).update(basis=english)


class Migration(migrations.Migration):
    dependencies = [("aspirations", "0003_source_meeting")]
    operations = [migrations.RunPython(to_indonesian, to_english)]
