from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifeEventsConfig(AppConfig):
    name = "sinergi.lifeevents"
    label = "lifeevents"
    verbose_name = _("Life events")

    def ready(self):
        # deferred: apps.py is imported before the app registry is ready; receivers imports models
        from sinergi.lifeevents import receivers  # noqa: F401 - connects the claims signal
