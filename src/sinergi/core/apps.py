from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sinergi.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        # deferred: core.jobs imports core.models, which cannot load before the app registry is ready
        from sinergi.core.jobs import _import_handlers

        _import_handlers()
