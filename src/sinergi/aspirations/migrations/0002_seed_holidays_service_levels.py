"""Seed the public holidays 2024-2026 (from rules/calendar.py) and a default service level per category.

The service levels are Sinergi's default policy, not a regulation; administrators change them. The
bureaucratic-obstacle deadline is the shortest because the regent of Jember asked unions to report such
obstacles "at once"; the industrial-relations answer deadline follows the 30 working days the PPHI law
gives bipartite negotiation (UU 2/2004 Art. 3) — the case is referred on if not settled by then.
"""

from django.db import migrations

LEVELS = [
    ("social_security", 2, 10, 2, "Sinergi default; BPJS branch service commitment"),
    ("bureaucracy", 1, 5, 1, "Sinergi default; obstacles to be reported and handled at once"),
    ("industrial", 3, 30, 5, "Sinergi default; UU 2/2004 Art. 3: bipartite stage 30 working days"),
    ("program", 3, 14, 3, "Sinergi default"),
    ("other", 3, 14, 3, "Sinergi default"),
]


def seed(apps, schema_editor):
    from sinergi.rules.calendar import HOLIDAYS

    Holiday = apps.get_model("aspirations", "Holiday")
    ServiceLevel = apps.get_model("aspirations", "ServiceLevel")
    existing = set(Holiday.objects.values_list("date", flat=True))
    Holiday.objects.bulk_create(
        [
            Holiday(date=h.day, name=h.name_id, kind=h.kind, legal_basis=h.legal_basis)
            for h in HOLIDAYS
            if h.day not in existing
        ]
    )
    for category, ack, answer, warn, basis in LEVELS:
        ServiceLevel.objects.get_or_create(
            category=category,
            defaults={"acknowledge_days": ack, "answer_days": answer, "warn_days": warn, "basis": basis},
        )


class Migration(migrations.Migration):
    dependencies = [("aspirations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
