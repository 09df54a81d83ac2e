from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sinergi.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from sinergi.core.jobs import _import_handlers

        _import_handlers()
