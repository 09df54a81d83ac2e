"""The default service levels and the holiday table, put back when missing (migration 0002 seeds them;
a flushed test database or a reset loses them). Idempotent."""

from django.apps import apps


def ensure_defaults() -> None:
    from importlib import import_module

    ServiceLevel = apps.get_model("aspirations", "ServiceLevel")  # noqa: N806
    if not ServiceLevel.objects.exists():
        import_module("sinergi.aspirations.migrations.0002_seed_holidays_service_levels").seed(apps, None)
        import_module("sinergi.aspirations.migrations.0004_service_level_basis_indonesian").to_indonesian(
            apps, None
        )
