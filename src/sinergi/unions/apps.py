from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sinergi.core.scoping import register_union_subtree


class UnionsConfig(AppConfig):
    name = "sinergi.unions"
    label = "unions"
    verbose_name = _("Unions")

    def ready(self):
        # Scoping (in core, below unions) needs the union hierarchy; unions provides it.
        # deferred: unions.selectors imports the models, which cannot load before the app registry is ready
        from sinergi.unions.selectors import union_body_subtree_ids

        register_union_subtree(union_body_subtree_ids)
