from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "sinergi.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self):
        # deferred: apps.py is imported before the app registry is ready; indicators imports models
        from sinergi.core.audit_display import register_key_label
        from sinergi.planning import indicators  # deferred: as above

        def indicator_label(key):
            found = indicators.get(key)
            return found.label if found else None

        register_key_label(indicator_label)
